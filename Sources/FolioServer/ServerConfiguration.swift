import FolioCore
import Foundation
import Prometheus

/// Where the server listens and how editors reach it.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The base URL people use (behind a proxy: the proxy's URL): pages, links, `HostEditUrl`.
    public var publicURL: String
    /// The base URL editors call Folio at, when it is not the public one (an editor inside a
    /// cluster reaching Folio by an internal name): every WOPISrc, download and callback URL
    /// given to editors. Nil: the public URL.
    public var wopiURL: String?
    /// Discovery URL of each configured editor.
    public var editors: [EditorKind: [String]]
    /// How often each node of a clustered editor is checked (its discovery fetched).
    public var editorCheckSeconds = 15
    /// Conversions (previews, PDFs, format changes) at once, and how many may wait behind them.
    public var previewWorkers = max(1, ProcessInfo.processInfo.activeProcessorCount)
    public var previewQueue = 4 * max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// The longest one conversion may take.
    public var previewTimeLimitSeconds = 60
    /// What makes PDFs and conversions.
    public var previewEngine = PreviewEngineChoice.auto
    /// Seconds a file's saves settle before its thumbnail and PDF are made ahead of time; nil: never.
    public var previewAheadSeconds: Int? = 20
    public var policy: EditorPolicy
    /// Answer CheckFileInfo on the event loop when its inputs are cached (`ImmediateCheckFileInfo`);
    /// off only to compare the two paths.
    public var answersImmediately: Bool
    /// ONLYOFFICE's own API (`/office`), when a document server and its secret are configured.
    public var onlyOfficeNative: OnlyOfficeNative?
    /// Where `/metrics` reads from; nil serves no metrics. `serve` makes swift-metrics report here.
    public var metrics: PrometheusCollectorRegistry?
    /// One log line per request (CheckFileInfo answered on the event loop is only counted).
    public var accessLog = false
    /// Takes access lines ready made (`key=value …`, no time or newline) instead of the
    /// logger: one a request, so `folio serve` hands them straight to its batched log output
    /// rather than through swift-log's metadata (which cost more than half of CheckFileInfo's
    /// throughput). Nil: the lines go through the logger (tests, other hosts).
    public var accessLineWriter: (@Sendable (String) -> Void)?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, editors: [EditorKind: [String]] = [:],
        policy: EditorPolicy = .init(), answersImmediately: Bool = true, onlyOfficeNative: OnlyOfficeNative? = nil
    ) {
        self.onlyOfficeNative = onlyOfficeNative
        self.host = host
        self.answersImmediately = answersImmediately
        self.port = port
        self.editors = editors
        self.policy = policy
        self.publicURL = publicURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}

/// What makes PDFs and conversions (`preview_engine`).
public enum PreviewEngineChoice: String, Sendable, CaseIterable {
    /// LibreOffice when installed, else a configured Collabora's convert-to.
    case auto
    case libreoffice
    case collabora
    case off
}
