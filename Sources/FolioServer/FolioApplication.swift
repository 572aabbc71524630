import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Builds the HTTP application: one router, one group per surface.
public enum FolioApplication {
    public static func router(folio: Folio, configuration: ServerConfiguration) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("healthz") { _, _ in "ok\n" }
        let urls = WOPIURLs(publicURL: configuration.publicURL)
        let wopi = router.group("wopi").add(middleware: WOPIErrorMiddleware())
        let links = WOPILinks(folio: folio, urls: urls)
        WOPIFilesController(
            folio: folio, urls: urls, fileInfo: CheckFileInfoBuilder(maxNameLength: folio.settings.maxNameLength)
        ).addRoutes(to: wopi)
        WOPIContainersController(folio: folio, links: links).addRoutes(to: wopi)
        WOPIEcosystemController(folio: folio, links: links).addRoutes(to: wopi)
        return router
    }

    public static func make(folio: Folio, configuration: ServerConfiguration, logger: Logger)
        -> some ApplicationProtocol
    {
        Application(
            router: router(folio: folio, configuration: configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Folio"),
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0)" } ?? "?"
                logger.notice("Folio is listening on \(configuration.publicURL) (bound to \(address))")
                // Scripts wait for this line; stdout may be a pipe, so write it unbuffered.
                FileHandle.standardOutput.write(Data("Folio listening on \(configuration.publicURL)\n".utf8))
            },
            logger: logger)
    }
}
