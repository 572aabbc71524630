/// Absolute WOPI URLs as editors must call them, built from the public base URL.
public struct WOPIURLs: Sendable {
    public let base: String

    /// `publicURL` without a trailing slash, e.g. `https://folio.example.com`.
    public init(publicURL: String) {
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
    }

    public func file(_ id: String) -> String { base + "/wopi/files/" + id }
    public func container(_ id: String) -> String { base + "/wopi/containers/" + id }
    public var ecosystem: String { base + "/wopi/ecosystem" }

    /// A WOPI URL with its token; tokens are URL-safe, so no encoding is needed.
    public func withToken(_ url: String, _ token: String) -> String { url + "?access_token=" + token }
}
