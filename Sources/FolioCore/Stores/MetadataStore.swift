import WOPI

/// How a content write is checked against the file's lock, in the same transaction as the write.
public enum LockCheck: Sendable, Equatable {
    /// The WOPI PutFile rule (PROTOCOL.md §A.3) with this `X-WOPI-Lock` (nil: header absent).
    case wopi(String?)
    /// Write only if the file is not locked (PutRelativeFile overwriting a target).
    case mustBeUnlocked
}

/// Conditions a new version must meet; checked inside the write transaction.
public struct WriteConditions: Sendable, Equatable {
    public var lock: LockCheck
    /// Collabora's `X-COOL-WOPI-Timestamp`: write only if the current version's time is this.
    public var unmodifiedSince: Int64?
    /// Write only if the current version number is this (`If-Match`).
    public var expectedVersion: Int64?

    public init(lock: LockCheck, unmodifiedSince: Int64? = nil, expectedVersion: Int64? = nil) {
        self.lock = lock
        self.unmodifiedSince = unmodifiedSince
        self.expectedVersion = expectedVersion
    }
}

/// A file, the user asking for it, and the role that user has on it now.
public struct FileAccessRecord: Sendable, Equatable {
    public var file: StoredFile
    public var user: User
    /// nil when the user has no access at all.
    public var role: Role?
    /// The name of the file's folder (Microsoft's breadcrumbs), read in the same transaction.
    public var folderName: String? = nil
}

/// What a lock operation did: the decision, and the lock in force afterwards.
public struct LockResult: Sendable, Equatable {
    public var decision: LockDecision
    public var lock: FileLock?
}

/// Everything Folio keeps besides content. Every implementation passes the same conformance
/// suite; all times are microseconds since the epoch, passed in so tests control the clock.
public protocol MetadataStore: Sendable {
    // Users. Creating a user also creates the user's root folder.
    func createUser(login: String, displayName: String, isAdmin: Bool, passwordHash: String?, now: Int64)
        async throws -> User
    func user(id: String) async throws -> User?
    func user(login: String) async throws -> User?
    func setUserInfo(userID: String, info: String) async throws

    // Folders.
    func folder(id: String) async throws -> Folder?
    func createFolder(parentID: String, name: String, ownerID: String, now: Int64) async throws -> Folder
    func renameFolder(id: String, name: String, now: Int64) async throws -> Folder
    /// Deletes an empty folder; `FolioError.conflict` when it holds anything.
    func deleteFolder(id: String, now: Int64) async throws
    /// The folders from the root down to `id`, inclusive.
    func folderPath(id: String) async throws -> [Folder]
    func children(ofFolder id: String) async throws -> (folders: [Folder], files: [StoredFile])
    /// Whether a live file or folder in `folderID` has this name (case-insensitive).
    func nameExists(inFolder folderID: String, name: String) async throws -> Bool

    // Files.
    func file(id: String) async throws -> StoredFile?
    /// The file, the user and the user's role in one read: the CheckFileInfo hot path.
    func access(fileID: String, userID: String) async throws -> FileAccessRecord?
    /// What `access` loaded recently for a file the user may open, if that is still current;
    /// nil otherwise. Never touches the database, so an event loop may call it.
    func cachedAccess(fileID: String, userID: String) -> FileAccessRecord?
    /// The role a user has on a folder (ownership or grants on it or an ancestor).
    func role(userID: String, folderID: String) async throws -> Role?
    /// Creates a file with `blob` as version 1; `FolioError.nameTaken` if the name is used.
    func createFile(folderID: String, name: String, ownerID: String, blob: StoredBlob, info: VersionInfo, now: Int64)
        async throws -> StoredFile
    /// Adds a version after checking `conditions` in the same transaction.
    func addVersion(fileID: String, blob: StoredBlob, info: VersionInfo, conditions: WriteConditions, now: Int64)
        async throws -> StoredFile
    /// Renames a live file after the WOPI rename lock rule with `lock`; nil skips the lock rule.
    func renameFile(id: String, name: String, lock: String?, checkLock: Bool, now: Int64) async throws -> StoredFile
    /// Moves a file to the trash after the WOPI delete lock rule.
    func deleteFile(id: String, now: Int64, deletedBy: String?) async throws
    func versions(fileID: String) async throws -> [Version]

    // Locks: compare-and-set in one transaction through `LockTable`.
    /// `holderID` is remembered with a lock that is set, to show who is editing.
    func applyLock(fileID: String, operation: LockOperation, now: Int64, holderID: String?) async throws -> LockResult
    /// The lock in force now, read without taking the write lock.
    func currentLock(fileID: String, now: Int64) async throws -> FileLock?

    // The editor a user chose for an extension ("docx", lower case), remembered for next time.
    func editorChoice(userID: String, fileExtension: String) async throws -> String?
    func setEditorChoice(userID: String, fileExtension: String, editor: String) async throws

    // Grants on a file or folder; `role: nil` takes the grant back.
    func setGrant(resourceID: String, userID: String, role: Role?) async throws
    /// The grants on one file or folder, with their users, by display name.
    func grants(resourceID: String) async throws -> [GrantRecord]
    /// Files and folders granted to the user directly (not through a folder), by name.
    func sharedWith(userID: String) async throws -> [ListingItem]

    // Accounts and sign-in sessions (web pages).
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

    // Browsing, moving and the trash.
    /// One page of a folder: folders first, then files, in `order`; one query.
    func listFolder(
        id: String, order: ListingOrder, descending: Bool, nameContains: String?, offset: Int, limit: Int, now: Int64
    ) async throws -> ListingPage
    func moveFile(id: String, toFolder folderID: String, now: Int64) async throws -> StoredFile
    /// Moves a folder; never into itself or below itself.
    func moveFolder(id: String, toParent parentID: String, now: Int64) async throws -> Folder
    /// Moves a folder with everything in it to the trash.
    func trashFolder(id: String, now: Int64, deletedBy: String?) async throws
    /// The items in a user's trash (those they own or deleted), newest first.
    func trash(ownerID: String) async throws -> [TrashItem]
    /// Puts an item back where it was; `FolioError.nameTaken` when its name is used there now.
    func restore(_ kind: ListingItem.Kind, id: String, now: Int64) async throws
    /// Deletes a trashed item and everything in it for good; returns the blobs to remove.
    func purge(_ kind: ListingItem.Kind, id: String) async throws -> [String]

    // Share links and their guests.
    func createLink(_ link: ShareLink) async throws
    func link(id: String) async throws -> ShareLink?
    func links(resourceID: String) async throws -> [ShareLink]
    /// Revokes a link; its guests lose their grant and are disabled in the same transaction.
    func revokeLink(id: String, now: Int64) async throws
    /// A guest user for a link, with the link's role on its item.
    func createGuest(link: ShareLink, displayName: String, now: Int64) async throws -> User

    // The application API: keys, users by external id, webhooks and deliveries.
    func createAPIKey(_ key: APIKey) async throws
    func apiKey(id: String) async throws -> APIKey?
    func apiKeys() async throws -> [APIKey]
    func revokeAPIKey(id: String, now: Int64) async throws
    /// Creates the user an application knows by `externalID`, or renames them; one transaction.
    func upsertExternalUser(externalID: String, displayName: String, now: Int64) async throws -> User
    func user(externalID: String) async throws -> User?
    func createWebhook(_ hook: Webhook) async throws
    func webhooks() async throws -> [Webhook]
    func deleteWebhook(id: String) async throws
    /// Queues one delivery per webhook listening to `event`; returns how many.
    @discardableResult
    func enqueueDeliveries(event: WebhookEvent, payload: String, now: Int64) async throws -> Int
    /// Deliveries due now, oldest first, with their webhook. A store shared by several
    /// processes hands each due delivery to one caller only (for a while).
    func dueDeliveries(now: Int64, limit: Int) async throws -> [(WebhookDelivery, Webhook)]
    func recordDeliveryAttempt(_ delivery: WebhookDelivery) async throws
    /// The delivery log, newest first.
    func deliveries(webhookID: String?, limit: Int) async throws -> [WebhookDelivery]

    /// Every blob any version refers to (garbage collection).
    func referencedBlobs() async throws -> Set<String>
    /// A cheap read that proves the database answers (readiness).
    func ping() async throws
    /// Live locks, and ONLYOFFICE sessions with people in them (metrics).
    func activity(now: Int64) async throws -> (locks: Int, officeSessions: Int)

    // ONLYOFFICE document keys.
    /// The live key for a file at `version`, made if there is none (one co-editing session).
    func officeKey(fileID: String, version: Int64, now: Int64) async throws -> OfficeKey
    func officeKey(_ key: String) async throws -> OfficeKey?
    func updateOfficeKey(_ key: OfficeKey) async throws
}

extension MetadataStore {
    public func deleteFile(id: String, now: Int64) async throws {
        try await deleteFile(id: id, now: now, deletedBy: nil)
    }
    public func trashFolder(id: String, now: Int64) async throws {
        try await trashFolder(id: id, now: now, deletedBy: nil)
    }

    public func applyLock(fileID: String, operation: LockOperation, now: Int64) async throws -> LockResult {
        try await applyLock(fileID: fileID, operation: operation, now: now, holderID: nil)
    }

    /// Stores without a cache always send the caller to `access`.
    public func cachedAccess(fileID: String, userID: String) -> FileAccessRecord? { nil }
}
