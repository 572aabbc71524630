import FolioCore
import Foundation
import WOPI

/// Where an `http` space's application is (docs/connector-contract.md):
/// `http:https://APP/BASE[?secret=S]`. The secret is kept apart and never shown.
public struct HTTPSpaceLocation: Sendable, CustomStringConvertible {
    /// `scheme://host[:port]`.
    public let origin: String
    /// The base URL's path as given (percent-encoded), without a final slash: "" or "/folio".
    public let basePath: String
    /// The shared secret requests are signed with; nil sends them unsigned.
    let secret: String?

    public init(_ text: String) throws {
        guard text.hasPrefix("http:") else { throw Self.refused("it does not start with http:") }
        let url = String(text.dropFirst("http:".count))
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = parts.percentEncodedHost, !host.isEmpty
        else { throw Self.refused("after http: comes the application's base URL, http(s)://HOST[:PORT]/BASE") }
        // Credentials in the URL would be shown wherever the location is; the secret is its own item.
        guard parts.user == nil, parts.password == nil, parts.fragment == nil else {
            throw Self.refused("the URL has a user, password or #fragment")
        }
        var secret: String?
        for item in parts.queryItems ?? [] {
            guard item.name == "secret", secret == nil, let value = item.value, !value.isEmpty else {
                throw Self.refused("its only query parameter is secret=S, once and not empty")
            }
            secret = value
        }
        var path = parts.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        self.origin = scheme + "://" + host + (parts.port.map { ":\($0)" } ?? "")
        self.basePath = path
        self.secret = secret
    }

    init(origin: String, basePath: String, secret: String?) {
        self.origin = origin
        self.basePath = basePath
        self.secret = secret
    }

    /// The base URL without the secret, and whether requests are signed.
    public var description: String {
        "http \(origin)\(basePath)/" + (secret == nil ? " (unsigned)" : "")
    }

    /// The same application with its base moved down into `folder` (a space inside a space).
    public func appending(_ folder: SpacePath) -> HTTPSpaceLocation {
        HTTPSpaceLocation(origin: origin, basePath: target(folder), secret: secret)
    }

    /// The request target of `path`: the base path, then each name percent-encoded alone
    /// (everything but A-Z a-z 0-9 - . _ ~), then `?action`.
    public func target(_ path: SpacePath, action: String? = nil) -> String {
        var text = basePath
        for name in path.components { text += "/" + Self.encode(name) }
        if path.isRoot { text += "/" }
        if let action { text += "?" + action }
        return text
    }

    static func encode(_ name: String) -> String { ActionURL.percentEncode(name) }

    static func refused(_ why: String) -> FolioError {
        .badRequest("not an http space location (http:https://APP/BASE?secret=S): \(why)")
    }
}
