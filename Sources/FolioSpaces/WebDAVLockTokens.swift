import Synchronization

/// The WebDAV locks this process holds for editors, by document URL (and user): Folio's own
/// writes to a locked document must name the lock's token (`If: (<token>)`), but the protocol
/// hands the `SpaceLock` to `lock`, `refresh` and `unlock` only. Shared by every connector of
/// the process, so a connector made again for the same space still finds them.
///
/// Another Folio process does not see these tokens: its writes to a document this one locked
/// fail with `lockedElsewhere` (see the README: the protocol would have to pass the lock).
final class WebDAVLockTokens: Sendable {
    static let shared = WebDAVLockTokens()

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
