import ArgumentParser
import FolioCore
import FolioServer
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the Folio server.")

    @OptionGroup var data: DataOptions
    @OptionGroup var server: ServerOptions

    func run() async throws {
        try await reportingErrors {
            let settings = try data.settings()
            var configuration = try server.configuration(settings)
            // Lines gather and leave in batches (LogOutput); notices and worse at once.
            if try server.logsAsJSON(settings) {
                LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
            } else {
                LoggingSystem.bootstrap { label in TextLogHandler(label: label) }
                // Access lines (one a request) are made ready and go straight to the output.
                configuration.accessLineWriter = { line in
                    LogOutput.shared.write(LogOutput.shared.timestamp() + " info folio: " + line + "\n", urgent: false)
                }
            }
            configuration.accessLog = try server.accessLogged(settings)
            // Everything swift-metrics records lands in one registry, which /metrics shows.
            let registry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
            configuration.metrics = registry
            // Checked before anything starts: a bad policy is one line and exit 1.
            let policy = try data.retention(settings)
            var logger = Logger(label: "folio")
            logger.logLevel = try server.logLevel(settings)
            let folder = data.folder(settings)
            let database = try data.database(settings) ?? .sqlite(path: folder.databasePath)
            let blobs = try data.blobs(settings) ?? .directory(path: folder.blobsPath)
            let folio = try await folder.open(
                database: database, blobs: blobs, secretFile: data.secretFile(settings),
                spaces: try data.spaces(settings), settings: try server.folioSettings(settings), logger: logger)
            try await folio.loadSpaces()
            // Which installation this is, the password left out.
            logger.notice("metadata in \(database), blobs in \(blobs)")
            try folder.recordPublicURL(configuration.publicURL)
            let app = FolioApplication.make(folio: folio, configuration: configuration, logger: logger)
            let trimmer = Task.detached(priority: .utility) { await HeapTrimmer.run() }
            defer { trimmer.cancel() }
            logger.notice("version retention: \(policy)")
            let retention = Task.detached(priority: .background) {
                await RetentionJob(folio: folio, policy: policy).run()
            }
            defer { retention.cancel() }
            try await app.runService()
        }
    }
}

/// Where Folio listens, how editors reach it, and which editors it uses: shared by `serve`
/// and `doctor`, each option also read from its environment variable.
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (env FOLIO_HOST; default 127.0.0.1).") var host: String?
    @Option(help: "Port to listen on (env FOLIO_PORT; default 8080).") var port: String?
    @Option(help: "Base URL people use to reach Folio (env FOLIO_PUBLIC_URL; default http://HOST:PORT).")
    var publicURL: String?
    @Option(
        help:
            "Base URL editors use to call Folio, when it differs from the public one, e.g. an internal name (env FOLIO_WOPI_URL; default the public URL)."
    )
    var wopiURL: String?
    @Option(help: "Largest upload in bytes (env FOLIO_MAX_UPLOAD_BYTES; default 4 GiB).")
    var maxUploadBytes: String?
    @Option(
        help:
            "Seconds an editor's access token lives (env FOLIO_TOKEN_LIFETIME; default 36000); host pages renew it before it ends where the editor allows."
    )
    var tokenLifetime: String?
    @Option(
        name: .customLong("editor"),
        help:
            "An office suite as KIND=DISCOVERY_URL, KIND collabora, microsoft or onlyoffice; repeatable (env FOLIO_EDITORS, comma-separated)."
    )
    var editors: [String] = []
    @Option(
        help:
            "Seconds between health checks of each node of an editor given several times (a cluster) (env FOLIO_EDITOR_CHECK_INTERVAL; default 15)."
    )
    var editorCheckInterval: String?
    @Option(
        help:
            "What makes PDFs and conversions: libreoffice (in a sandbox), collabora (its convert-to), off, or auto for LibreOffice when installed, else a Collabora offering convert-to (env FOLIO_PREVIEW_ENGINE; default auto)."
    )
    var previewEngine: String?
    @Option(help: "Conversions at once (env FOLIO_PREVIEW_WORKERS; default the number of cores).")
    var previewWorkers: String?
    @Option(
        help:
            "Seconds a file's saves settle before its thumbnail and PDF are made ahead of time, or off (env FOLIO_PREVIEW_AHEAD; default 20)."
    )
    var previewAhead: String?
    @Option(help: "Roles whose editors hide printing, e.g. view,comment (env FOLIO_HIDE_PRINT_FOR).")
    var hidePrintFor: String?
    @Option(help: "Roles whose editors hide exporting and downloading (env FOLIO_HIDE_EXPORT_FOR).")
    var hideExportFor: String?
    @Option(help: "Roles that may not copy out of the editor (env FOLIO_DISABLE_COPY_FOR).")
    var disableCopyFor: String?
    @Option(help: "Watermark text over documents; {user} and {login} are filled in (env FOLIO_WATERMARK).")
    var watermark: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical (env FOLIO_LOG_LEVEL; default info).")
    var logLevel: String?
    @Option(help: "text, or json for one JSON object per line (env FOLIO_LOG_FORMAT; default text).")
    var logFormat: String?
    @Option(help: "Log every request, true or false (env FOLIO_ACCESS_LOG; default true).") var accessLog: String?
    @Option(
        name: .customLong("onlyoffice-url"),
        help: "ONLYOFFICE Docs for its own API, e.g. https://office.example.com (env FOLIO_ONLYOFFICE_URL).")
    var onlyOfficeURL: String?
    @Option(
        name: .customLong("onlyoffice-secret"),
        help: "The document server's JWT secret (env FOLIO_ONLYOFFICE_SECRET); required with --onlyoffice-url.")
    var onlyOfficeSecret: String?
    @Option(
        name: .customLong("onlyoffice-internal-url"),
        help:
            "Another URL the document server is reached at, e.g. inside a cluster (env FOLIO_ONLYOFFICE_INTERNAL_URL).")
    var onlyOfficeInternalURL: String?

    /// The command-line values of each setting, as `Settings.lookup` takes them.
    func option(_ setting: Setting) -> [String] {
        switch setting {
        case .data, .database, .blobs, .secretFile, .spaces, .spaceHistory, .versionRetention, .spaceRetention: []
        case .host: host.map { [$0] } ?? []
        case .port: port.map { [$0] } ?? []
        case .publicURL: publicURL.map { [$0] } ?? []
        case .wopiURL: wopiURL.map { [$0] } ?? []
        case .maxUploadBytes: maxUploadBytes.map { [$0] } ?? []
        case .tokenLifetime: tokenLifetime.map { [$0] } ?? []
        case .editors: editors
        case .editorCheckInterval: editorCheckInterval.map { [$0] } ?? []
        case .previewEngine: previewEngine.map { [$0] } ?? []
        case .previewWorkers: previewWorkers.map { [$0] } ?? []
        case .previewAhead: previewAhead.map { [$0] } ?? []
        case .hidePrintFor: hidePrintFor.map(ConfigFile.split) ?? []
        case .hideExportFor: hideExportFor.map(ConfigFile.split) ?? []
        case .disableCopyFor: disableCopyFor.map(ConfigFile.split) ?? []
        case .watermark: watermark.map { [$0] } ?? []
        case .logLevel: logLevel.map { [$0] } ?? []
        case .logFormat: logFormat.map { [$0] } ?? []
        case .accessLog: accessLog.map { [$0] } ?? []
        case .onlyOfficeURL: onlyOfficeURL.map { [$0] } ?? []
        case .onlyOfficeSecret: onlyOfficeSecret.map { [$0] } ?? []
        case .onlyOfficeInternalURL: onlyOfficeInternalURL.map { [$0] } ?? []
        }
    }

    func value(_ setting: Setting, _ settings: Settings) -> (value: String, from: String)? {
        settings.lookup(setting, option: option(setting)).flatMap { found in
            found.values.first.map { ($0, found.source.description) }
        }
    }

    func policy(_ settings: Settings) throws -> EditorPolicy {
        func roles(_ setting: Setting) throws -> Set<Role> {
            guard let found = settings.lookup(setting, option: option(setting)) else { return [] }
            return try Set(
                found.values.map { name in
                    guard let role = Role(name: name) else {
                        throw FolioError.badRequest("\(found.source): roles are view, comment or edit, not \"\(name)\"")
                    }
                    return role
                })
        }
        return EditorPolicy(
            hidePrint: try roles(.hidePrintFor), hideExport: try roles(.hideExportFor),
            disableCopy: try roles(.disableCopyFor), watermark: value(.watermark, settings)?.value)
    }

    func configuration(_ settings: Settings) throws -> ServerConfiguration {
        let host = value(.host, settings)?.value ?? Setting.host.defaultValue
        var port = 8080
        if let (text, source) = value(.port, settings) {
            guard let number = Int(text), (0...65535).contains(number) else {
                throw FolioError.badRequest("\(source): the port must be a number from 0 to 65535, not \"\(text)\"")
            }
            port = number
        }
        var publicURL: String?
        if let (url, source) = value(.publicURL, settings) {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw FolioError.badRequest("\(source): the public URL must start with http:// or https://")
            }
            publicURL = url
        }
        let editors = settings.lookup(.editors, option: option(.editors))
        var configuration = ServerConfiguration(
            host: host, port: port, publicURL: publicURL,
            editors: try parseEditors(editors?.values ?? [], source: editors?.source.description ?? ""),
            policy: try policy(settings), onlyOfficeNative: try onlyOffice(settings))
        if let (url, source) = value(.wopiURL, settings) {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw FolioError.badRequest("\(source): the WOPI URL must start with http:// or https://")
            }
            configuration.wopiURL = url
        }
        if let (text, source) = value(.editorCheckInterval, settings) {
            guard let seconds = Int(text), (1...3600).contains(seconds) else {
                throw FolioError.badRequest(
                    "\(source): the editor check interval is a number of seconds from 1 to 3600, not \"\(text)\"")
            }
            configuration.editorCheckSeconds = seconds
        }
        try previews(settings, into: &configuration)
        return configuration
    }

    func previews(_ settings: Settings, into configuration: inout ServerConfiguration) throws {
        if let (text, source) = value(.previewEngine, settings) {
            guard let engine = PreviewEngineChoice(rawValue: text.lowercased()) else {
                throw FolioError.badRequest(
                    "\(source): the preview engine is auto, libreoffice, collabora or off, not \"\(text)\"")
            }
            configuration.previewEngine = engine
        }
        if let (text, source) = value(.previewWorkers, settings) {
            guard let workers = Int(text), (1...64).contains(workers) else {
                throw FolioError.badRequest("\(source): preview workers are a number from 1 to 64, not \"\(text)\"")
            }
            configuration.previewWorkers = workers
            configuration.previewQueue = 4 * workers
        }
        if let (text, source) = value(.previewAhead, settings) {
            if text.lowercased() == "off" {
                configuration.previewAheadSeconds = nil
            } else {
                guard let seconds = Int(text), (0...86400).contains(seconds) else {
                    throw FolioError.badRequest(
                        "\(source): preview_ahead is a number of seconds from 0 to 86400, or off, not \"\(text)\"")
                }
                configuration.previewAheadSeconds = seconds
            }
        }
    }

    /// ONLYOFFICE's own API: a URL and its secret, both or neither.
    func onlyOffice(_ settings: Settings) throws -> OnlyOfficeNative? {
        let url = value(.onlyOfficeURL, settings)
        let secret = value(.onlyOfficeSecret, settings)
        guard let (base, source) = url else {
            if secret != nil { throw FolioError.badRequest("onlyoffice_secret is set but onlyoffice_url is not") }
            return nil
        }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw FolioError.badRequest("\(source): the ONLYOFFICE URL must start with http:// or https://")
        }
        guard let (key, keySource) = secret, !key.isEmpty else {
            throw FolioError.badRequest("\(source): ONLYOFFICE needs its JWT secret too (onlyoffice_secret)")
        }
        // HS256 keys shorter than the hash are weak (RFC 7518 §3.2); jwt-kit refuses them.
        guard key.utf8.count >= 32 else {
            throw FolioError.badRequest(
                "\(keySource): the ONLYOFFICE secret must be at least 32 characters (set the same one in the document server)"
            )
        }
        let alias = value(.onlyOfficeInternalURL, settings)?.value
        return OnlyOfficeNative(publicURL: base, internalURL: alias, secret: key)
    }

    func folioSettings(_ settings: Settings) throws -> FolioSettings {
        var folio = FolioSettings()
        if let (text, source) = value(.maxUploadBytes, settings) {
            guard let limit = Int64(text), limit > 0 else {
                throw FolioError.badRequest("\(source): the upload limit must be a positive number of bytes")
            }
            folio.maxUploadBytes = limit
        }
        if let (text, source) = value(.tokenLifetime, settings) {
            guard let seconds = Int64(text), (10...7 * 86400).contains(seconds) else {
                throw FolioError.badRequest("\(source): the token lifetime is a number of seconds from 10 to 604800")
            }
            folio.tokenLifetimeSeconds = seconds
        }
        return folio
    }

    /// JSON log lines or plain text.
    func logsAsJSON(_ settings: Settings) throws -> Bool {
        guard let (text, source) = value(.logFormat, settings) else { return false }
        switch text.lowercased() {
        case "json": return true
        case "text": return false
        default: throw FolioError.badRequest("\(source): the log format is text or json, not \"\(text)\"")
        }
    }

    func accessLogged(_ settings: Settings) throws -> Bool {
        guard let (text, source) = value(.accessLog, settings) else { return true }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw FolioError.badRequest("\(source): access_log is true or false, not \"\(text)\"")
        }
    }

    func logLevel(_ settings: Settings) throws -> Logger.Level {
        guard let (text, source) = value(.logLevel, settings) else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw FolioError.badRequest(
                "\(source): the log level is trace, debug, info, notice, warning, error or critical, not \"\(text)\"")
        }
        return level
    }

    /// `collabora=https://cool.example/hosting/discovery` and the like; a kind given several
    /// times is a cluster, one entry per node.
    func parseEditors(_ specs: [String], source: String) throws -> [EditorKind: [String]] {
        var editors: [EditorKind: [String]] = [:]
        for spec in specs {
            let parts = spec.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else {
                throw FolioError.badRequest("\(source): an editor is KIND=DISCOVERY_URL, not \"\(spec)\"")
            }
            guard let kind = EditorKind(rawValue: parts[0].lowercased()) else {
                throw FolioError.badRequest(
                    "\(source): the editor kind is collabora, microsoft or onlyoffice, not \"\(parts[0])\"")
            }
            guard parts[1].hasPrefix("http://") || parts[1].hasPrefix("https://") else {
                throw FolioError.badRequest(
                    "\(source): the discovery URL of \(kind.rawValue) must start with http:// or https://")
            }
            guard editors[kind]?.contains(parts[1]) != true else {
                throw FolioError.badRequest("\(source): the \(kind.rawValue) node \(parts[1]) is given twice")
            }
            editors[kind, default: []].append(parts[1])
        }
        return editors
    }
}
