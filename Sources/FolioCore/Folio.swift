import Logging
import NIOCore
import WOPI

/// Folio's services: every rule about users, files, versions, locks and access lives here,
/// between the HTTP routers (which only translate) and the stores (which only persist).
public final class Folio: Sendable {
    /// The store, one concern at a time: each service and component reaches only the part it needs.
    public let accounts: any AccountStore
    public let files: any FileStore
    public let browsing: any BrowseStore
    public let sharing: any SharingStore
    public let apiKeys: any APIKeyStore
    public let webhooks: any WebhookStore
    public let officeKeys: any OfficeKeyStore
    public let maintenance: any MaintenanceStore
    public let spaceDocs: any SpaceStore
    public let retention: any RetentionStore
    public let derived: any DerivedStore
    public let blobs: any BlobStore
    /// Outside storage edited in place (`--space`).
    public let spaces: SpaceRegistry
    public let signer: TokenSigner
    public let clock: any FolioClock
    public let settings: FolioSettings
    public let logger: Logger
    /// Files whose content just changed (read by the previews made ahead of time).
    public let contentChanges = ContentChanges()

    public init(
        store: any MetadataStore, blobs: any BlobStore, signer: TokenSigner, clock: any FolioClock = SystemClock(),
        settings: FolioSettings = .init(), spaces: [Space] = [], logger: Logger = Logger(label: "folio")
    ) {
        accounts = store
        files = store
        browsing = store
        sharing = store
        apiKeys = store
        webhooks = store
        officeKeys = store
        maintenance = store
        spaceDocs = store
        retention = store
        derived = store
        self.blobs = blobs
        self.spaces = SpaceRegistry(spaces)
        self.signer = signer
        self.clock = clock
        self.settings = settings
        self.logger = logger
    }

    /// Microseconds since the epoch.
    public func now() -> Int64 { clock.now() }

    // MARK: Tokens

    /// Issues a token for `resource`; the default expiry is `settings.tokenLifetimeSeconds` from now.
    public func issueToken(
        _ resource: AccessGrant.Resource, userID: String, role: Role, expiresAtMs: Int64? = nil,
        editor: EditorKind? = nil
    ) -> (token: String, expiresAtMs: Int64) {
        let expiry = expiresAtMs ?? (now() / 1000 + settings.tokenLifetimeSeconds * 1000)
        let grant = AccessGrant(resource: resource, userID: userID, role: role, expiresAtMs: expiry, editor: editor)
        return (signer.issue(grant), expiry)
    }

    /// Checks a token's signature and expiry, and that it was issued for `resource`.
    func verify(_ token: String?, for resource: AccessGrant.Resource) throws -> AccessGrant {
        guard let token, !token.isEmpty else { throw FolioError.unauthorized("no access token") }
        guard let grant = signer.verify(token) else { throw FolioError.unauthorized("the access token is not valid") }
        guard grant.expiresAtMs * 1000 > now() else { throw FolioError.unauthorized("the access token has expired") }
        guard grant.resource == resource else {
            throw FolioError.unauthorized("the access token was issued for another resource")
        }
        return grant
    }

    /// Authorises a request on a file: the token must be for this file, and the user must still
    /// hold a role on it now (grants are re-checked on every request).
    public func authorizeFile(token: String?, fileID: String) async throws -> FileSession {
        try await session(for: try verify(token, for: .file(fileID)), fileID: fileID)
    }

    /// Authorises a host-page link (ticket) for a file, with the same checks as a WOPI token.
    public func authorizePage(ticket: String?, fileID: String) async throws -> FileSession {
        try await session(for: try verify(ticket, for: .page(fileID)), fileID: fileID)
    }

    /// The session `authorizeFile` would give, when everything it needs is cached and current;
    /// nil otherwise (including every failure, which `authorizeFile` then reports). Synchronous
    /// and free of I/O, for answering on the event loop.
    public func cachedFileSession(token: String, fileID: String) -> FileSession? {
        guard let grant = signer.verify(token) else { return nil }
        return cachedFileSession(grant: grant, fileID: fileID)
    }

    /// The same, for a token already verified (its grant).
    public func cachedFileSession(grant: AccessGrant, fileID: String) -> FileSession? {
        guard grant.expiresAtMs * 1000 > now(), grant.resource == .file(fileID),
            let record = files.cachedAccess(fileID: fileID, userID: grant.userID), let current = record.role,
            !record.user.isDisabled,
            // A space's document is checked against its storage on every CheckFileInfo.
            !isSpaceFile(record.file)
        else { return nil }
        return FileSession(
            file: record.file, user: record.user, role: min(current, grant.role), grant: grant,
            folderName: record.folderName)
    }

    /// The file session a verified grant gives now: the file must exist and the user must
    /// still hold a role on it; the smaller of that role and the grant's applies.
    func session(for grant: AccessGrant, fileID: String) async throws -> FileSession {
        guard let record = try await files.access(fileID: fileID, userID: grant.userID) else {
            throw FolioError.notFound("no such file")
        }
        return try await session(for: grant, record: record)
    }

    /// `authorizeFile` for a WOPI save, with what the save is decided on (the file and its
    /// lock) read in the same trip to the database.
    public func authorizeSave(token: String?, fileID: String) async throws -> (FileSession, SaveBasis) {
        let grant = try verify(token, for: .file(fileID))
        guard let (record, basis) = try await files.saveAccess(fileID: fileID, userID: grant.userID, now: now()) else {
            throw FolioError.notFound("no such file")
        }
        return (try await session(for: grant, record: record), basis)
    }

    func session(for grant: AccessGrant, record: FileAccessRecord) async throws -> FileSession {
        guard let current = try await roleIncludingSpace(record), !record.user.isDisabled else {
            throw FolioError.unauthorized("access to this file was withdrawn")
        }
        return FileSession(
            file: record.file, user: record.user, role: min(current, grant.role), grant: grant,
            folderName: record.folderName)
    }

    public func authorizeContainer(token: String?, folderID: String) async throws -> ContainerSession {
        let grant = try verify(token, for: .container(folderID))
        guard let folder = try await files.folder(id: folderID) else { throw FolioError.notFound("no such folder") }
        guard let user = try await accounts.user(id: grant.userID), !user.isDisabled,
            let current = try await files.role(userID: user.id, folderID: folderID)
        else { throw FolioError.unauthorized("access to this folder was withdrawn") }
        return ContainerSession(folder: folder, user: user, role: min(current, grant.role), grant: grant)
    }

    public func authorizeEcosystem(token: String?) async throws -> EcosystemSession {
        let grant = try verify(token, for: .ecosystem)
        guard let user = try await accounts.user(id: grant.userID), !user.isDisabled else {
            throw FolioError.unauthorized("the user no longer exists or is disabled")
        }
        return EcosystemSession(user: user, grant: grant)
    }

    // MARK: Users

    public func addUser(login: String, displayName: String?, isAdmin: Bool, passwordHash: String?) async throws -> User
    {
        guard Self.isValidLogin(login) else {
            throw FolioError.badRequest(
                "a login is 1 to 64 letters, digits, '.', '_', '-' or '@', starting with a letter or digit")
        }
        return try await accounts.createUser(
            login: login, displayName: displayName ?? login, isAdmin: isAdmin, passwordHash: passwordHash, now: now())
    }

    public func requireUser(login: String) async throws -> User {
        guard let user = try await accounts.user(login: login) else { throw FolioError.notFound("no user \(login)") }
        return user
    }

    static func isValidLogin(_ login: String) -> Bool {
        let bytes = Array(login.utf8)
        guard (1...64).contains(bytes.count), let first = bytes.first, isAlnum(first) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == 46 || $0 == 95 || $0 == 45 || $0 == 64 }
    }

    static func isAlnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
}
