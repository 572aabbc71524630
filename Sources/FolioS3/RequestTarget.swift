import Foundation

/// Where a request goes, as it will appear on the wire.
///
/// `path` and `query` are the percent-encoded forms the HTTP client sends. The signer works from
/// these rather than from a `URL` because a `URL` cannot hold every path the AWS test suite uses
/// (a raw space, for one), and because what is signed must be what is sent.
public struct RequestTarget: Sendable, Hashable {
    /// The `Host` header value: the host, plus `:port` when the port is not the scheme's default.
    public var host: String
    /// The percent-encoded path, starting with `/`.
    public var path: String
    /// The percent-encoded query, without the leading `?`; empty when there is none.
    public var query: String

    public init(host: String, path: String, query: String = "") {
        self.host = host
        self.path = path.isEmpty ? "/" : path
        self.query = query
    }

    /// Takes the host, port, path and query of `url`; `nil` when it has no host.
    public init?(url: URL) {
        guard let parts = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let host = parts.percentEncodedHost, !host.isEmpty
        else { return nil }
        var authority = host
        if let port = parts.port, port != Self.defaultPort(scheme: parts.scheme) {
            authority += ":\(port)"
        }
        self.init(host: authority, path: parts.percentEncodedPath, query: parts.percentEncodedQuery ?? "")
    }

    // HTTP clients leave a default port out of the Host header, so the signed value must too.
    private static func defaultPort(scheme: String?) -> Int? {
        switch scheme?.lowercased() {
        case "http": return 80
        case "https": return 443
        default: return nil
        }
    }
}
