import FolioCore
import Foundation
import WOPI

/// A WebDAV collection used as a space: `webdav:http(s)://[USER:PASSWORD@]HOST[:PORT]/PATH/`.
/// The user and password may be percent-encoded; `description` never shows the password, and
/// neither does any error about a location.
public struct WebDAVLocation: Sendable, Equatable, CustomStringConvertible {
    /// `http(s)://host[:port]`, no path, no user.
    public let origin: String
    /// The collection's path as sent on the wire (percent-encoded), starting and ending with "/".
    public let basePath: String
    public let user: String
    let password: String

    public init(_ text: String) throws {
        guard text.hasPrefix("webdav:") else { throw Self.refused(text, "it does not start with webdav:") }
        let rest = String(text.dropFirst("webdav:".count))
        guard let url = URLComponents(string: rest), let scheme = url.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = url.host, !host.isEmpty
        else { throw Self.refused(text, "it is not webdav:http(s)://[USER:PASSWORD@]HOST[:PORT]/PATH/") }
        guard url.query == nil, url.fragment == nil else { throw Self.refused(text, "it has a query or a fragment") }
        let path = url.percentEncodedPath.isEmpty ? "/" : url.percentEncodedPath
        guard path.hasPrefix("/"), path.removingPercentEncoding != nil else {
            throw Self.refused(text, "its path is not percent-encoded properly")
        }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        self.origin = "\(scheme)://\(hostPart)" + (url.port.map { ":\($0)" } ?? "")
        self.basePath = path.hasSuffix("/") ? path : path + "/"
        self.user = url.user ?? ""
        self.password = url.password ?? ""
    }

    public init(origin: String, basePath: String, user: String, password: String) {
        self.origin = origin
        self.basePath = basePath.hasSuffix("/") ? basePath : basePath + "/"
        self.user = user
        self.password = password
    }

    public var description: String {
        "webdav:" + origin.replacingOccurrences(of: "://", with: "://" + (user.isEmpty ? "" : "\(user)@")) + basePath
    }

    /// The collection `name` inside this one.
    public func inside(_ name: String) -> WebDAVLocation {
        WebDAVLocation(origin: origin, basePath: basePath + Self.encode(name) + "/", user: user, password: password)
    }

    /// The URL of `path` inside the collection (no user, no password); a folder's ends with "/".
    public func url(_ path: SpacePath, folder: Bool = false) -> String {
        origin + basePath + path.components.map(Self.encode).joined(separator: "/")
            + (folder && !path.isRoot ? "/" : "")
    }

    /// Everything but RFC 3986's unreserved characters is percent-encoded: a name's `#`, `?`,
    /// `+`, `&`, `;` or space then reaches the server as part of the name.
    static func encode(_ name: String) -> String { ActionURL.percentEncode(name) }

    /// The names below the collection of an `href` from a multistatus answer (a path or a full
    /// URL), decoded; nil when it lies outside the collection.
    func names(ofHref href: String) -> [String]? {
        var path = href
        if let schemeEnd = href.range(of: "://") {
            guard let slash = href[schemeEnd.upperBound...].firstIndex(of: "/") else { return [] }
            path = String(href[slash...])
        }
        guard let decoded = path.removingPercentEncoding, let base = basePath.removingPercentEncoding else {
            return nil
        }
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard decoded == trimmedBase || decoded.hasPrefix(trimmedBase + "/") else { return nil }
        return decoded.dropFirst(trimmedBase.count).split(separator: "/").map(String.init)
    }

    /// The location with a password hidden, for errors about what someone typed.
    static func refused(_ text: String, _ why: String) -> FolioError {
        var shown = text
        if let slashes = text.range(of: "//"), let at = text[slashes.upperBound...].lastIndex(of: "@"),
            let colon = text[slashes.upperBound..<at].firstIndex(of: ":")
        {
            shown = String(text[...colon]) + "***" + String(text[at...])
        }
        return .badRequest("\(shown) is not a WebDAV space: \(why)")
    }
}
