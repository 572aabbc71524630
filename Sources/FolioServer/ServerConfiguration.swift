import FolioCore

/// Where the server listens and how editors reach it.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The base URL editors use to call back (behind a proxy: the proxy's URL).
    public var publicURL: String
    /// Discovery URL of each configured editor.
    public var editors: [EditorKind: String]
    public var policy: EditorPolicy

    public init(
        host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, editors: [EditorKind: String] = [:],
        policy: EditorPolicy = .init()
    ) {
        self.host = host
        self.port = port
        self.editors = editors
        self.policy = policy
        self.publicURL = publicURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }
}
