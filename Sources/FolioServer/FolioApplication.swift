import FolioCore
import FolioPreview
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Prometheus

/// Builds the HTTP application: one router, one group per surface, and the immediate lane for
/// CheckFileInfo in front of it.
public enum FolioApplication {
    static let serverName = "Folio"

    public static func router(folio: Folio, configuration: ServerConfiguration, editors: EditorRegistry)
        -> Router<FolioRequestContext>
    {
        router(ServerParts(folio: folio, configuration: configuration, editors: editors))
    }

    static func router(_ parts: ServerParts) -> Router<FolioRequestContext> {
        let folio = parts.folio
        // The page templates are parsed now, once, not at the first page.
        _ = PageTemplates.libraries
        let router = Router(context: FolioRequestContext.self)
        if let registry = parts.configuration.metrics {
            // Requests by route and status, and their latencies (Hummingbird's middleware).
            router.add(middleware: MetricsMiddleware())
            router.get("metrics") { _, _ -> Response in
                let activity = try await parts.folio.maintenance.activity(now: parts.folio.now())
                Gauge(label: "folio_active_locks").record(activity.locks)
                Gauge(label: "folio_onlyoffice_sessions").record(activity.officeSessions)
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
                return Response(
                    status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
            }
        }
        if parts.configuration.accessLog {
            router.add(middleware: AccessLogMiddleware(writer: parts.configuration.accessLineWriter))
        }
        router.get("healthz") { _, _ in "ok\n" }
        // Ready when the database answers and the blob folder takes writes.
        router.get("readyz") { _, context -> Response in
            do {
                try await parts.folio.checkReady()
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
            } catch {
                context.logger.error("not ready", metadata: ["error": "\(error)"])
                return Response(
                    status: .serviceUnavailable, body: .init(byteBuffer: ByteBuffer(string: "not ready: \(error)\n")))
            }
        }
        let wopi = router.group("wopi").add(middleware: WOPIErrorMiddleware())
            .add(middleware: ProofMiddleware(checker: parts.proofs, signer: folio.signer))
        let links = WOPILinks(folio: folio, urls: parts.wopiURLs)
        WOPIFilesController(folio: folio, urls: parts.wopiURLs, fileInfo: parts.fileInfo).addRoutes(to: wopi)
        WOPIContainersController(folio: folio, links: links, pages: parts.pages).addRoutes(to: wopi)
        WOPIEcosystemController(folio: folio, links: links).addRoutes(to: wopi)
        // People's pages: HTML errors, the sign-in page for visitors who are not signed in.
        let web = router.group().add(middleware: WebErrorMiddleware(auth: parts.auth))
        let auth = parts.auth
        HostPageController(
            folio: folio, registry: parts.editors, urls: parts.urls, wopiURLs: parts.wopiURLs, links: parts.pages,
            auth: auth
        )
        .addRoutes(to: web.group("files"))
        AccountPages(folio: folio, auth: auth, setupKey: parts.setupKey).addRoutes(to: web)
        BrowserPages(
            folio: folio, auth: auth, chooser: EditorChooser(registry: parts.editors), previews: parts.previews != nil
        ).addRoutes(to: web)
        SpacePages(folio: folio, auth: auth, chooser: EditorChooser(registry: parts.editors)).addRoutes(to: web)
        AdminSpacePages(folio: folio, auth: auth).addRoutes(to: web)
        VersionPages(folio: folio, auth: auth, previews: parts.previews != nil).addRoutes(to: web)
        PreviewPages(folio: folio, auth: auth, previews: parts.previews).addRoutes(to: web)
        SharePages(folio: folio, auth: auth, urls: parts.urls).addRoutes(to: web)
        AdminPages(folio: folio, auth: auth).addRoutes(to: web)
        AdminLockPages(folio: folio, auth: auth).addRoutes(to: web)
        AdminAPIPages(folio: folio, auth: auth).addRoutes(to: web)
        StaticFiles().addRoutes(to: web)
        APIRouter.addRoutes(to: router, parts: parts)
        if let native = parts.configuration.onlyOfficeNative, let downloader = parts.downloader {
            OnlyOfficeController(
                folio: folio, native: native, jwt: OnlyOfficeJWT(secret: native.secret), downloader: downloader,
                urls: parts.wopiURLs, auth: auth, policy: parts.configuration.policy, logger: folio.logger
            ).addRoutes(to: router)
        }
        return router
    }

    public static func make(
        folio: Folio, configuration: ServerConfiguration, logger: Logger,
        fetcher: (any DiscoveryFetching)? = nil
    ) -> some ApplicationProtocol {
        // A cluster's nodes are checked every few seconds: a fetch must fail within about that.
        let clustered = configuration.editors.values.contains { $0.count > 1 }
        let timeout = clustered ? min(max(configuration.editorCheckSeconds, 2), 15) : 15
        return make(
            folio: folio, configuration: configuration, logger: logger,
            fetcher: fetcher ?? HTTPDiscoveryFetcher(timeout: .seconds(Int64(timeout))), observe: { _ in })
    }

    /// `observe` sees the immediate lane (tests count what it answered).
    static func make(
        folio: Folio, configuration: ServerConfiguration, logger: Logger, fetcher: any DiscoveryFetching,
        observe: (ImmediateCheckFileInfo) -> Void
    ) -> some ApplicationProtocol {
        let editors = EditorRegistry(
            editors: configuration.editors, fetcher: fetcher, logger: logger,
            probeInterval: .seconds(configuration.editorCheckSeconds))
        let parts = ServerParts(folio: folio, configuration: configuration, editors: editors)
        let immediate = ImmediateCheckFileInfo(folio: folio, fileInfo: parts.fileInfo, proofs: parts.proofs)
        observe(immediate)
        let dates = HTTPDate()
        let enabled = configuration.answersImmediately
        // CheckFileInfo answered on the event loop is access-logged like every other request.
        let accessLine =
            configuration.accessLog ? AccessLog.immediate(logger, writer: configuration.accessLineWriter) : nil
        return Application(
            router: router(parts),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: enabled
                        ? [
                            ImmediateAnswerHandler(
                                answer: immediate.answer, dates: dates, serverName: serverName, answered: accessLine)
                        ]
                        : [])),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: serverName),
            services: [editors, WebhookDispatcher(folio: folio, logger: logger)]
                + (parts.downloader.map { [$0] } ?? []) + (parts.ahead.map { [PreviewsAheadService(ahead: $0)] } ?? [])
                + (parts.previews.map {
                    [
                        PreviewsBackgroundService(
                            previews: $0, timeLimitSeconds: configuration.previewTimeLimitSeconds, logger: logger)
                    ]
                } ?? []),
            onServerRunning: { channel in
                let address = channel.localAddress.map { "\($0)" } ?? "?"
                logger.notice("Folio is listening on \(configuration.publicURL) (bound to \(address))")
                // Until there is an administrator, a one-time link opens the set-up page.
                if (try? await folio.accounts.adminExists()) == false {
                    let link = parts.urls.base + "/setup?key=" + parts.setupKey.value
                    logger.notice("no administrator yet: set Folio up at \(link)")
                    FileHandle.standardOutput.write(Data("Set up Folio at \(link)\n".utf8))
                }
                // Scripts wait for this line; stdout may be a pipe, so write it unbuffered.
                FileHandle.standardOutput.write(Data("Folio listening on \(configuration.publicURL)\n".utf8))
            },
            logger: logger)
    }
}

/// What the router and the immediate lane share, built once from the configuration.
struct ServerParts: Sendable {
    let folio: Folio
    let editors: EditorRegistry
    /// The public base: pages, links, origins.
    let urls: WOPIURLs
    /// The base editors call: WOPISrc, downloads and callbacks given to editors.
    let wopiURLs: WOPIURLs
    let proofs: ProofChecker
    let pages: HostPageLinks
    let fileInfo: CheckFileInfoBuilder
    let auth: WebAuth
    let setupKey: SetupKey
    let configuration: ServerConfiguration
    /// Fetches from ONLYOFFICE's document server; a service, so its client is shut down.
    let downloader: OnlyOfficeDownloader?
    /// PDFs, thumbnails and conversions; nil where LibreOffice, poppler or bubblewrap is missing.
    let previews: PreviewService?
    /// What is missing for previews (empty when they work).
    let previewsMissing: [String]
    /// Thumbnails and PDFs of new versions made ahead of time; nil when off.
    let ahead: PreviewsAhead?

    init(folio: Folio, configuration: ServerConfiguration, editors: EditorRegistry) {
        self.folio = folio
        self.editors = editors
        self.configuration = configuration
        setupKey = SetupKey(signer: folio.signer)
        urls = WOPIURLs(publicURL: configuration.publicURL)
        wopiURLs = WOPIURLs(publicURL: configuration.wopiURL ?? configuration.publicURL)
        // Editors sign the URL they call: the WOPI base; the public one too, for sessions
        // begun before the setting changed.
        proofs = ProofChecker(registry: editors, bases: [wopiURLs.base, urls.base], clock: folio.clock)
        pages = HostPageLinks(folio: folio, urls: urls)
        fileInfo = CheckFileInfoBuilder(
            maxNameLength: folio.settings.maxNameLength, urls: urls, wopiURLs: wopiURLs, pages: pages,
            policy: configuration.policy, isSpaceFile: { [folio] in folio.isSpaceFile($0) })
        auth = WebAuth(folio: folio, secure: configuration.publicURL.lowercased().hasPrefix("https://"))
        downloader = configuration.onlyOfficeNative.map {
            OnlyOfficeDownloader(origins: $0.origins, maxBytes: folio.settings.maxUploadBytes)
        }
        let setup = PreviewSetup(configuration)
        previewsMissing = setup.missing
        previews = setup.converter.map {
            PreviewService(
                folio: folio, converter: $0,
                pool: ConversionPool(workers: configuration.previewWorkers, queueLimit: configuration.previewQueue),
                logger: folio.logger)
        }
        ahead = previews.flatMap { service in
            configuration.previewAheadSeconds.map { PreviewsAhead(service: service, settle: .seconds($0)) }
        }
    }
}
