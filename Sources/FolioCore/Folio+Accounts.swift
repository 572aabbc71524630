import Crypto
import Foundation
import NIOPosix

/// Signing in to the web pages, and what administrators do with accounts.
extension Folio {
    /// How long a web sign-in lasts.
    public static let webSessionLifetime: Int64 = 12 * 3600 * 1_000_000

    /// Checks a login and password; one message for every failure, so logins cannot be probed.
    public func signIn(login: String, password: String) async throws -> (secret: String, session: WebSession) {
        let refused = FolioError.unauthorized("wrong login or password")
        guard let user = try await accounts.user(login: login), !user.isGuest, let hash = user.passwordHash else {
            throw refused
        }
        // bcrypt takes a quarter of a second on purpose: keep it off the threads that run tasks.
        let matches = try await PasswordCheck.matches(password, hash: hash)
        guard matches else { throw refused }
        guard !user.isDisabled else { throw FolioError.forbidden("this account is disabled") }
        return try await startWebSession(for: user, expiresAt: nil)
    }

    /// A new sign-in session; the secret goes into the cookie, only its hash into the store.
    public func startWebSession(for user: User, expiresAt: Int64?) async throws -> (
        secret: String, session: WebSession
    ) {
        let secret = Base64URL.encode(Self.randomBytes(32))
        let now = now()
        let session = WebSession(
            idHash: Self.hash(secret), userID: user.id, csrfToken: Base64URL.encode(Self.randomBytes(24)),
            createdAt: now, expiresAt: min(expiresAt ?? .max, now + Self.webSessionLifetime))
        try await accounts.createWebSession(session)
        return (secret, session)
    }

    /// The live session and user behind a cookie secret; nil when there is none.
    public func webSession(secret: String) async throws -> (WebSession, User)? {
        guard !secret.isEmpty,
            let (session, user) = try await accounts.webSession(idHash: Self.hash(secret), now: now()),
            !user.isDisabled
        else { return nil }
        return (session, user)
    }

    public func signOut(secret: String) async throws {
        try await accounts.deleteWebSession(idHash: Self.hash(secret))
    }

    /// The first administrator, made through the one-time set-up page; refused once one exists.
    public func createFirstAdministrator(login: String, displayName: String, password: String) async throws -> User {
        guard try await !accounts.adminExists() else {
            throw FolioError.conflict("an administrator exists already")
        }
        let hash = try await Self.hashPassword(password)
        return try await addUser(login: login, displayName: displayName, isAdmin: true, passwordHash: hash)
    }

    /// An administrator adds a user with a password.
    public func addUser(by admin: User, login: String, displayName: String, password: String, isAdmin: Bool)
        async throws -> User
    {
        try requireAdministrator(admin)
        let hash = try await Self.hashPassword(password)
        let name = displayName.trimmingCharacters(in: .whitespaces)
        return try await addUser(
            login: login, displayName: name.isEmpty ? login : name, isAdmin: isAdmin, passwordHash: hash)
    }

    /// Disables or enables a user; disabling ends every sign-in and refuses every token at once.
    public func setDisabled(_ disabled: Bool, userID: String, by admin: User) async throws {
        try requireAdministrator(admin)
        guard userID != admin.id else { throw FolioError.badRequest("you cannot disable yourself") }
        _ = try await accounts.updateUser(
            id: userID, displayName: nil, isAdmin: nil, isDisabled: disabled, passwordHash: nil, language: nil)
        if disabled { try await accounts.deleteWebSessions(userID: userID) }
    }

    /// Sets a new password and signs the user out everywhere.
    public func resetPassword(userID: String, password: String, by admin: User) async throws {
        try requireAdministrator(admin)
        let hash = try await Self.hashPassword(password)
        _ = try await accounts.updateUser(
            id: userID, displayName: nil, isAdmin: nil, isDisabled: nil, passwordHash: .some(hash), language: nil)
        try await accounts.deleteWebSessions(userID: userID)
    }

    public func setLanguage(_ language: String?, for user: User) async throws {
        _ = try await accounts.updateUser(
            id: user.id, displayName: nil, isAdmin: nil, isDisabled: nil, passwordHash: nil, language: .some(language))
    }

    public func requireAdministrator(_ user: User) throws {
        guard user.isAdmin, !user.isDisabled else { throw FolioError.forbidden("only administrators may do this") }
    }

    static func hashPassword(_ password: String) async throws -> String {
        guard password.count >= PasswordHasher.minimumLength else {
            throw FolioError.badRequest("a password needs at least \(PasswordHasher.minimumLength) characters")
        }
        return try await NIOThreadPool.singleton.runIfActive { try PasswordHasher.hash(password) }
    }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// bcrypt off the threads that run tasks.
enum PasswordCheck {
    static func matches(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { PasswordHasher.verify(password, hash: hash) }
    }
}
