import FolioCore
import FolioS3
import FolioSpaces
import Foundation

/// A space as configured: `NAME=KIND:LOCATION` (`--space`, `FOLIO_SPACES`, `spaces:`).
public struct SpaceLocation: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable { case folder, webdav, s3, http }

    public let name: String
    public let kind: Kind
    let location: String
    /// Whether every save's content stays in Folio (`space_history`; keep by default).
    public private(set) var history: Space.History = .keep

    /// The space's own version retention (`space_retention`); nil: the installation's.
    public private(set) var retention: RetentionPolicy?

    /// The same space with its own retention policy.
    public func with(retention: RetentionPolicy?) -> SpaceLocation {
        var copy = self
        copy.retention = retention
        return copy
    }

    /// The same space with `history`.
    public func with(history: Space.History) -> SpaceLocation {
        var copy = self
        copy.history = history
        return copy
    }

    public init(_ text: String) throws {
        guard let equals = text.firstIndex(of: "="), let colon = text[equals...].firstIndex(of: ":") else {
            throw FolioError.badRequest(
                "a space is NAME=KIND:LOCATION (kinds: folder, webdav, s3, http), not \(Self.redacted(text))")
        }
        name = String(text[..<equals])
        try Space.checkName(name)
        let kindName = String(text[text.index(after: equals)..<colon])
        guard let kind = Kind(rawValue: kindName) else {
            throw FolioError.badRequest("space \(name): the kind is folder, webdav, s3 or http, not \(kindName)")
        }
        self.kind = kind
        location = String(text[text.index(after: colon)...])
        guard !location.isEmpty else { throw FolioError.badRequest("space \(name) names no location") }
        if kind == .folder, !location.hasPrefix("/") {
            throw FolioError.badRequest("space \(name): a folder space needs an absolute path, not \(location)")
        }
    }

    /// The space with its storage. A WebDAV server is asked what it is (a wrong password or
    /// path is said now); one that does not answer at start is taken to have locks, as every
    /// server Folio works with does, and its calls fail as unavailable until it is back.
    public func open() async throws -> Space {
        switch kind {
        case .folder:
            return try Space(
                name: name, connector: FolderConnector(root: location), history: history, retention: retention)
        case .webdav:
            let location = try WebDAVLocation("webdav:" + location)
            do {
                return try Space(
                    name: name, connector: try await WebDAVConnector.connect(location), history: history,
                    retention: retention)
            } catch FolioError.unavailable {
                return try Space(
                    name: name, connector: WebDAVConnector(location: location, hasNativeLocks: true), history: history,
                    retention: retention)
            }
        case .s3:
            return try Space(
                name: name,
                connector: S3SpaceConnector(url: location, environment: ProcessInfo.processInfo.environment),
                history: history, retention: retention)
        case .http:
            return try Space(
                name: name, connector: HTTPConnector(location: HTTPSpaceLocation("http:" + location)), history: history,
                retention: retention)
        }
    }

    /// `NAME=KIND:LOCATION` without a password or secret.
    public var description: String {
        "\(name)=\(kind.rawValue):\(Self.redacted(location))"
            + (history == .keep ? "" : " (history: \(history.rawValue))")
    }

    /// A location with `user:password@` and `secret=` values blanked.
    static func redacted(_ text: String) -> String {
        var text = text
        if let at = text.firstIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound < at,
            let colon = text[scheme.upperBound..<at].firstIndex(of: ":")
        {
            text.replaceSubrange(text.index(after: colon)..<at, with: "***")
        }
        if let secret = text.range(of: "secret=") {
            let end = text[secret.upperBound...].firstIndex(of: "&") ?? text.endIndex
            text.replaceSubrange(secret.upperBound..<end, with: "***")
        }
        return text
    }
}
