import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Builds the HTTP application: one router, one group per surface.
public enum FolioApplication {
    public static func router(folio: Folio, configuration: ServerConfiguration, editors: EditorRegistry)
        -> Router<BasicRequestContext>
    {
        let router = Router(context: BasicRequestContext.self)
        router.get("healthz") { _, _ in "ok\n" }
        let urls = WOPIURLs(publicURL: configuration.publicURL)
        let proofs = ProofChecker(registry: editors, publicBase: urls.base, clock: folio.clock)
        let wopi = router.group("wopi").add(middleware: WOPIErrorMiddleware())
            .add(middleware: ProofMiddleware(checker: proofs, signer: folio.signer))
        let links = WOPILinks(folio: folio, urls: urls)
        let pages = HostPageLinks(folio: folio, urls: urls)
        WOPIFilesController(
            folio: folio, urls: urls,
            fileInfo: CheckFileInfoBuilder(
                maxNameLength: folio.settings.maxNameLength, urls: urls, pages: pages,
                policy: configuration.policy)
        ).addRoutes(to: wopi)
        WOPIContainersController(folio: folio, links: links, pages: pages).addRoutes(to: wopi)
        let pageRoutes = router.group("files").add(middleware: WOPIErrorMiddleware())
        HostPageController(folio: folio, registry: editors, urls: urls, links: pages)
            .addRoutes(to: pageRoutes)
        WOPIEcosystemController(folio: folio, links: links).addRoutes(to: wopi)
        return router
    }

    public static func make(
        folio: Folio, configuration: ServerConfiguration, logger: Logger,
        fetcher: any DiscoveryFetching = HTTPDiscoveryFetcher()
    ) -> some ApplicationProtocol {
        let editors = EditorRegistry(editors: configuration.editors, fetcher: fetcher, logger: logger)
        return Application(
            router: router(folio: folio, configuration: configuration, editors: editors),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Folio"),
            services: [editors],
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0)" } ?? "?"
                logger.notice("Folio is listening on \(configuration.publicURL) (bound to \(address))")
                // Scripts wait for this line; stdout may be a pipe, so write it unbuffered.
                FileHandle.standardOutput.write(Data("Folio listening on \(configuration.publicURL)\n".utf8))
            },
            logger: logger)
    }
}
