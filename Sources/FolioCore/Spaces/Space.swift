import Synchronization

/// A configured space: its name, its storage and whether Folio keeps every save's content.
public struct Space: Sendable {
    /// `keep`: every save's content also stays in Folio's blob store (history and restore work
    /// where the storage keeps none). `none` (`currentOnly`): the versions are still recorded
    /// (who, when, editor, size, SHA-256) but only the current one's content stays; the older
    /// content leaves at the next `folio gc`, for storage that keeps history itself or where
    /// copies must not pile up outside it.
    public enum History: String, Sendable, CaseIterable {
        case keep
        case currentOnly = "none"
    }

    public let name: String
    public let connector: any SpaceConnector
    public let history: History
    /// How editors' autosaves to this space thin as they age; nil: the installation's policy.
    public let retention: RetentionPolicy?

    public init(
        name: String, connector: any SpaceConnector, history: History = .keep, retention: RetentionPolicy? = nil
    ) throws {
        try Self.checkName(name)
        self.name = name
        self.connector = connector
        self.history = history
        self.retention = retention
    }

    /// `[a-z0-9-]{1,32}`.
    public static func checkName(_ name: String) throws {
        let allowed = name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        guard (1...32).contains(name.utf8.count), allowed else {
            throw FolioError.badRequest("a space name is 1 to 32 of a-z, 0-9 and -, not \(name.debugDescription)")
        }
    }

    /// The account that owns the space's files in Folio's tables. People's logins cannot hold
    /// ":", so it never collides with one.
    public var ownerLogin: String { "space:" + name }
}

/// The spaces of an installation, and the accounts that own their files (learnt on first
/// use), so that a file is known to be a space's without a query.
public final class SpaceRegistry: Sendable {
    public let spaces: [String: Space]
    let owners = Mutex<[String: String]>([:])

    public init(_ spaces: [Space] = []) {
        self.spaces = Dictionary(spaces.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func remember(owner: String, of space: String) { owners.withLock { $0[owner] = space } }

    /// The space whose account owns a file, if any.
    func space(owning ownerID: String) -> Space? {
        guard !spaces.isEmpty, let name = owners.withLock({ $0[ownerID] }) else { return nil }
        return spaces[name]
    }
}
