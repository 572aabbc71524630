/// Every setting Folio reads, in one list. Each has a key in the configuration file, an
/// environment variable (`FOLIO_` and the key in capitals) and a command-line option; `folio
/// config check` and the README's table follow this list.
enum Setting: String, CaseIterable, Sendable {
    case data
    case database
    case blobs
    case secretFile = "secret_file"
    case spaces
    case spaceHistory = "space_history"
    case versionRetention = "version_retention"
    case spaceRetention = "space_retention"
    case host
    case port
    case publicURL = "public_url"
    case wopiURL = "wopi_url"
    case maxUploadBytes = "max_upload_bytes"
    case tokenLifetime = "token_lifetime"
    case editors
    case editorCheckInterval = "editor_check_interval"
    case previewEngine = "preview_engine"
    case previewWorkers = "preview_workers"
    case previewAhead = "preview_ahead"
    case hidePrintFor = "hide_print_for"
    case hideExportFor = "hide_export_for"
    case disableCopyFor = "disable_copy_for"
    case watermark
    case onlyOfficeURL = "onlyoffice_url"
    case onlyOfficeSecret = "onlyoffice_secret"
    case onlyOfficeInternalURL = "onlyoffice_internal_url"
    case logLevel = "log_level"
    case logFormat = "log_format"
    case accessLog = "access_log"

    var key: String { rawValue }
    var environmentVariable: String { "FOLIO_" + rawValue.uppercased() }

    var option: String {
        switch self {
        case .editors: "--editor"
        case .spaces: "--space"
        default: "--" + rawValue.replacingOccurrences(of: "_", with: "-")
        }
    }

    /// Settings that hold several values: a YAML list, or commas in the environment.
    var isList: Bool {
        [
            .editors, .spaces, .spaceHistory, .versionRetention, .spaceRetention, .hidePrintFor, .hideExportFor,
            .disableCopyFor,
        ].contains(
            self)
    }

    /// Values `folio config check` does not print.
    var isSecret: Bool { self == .onlyOfficeSecret }

    /// The default, as `folio config check` shows it.
    var defaultValue: String {
        switch self {
        case .data: "./folio-data"
        case .database: "sqlite://DATA/folio.sqlite"
        case .blobs: "DATA/blobs"
        case .secretFile: "DATA/secret.key"
        case .host: "127.0.0.1"
        case .port: "8080"
        case .publicURL: "http://HOST:PORT"
        case .wopiURL: "the public URL"
        case .maxUploadBytes: "4294967296"
        case .tokenLifetime: "36000"
        case .editorCheckInterval: "15"
        case .previewEngine: "auto"
        case .previewWorkers: "the number of cores"
        case .previewAhead: "20"
        case .logLevel: "info"
        case .logFormat: "text"
        case .accessLog: "true"
        case .spaceHistory: "keep"
        case .spaceRetention: "the installation's"
        case .versionRetention: "all 24h, hourly 30d, daily"
        case .editors, .spaces, .hidePrintFor, .hideExportFor, .disableCopyFor, .watermark, .onlyOfficeURL,
            .onlyOfficeSecret, .onlyOfficeInternalURL:
            "none"
        }
    }
}
