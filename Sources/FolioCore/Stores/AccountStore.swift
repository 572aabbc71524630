/// People's accounts and their sign-in sessions (web pages), and the editor each chose per
/// extension. All times are microseconds since the epoch, passed in so tests control the clock.
public protocol AccountStore: Sendable {
    /// Creating a user also creates the user's root folder.
    func createUser(login: String, displayName: String, isAdmin: Bool, passwordHash: String?, now: Int64)
        async throws -> User
    func user(id: String) async throws -> User?
    func user(login: String) async throws -> User?
    func setUserInfo(userID: String, info: String) async throws
    /// Every user but guests, by login.
    func users() async throws -> [User]
    func adminExists() async throws -> Bool
    /// Changes what is given; `passwordHash` and `language` set to `.some(nil)` clear the value.
    func updateUser(
        id: String, displayName: String?, isAdmin: Bool?, isDisabled: Bool?, passwordHash: String??,
        language: String??
    ) async throws -> User

    func createWebSession(_ session: WebSession) async throws
    /// A session that has not expired, with its user.
    func webSession(idHash: String, now: Int64) async throws -> (WebSession, User)?
    func deleteWebSession(idHash: String) async throws
    /// Ends every session of a user (disabled, or a new password).
    func deleteWebSessions(userID: String) async throws

    // The editor a user chose for an extension ("docx", lower case), remembered for next time.
    func editorChoice(userID: String, fileExtension: String) async throws -> String?
    func setEditorChoice(userID: String, fileExtension: String, editor: String) async throws
}
