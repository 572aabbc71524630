import WOPI

/// Folders, files, their versions and locks: what every surface (WOPI, pages, API,
/// ONLYOFFICE) reads and writes. Writes check their conditions inside their transaction.
public protocol FileStore: Sendable {
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
    // Changes that webhooks hear of take a `WebhookNote`: its deliveries are written in the
    // change's own transaction, one per webhook listening to the event.

    /// Creates a file with `blob` as version 1; `FolioError.nameTaken` if the name is used.
    func createFile(
        folderID: String, name: String, ownerID: String, blob: StoredBlob, info: VersionInfo, now: Int64,
        note: WebhookNote?
    ) async throws -> StoredFile
    /// The live file and its lock in force, in one read (`FolioError.notFound` if none).
    func saveBasis(fileID: String, now: Int64) async throws -> SaveBasis
    /// `access` and `saveBasis` in one read, for a WOPI save: who may save and what the save is
    /// decided on. Nil when there is no such file or user.
    func saveAccess(fileID: String, userID: String, now: Int64) async throws -> (FileAccessRecord, SaveBasis)?
    /// Adds a version after checking `conditions` on the file and lock in force when it is
    /// written, atomically. `basis`, when the caller read one, may spare the store that read.
    func addVersion(
        fileID: String, blob: StoredBlob, info: VersionInfo, conditions: WriteConditions, now: Int64,
        note: WebhookNote?, basis: SaveBasis?
    ) async throws -> StoredFile
    /// Renames a live file after the WOPI rename lock rule with `lock`; nil skips the lock rule.
    func renameFile(id: String, name: String, lock: String?, checkLock: Bool, now: Int64, note: WebhookNote?)
        async throws -> StoredFile
    /// Moves a file to the trash after the WOPI delete lock rule.
    func deleteFile(id: String, now: Int64, deletedBy: String?, note: WebhookNote?) async throws
    func versions(fileID: String) async throws -> [Version]

    // Locks: compare-and-set in one transaction through `LockTable`.
    /// `holder` is remembered with a lock that is set, to show who is editing and through
    /// which editor; a lock taken anew records `now` as its start, a refresh keeps it. The
    /// note's event is written only when the lock was set or released (`WebhookNote.forLock`).
    func applyLock(
        fileID: String, operation: LockOperation, now: Int64, holder: LockHolder?, note: WebhookNote?
    ) async throws -> LockResult
    /// The lock in force now, read without taking the write lock.
    func currentLock(fileID: String, now: Int64) async throws -> FileLock?
    /// Every lock in force on a live file (or on `fileID` only), by file name.
    func currentLocks(now: Int64, fileID: String?) async throws -> [LockEntry]
    /// Remembers that `lockID` was broken by `by`, so that a save its editor sends afterwards
    /// is kept as a conflict copy; what was remembered a week ago goes.
    func recordBrokenLock(fileID: String, lockID: String, by: String, now: Int64) async throws
    /// Who broke `lockID` on the file, and when; nil if it was not broken (lately).
    func brokenLock(fileID: String, lockID: String) async throws -> (by: String, at: Int64)?
}

extension FileStore {
    public func createFile(
        folderID: String, name: String, ownerID: String, blob: StoredBlob, info: VersionInfo, now: Int64
    ) async throws -> StoredFile {
        try await createFile(
            folderID: folderID, name: name, ownerID: ownerID, blob: blob, info: info, now: now, note: nil)
    }

    public func addVersion(
        fileID: String, blob: StoredBlob, info: VersionInfo, conditions: WriteConditions, now: Int64,
        note: WebhookNote? = nil
    ) async throws -> StoredFile {
        try await addVersion(
            fileID: fileID, blob: blob, info: info, conditions: conditions, now: now, note: note, basis: nil)
    }

    public func renameFile(id: String, name: String, lock: String?, checkLock: Bool, now: Int64) async throws
        -> StoredFile
    {
        try await renameFile(id: id, name: name, lock: lock, checkLock: checkLock, now: now, note: nil)
    }

    public func deleteFile(id: String, now: Int64, deletedBy: String? = nil) async throws {
        try await deleteFile(id: id, now: now, deletedBy: deletedBy, note: nil)
    }

    public func applyLock(fileID: String, operation: LockOperation, now: Int64, holder: LockHolder? = nil)
        async throws -> LockResult
    {
        try await applyLock(fileID: fileID, operation: operation, now: now, holder: holder, note: nil)
    }

    /// Stores without a cache always send the caller to `access`.
    public func cachedAccess(fileID: String, userID: String) -> FileAccessRecord? { nil }
}
