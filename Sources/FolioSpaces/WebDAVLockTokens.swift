import Synchronization

/// The WebDAV locks Folio holds for editors, by document URL (and user): Folio's own writes
/// to a locked document must name the lock's token (`If: (<token>)`). `lock`, `refresh` and
/// `unlock` keep them; `adopt` brings in one another Folio process took (the service keeps
/// every storage lock in the database and hands it over before a change). Shared by every
/// connector of the process, so a connector made again for the same space still finds them.
public final class WebDAVLockTokens: Sendable {
    static let shared = WebDAVLockTokens()

    /// Tokens of their own, as another process has (tests of several Folio processes).
    public init() {}

    private let tokens = Mutex<[String: String]>([:])

    static func key(_ url: String, user: String) -> String { user + " " + url }

    func token(_ key: String) -> String? { tokens.withLock { $0[key] } }

    func set(_ key: String, _ token: String) { tokens.withLock { $0[key] = token } }

    /// Forgets `key`'s token, only if it is still `token` (a newer lock stays).
    func remove(_ key: String, token: String? = nil) {
        tokens.withLock { tokens in
            if token == nil || tokens[key] == token { tokens[key] = nil }
        }
    }
}
