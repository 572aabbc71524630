import FolioCore
import Foundation
import GRDB
import Synchronization
import WOPI

/// The default metadata store: one SQLite file in WAL mode. Writes are serialised by SQLite,
/// so a read-check-write inside `pool.write` is a compare-and-set, also across processes
/// (the CLI and a running server share the file).
public final class SQLiteMetadataStore: MetadataStore {
    package let pool: DatabasePool
    /// Bumped around every write, by this process and by any other on the same file.
    let changes: ChangeCounter
    /// Every write transaction goes through it: writes that arrive together share one fsync.
    package let groupCommit: GroupCommit
    let accessCache: AccessCache
    /// The webhooks, as last read (see `webhooks()`).
    let webhookCache = Mutex<(loadedAt: ContinuousClock.Instant, hooks: [Webhook])?>(nil)

    public init(path: String) throws {
        var configuration = Configuration()
        // Other processes (the CLI) may hold the write lock briefly.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        // An acknowledged save must survive power loss, not only a process crash: FULL syncs
        // the WAL on every commit. GRDB sets NORMAL when it enables WAL, so set it after.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        try SQLiteSchema.migrator.migrate(pool)
        changes = try ChangeCounter(path: path + "-changes")
        accessCache = AccessCache(counter: changes)
        groupCommit = GroupCommit(pool: pool, changes: changes)
    }

    /// Every write goes through here, into the next group commit (which also moves the change
    /// counter around the transaction). `body` must touch nothing but `db`: it may run in a
    /// savepoint of a transaction shared with other writes.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await groupCommit.write(body)
    }

    /// A write that changes nothing a cache holds (the lock table): the change counter stays.
    func writeUncached<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await groupCommit.write(changesCached: false, body)
    }

    // MARK: Users

    public func createUser(login: String, displayName: String, isAdmin: Bool, passwordHash: String?, now: Int64)
        async throws -> User
    {
        let user = StoreRules.newAccount(
            login: login, displayName: displayName, isAdmin: isAdmin, passwordHash: passwordHash, now: now)
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE login_key = ?", arguments: [Self.key(login)])
                != nil
            {
                throw FolioError.conflict("a user with login \(login) already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO users (id, login, login_key, display_name, is_admin, password_hash, root_folder_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    user.id, login, Self.key(login), displayName, isAdmin, passwordHash, user.rootFolderID, now,
                ])
            try db.execute(
                sql: """
                    INSERT INTO folders (id, parent_id, owner_id, name, name_key, created_at, modified_at)
                    VALUES (?, NULL, ?, ?, ?, ?, ?)
                    """,
                arguments: [user.rootFolderID, user.id, login, Self.key(login), now, now])
        }
        return user
    }

    public func user(id: String) async throws -> User? {
        try await pool.read { db in try Self.fetchUser(db, id: id) }
    }

    public func user(login: String) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM users WHERE login_key = ?", arguments: [Self.key(login)]
            ).map(Self.user(from:))
        }
    }

    public func setUserInfo(userID: String, info: String) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE users SET user_info = ? WHERE id = ?", arguments: [info, userID])
            guard db.changesCount == 1 else { throw FolioError.notFound("no such user") }
        }
    }

    // MARK: Folders

    public func folder(id: String) async throws -> Folder? {
        try await pool.read { db in try Self.fetchFolder(db, id: id) }
    }

    public func createFolder(parentID: String, name: String, ownerID: String, now: Int64) async throws -> Folder {
        let folder = Folder(
            id: Identifier.random(), parentID: parentID, ownerID: ownerID, name: name, createdAt: now,
            modifiedAt: now)
        try await write { db in
            guard try Self.fetchFolder(db, id: parentID) != nil else {
                throw FolioError.notFound("no such folder")
            }
            try Self.ensureNameFree(db, folderID: parentID, name: name)
            try db.execute(
                sql: """
                    INSERT INTO folders (id, parent_id, owner_id, name, name_key, created_at, modified_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [folder.id, parentID, ownerID, name, Self.key(name), now, now])
        }
        return folder
    }

    public func renameFolder(id: String, name: String, now: Int64) async throws -> Folder {
        try await write { db in
            guard var folder = try Self.fetchFolder(db, id: id) else { throw FolioError.notFound("no such folder") }
            if let parent = folder.parentID, Self.key(name) != Self.key(folder.name) {
                try Self.ensureNameFree(db, folderID: parent, name: name)
            }
            try db.execute(
                sql: "UPDATE folders SET name = ?, name_key = ?, modified_at = ? WHERE id = ?",
                arguments: [name, Self.key(name), now, id])
            folder.name = name
            folder.modifiedAt = now
            return folder
        }
    }

    public func deleteFolder(id: String, now: Int64) async throws {
        try await write { db in
            guard let folder = try Self.fetchFolder(db, id: id) else { throw FolioError.notFound("no such folder") }
            guard folder.parentID != nil else { throw FolioError.forbidden("a root folder cannot be deleted") }
            let used =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM files WHERE folder_id = ?1 AND deleted_at IS NULL)
                            OR EXISTS (SELECT 1 FROM folders WHERE parent_id = ?1 AND deleted_at IS NULL)
                        """, arguments: [id]) ?? false
            if used { throw FolioError.conflict("the folder is not empty") }
            try db.execute(
                sql: "UPDATE folders SET deleted_at = ? WHERE id = ?",
                arguments: [now, id])
        }
    }

    public func folderPath(id: String) async throws -> [Folder] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE chain(id, parent_id, depth) AS (
                        SELECT id, parent_id, 0 FROM folders WHERE id = ? AND deleted_at IS NULL
                        UNION ALL
                        SELECT f.id, f.parent_id, c.depth + 1 FROM folders f JOIN chain c ON f.id = c.parent_id
                    )
                    SELECT folders.* FROM chain JOIN folders USING (id) ORDER BY chain.depth DESC
                    """, arguments: [id])
            return rows.map(Self.folder(from:))
        }
    }

    public func children(ofFolder id: String) async throws -> (folders: [Folder], files: [StoredFile]) {
        try await pool.read { db in
            let folders = try Row.fetchAll(
                db, sql: "SELECT * FROM folders WHERE parent_id = ? AND deleted_at IS NULL ORDER BY name_key",
                arguments: [id]
            ).map(Self.folder(from:))
            let files = try Row.fetchAll(
                db, sql: "SELECT * FROM files WHERE folder_id = ? AND deleted_at IS NULL ORDER BY name_key",
                arguments: [id]
            ).map(Self.file(from:))
            return (folders, files)
        }
    }

    public func nameExists(inFolder folderID: String, name: String) async throws -> Bool {
        try await pool.read { db in try Self.nameUsed(db, folderID: folderID, name: name) }
    }

    // MARK: Files

    public func file(id: String) async throws -> StoredFile? {
        try await pool.read { db in try Self.fetchFile(db, id: id) }
    }

    public func access(fileID: String, userID: String) async throws -> FileAccessRecord? {
        try await accessCache.record(fileID: fileID, userID: userID) {
            try await pool.read { db in try Self.access(db, fileID: fileID, userID: userID) }
        }
    }

    static func access(_ db: Database, fileID: String, userID: String) throws -> FileAccessRecord? {
        guard let file = try fetchFile(db, id: fileID), let user = try fetchUser(db, id: userID) else { return nil }
        let role = try role(db, userID: userID, folderID: file.folderID, fileID: file.id, fileOwner: file.ownerID)
        let folderName = try String.fetchOne(
            db.cachedStatement(sql: "SELECT name FROM folders WHERE id = ?"), arguments: [file.folderID])
        return FileAccessRecord(file: file, user: user, role: role, folderName: folderName)
    }

    public func saveAccess(fileID: String, userID: String, now: Int64) async throws -> (FileAccessRecord, SaveBasis)? {
        try await pool.read { db in
            guard let record = try Self.access(db, fileID: fileID, userID: userID) else { return nil }
            return (
                record, SaveBasis(file: record.file, lock: try Self.currentLock(db, fileID: fileID, now: now), stamp: 0)
            )
        }
    }

    public func cachedAccess(fileID: String, userID: String) -> FileAccessRecord? {
        accessCache.cached(fileID: fileID, userID: userID)
    }

    public func role(userID: String, folderID: String) async throws -> Role? {
        try await pool.read { db in
            try Self.role(db, userID: userID, folderID: folderID, fileID: nil, fileOwner: nil)
        }
    }

    public func createFile(
        folderID: String, name: String, ownerID: String, blob: StoredBlob, info: VersionInfo, now: Int64,
        note: WebhookNote?
    ) async throws -> StoredFile {
        let file = StoreRules.newFile(folderID: folderID, name: name, ownerID: ownerID, blob: blob, now: now)
        try await write { db in
            guard try Self.fetchFolder(db, id: folderID) != nil else { throw FolioError.notFound("no such folder") }
            try Self.ensureNameFree(db, folderID: folderID, name: name)
            try db.execute(
                sql: """
                    INSERT INTO files (id, folder_id, owner_id, name, name_key, version, size, sha256, blob_key, modified_at, created_at)
                    VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    file.id, folderID, ownerID, name, Self.key(name), blob.size, Data(blob.sha256), blob.key, now, now,
                ])
            try Self.insertVersion(db, fileID: file.id, number: 1, blob: blob, info: info, now: now)
            try Self.record(note, file: file, db, now: now)
        }
        return file
    }

    public func saveBasis(fileID: String, now: Int64) async throws -> SaveBasis {
        try await pool.read { db in
            guard let file = try Self.fetchFile(db, id: fileID) else { throw FolioError.notFound("no such file") }
            return SaveBasis(file: file, lock: try Self.currentLock(db, fileID: fileID, now: now), stamp: 0)
        }
    }

    /// The basis is not needed: the write reads the file and its lock where it writes, inside
    /// the batch's transaction (no round trips to spare).
    public func addVersion(
        fileID: String, blob: StoredBlob, info: VersionInfo, conditions: WriteConditions, now: Int64,
        note: WebhookNote?, basis: SaveBasis?
    ) async throws -> StoredFile {
        try await write { db in
            guard var file = try Self.fetchFile(db, id: fileID) else { throw FolioError.notFound("no such file") }
            let current = try Self.currentLock(db, fileID: fileID, now: now)
            try StoreRules.checkWrite(conditions, file: file, current: current)
            file = StoreRules.nextVersion(of: file, blob: blob, now: now)
            try db.execute(
                sql: "UPDATE files SET version = ?, size = ?, sha256 = ?, blob_key = ?, modified_at = ? WHERE id = ?",
                arguments: [file.version, blob.size, Data(blob.sha256), blob.key, file.modifiedAt, fileID])
            try Self.insertVersion(
                db, fileID: fileID, number: file.version, blob: blob, info: info, now: file.modifiedAt)
            try Self.record(note, file: file, db, now: now)
            return file
        }
    }

    public func renameFile(
        id: String, name: String, lock: String?, checkLock: Bool, now: Int64, note: WebhookNote?
    ) async throws -> StoredFile {
        try await write { db in
            guard var file = try Self.fetchFile(db, id: id) else { throw FolioError.notFound("no such file") }
            if checkLock {
                try StoreRules.checkRename(lock: lock, current: try Self.currentLock(db, fileID: id, now: now))
            }
            if Self.key(name) != Self.key(file.name) {
                try Self.ensureNameFree(db, folderID: file.folderID, name: name)
            }
            try db.execute(
                sql: "UPDATE files SET name = ?, name_key = ? WHERE id = ?", arguments: [name, Self.key(name), id])
            file.name = name
            try Self.record(note, file: file, db, now: now)
            return file
        }
    }

    public func deleteFile(id: String, now: Int64, deletedBy: String?, note: WebhookNote?) async throws {
        try await write { db in
            guard let file = try Self.fetchFile(db, id: id) else { throw FolioError.notFound("no such file") }
            try StoreRules.checkDelete(current: try Self.currentLock(db, fileID: id, now: now))
            try db.execute(sql: "DELETE FROM locks WHERE file_id = ?", arguments: [id])
            try db.execute(
                sql: "UPDATE files SET deleted_at = ?, deleted_by = ? WHERE id = ?", arguments: [now, deletedBy, id])
            try Self.record(note, file: file, db, now: now)
        }
    }

    public func versions(fileID: String) async throws -> [Version] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM versions WHERE file_id = ? ORDER BY number", arguments: [fileID]
            ).map(Self.version(from:))
        }
    }

    // MARK: Locks

    public func applyLock(
        fileID: String, operation: LockOperation, now: Int64, holder: LockHolder?, note: WebhookNote?
    ) async throws -> LockResult {
        try await writeUncached { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM files WHERE id = ? AND deleted_at IS NULL", arguments: [fileID]) != nil
            else { throw FolioError.notFound("no such file") }
            let (result, change) = try StoreRules.lock(
                operation, current: try Self.currentLock(db, fileID: fileID, now: now), now: now
            ) { id in
                try Bool.fetchOne(
                    db.cachedStatement(sql: "SELECT 1 FROM broken_locks WHERE file_id = ? AND lock_id = ?"),
                    arguments: [fileID, id]) != nil
            }
            switch change {
            case .none: break
            case .set(let lock):
                // A refresh (same id, still in force) keeps the time the lock was taken.
                try db.cachedStatement(
                    sql: """
                        INSERT INTO locks (file_id, lock_id, expires_at, user_id, taken_at, editor)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                        ON CONFLICT (file_id) DO UPDATE SET lock_id = excluded.lock_id,
                            expires_at = excluded.expires_at, user_id = excluded.user_id, editor = excluded.editor,
                            taken_at = CASE WHEN locks.lock_id = excluded.lock_id AND locks.expires_at > ?5
                                THEN locks.taken_at ELSE excluded.taken_at END
                        """
                ).execute(arguments: [fileID, lock.id, lock.expiresAt, holder?.userID, now, holder?.editor])
            case .release:
                try db.cachedStatement(sql: "DELETE FROM locks WHERE file_id = ?").execute(arguments: [fileID])
            }
            // The note carries the file (a lock changes nothing of it); read only if it does not.
            if let lockNote = note?.forLock(operation, result) {
                if let file = lockNote.file {
                    try Self.record(lockNote, file: file, db, now: now)
                } else if let file = try Self.fetchFile(db, id: fileID) {
                    try Self.record(lockNote, file: file, db, now: now)
                }
            }
            return result
        }
    }

    /// The outbox: one delivery per webhook listening to the note's event, written in the
    /// change's transaction (nothing when no webhook listens).
    static func record(_ note: WebhookNote?, file: StoredFile, _ db: Database, now: Int64) throws {
        guard let note else { return }
        // The payload is made only when someone listens (this runs on the one writer).
        guard
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: "SELECT 1 FROM webhooks WHERE instr(',' || events || ',', ',' || ? || ',') > 0 LIMIT 1"),
                arguments: [note.event.rawValue]) != nil
        else { return }
        try db.cachedStatement(
            sql: """
                INSERT INTO webhook_deliveries (id, webhook_id, event, payload, created_at, next_attempt_at)
                SELECT lower(hex(randomblob(11))), id, ?1, ?2, ?3, ?3 FROM webhooks
                WHERE instr(',' || events || ',', ',' || ?1 || ',') > 0
                """
        ).execute(arguments: [note.event.rawValue, note.payload(for: file, now: now), now])
    }

    public func currentLock(fileID: String, now: Int64) async throws -> FileLock? {
        try await pool.read { db in try Self.currentLock(db, fileID: fileID, now: now) }
    }

    public func currentLocks(now: Int64, fileID: String?) async throws -> [LockEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.file_id, f.name, l.lock_id, l.expires_at, l.taken_at, l.editor, u.login FROM locks l
                    JOIN files f ON f.id = l.file_id AND f.deleted_at IS NULL
                    LEFT JOIN users u ON u.id = l.user_id
                    WHERE l.expires_at > ? AND (? IS NULL OR l.file_id = ?) ORDER BY f.name_key, l.file_id
                    """, arguments: [now, fileID, fileID]
            ).map {
                LockEntry(
                    fileID: $0["file_id"], fileName: $0["name"], lockID: $0["lock_id"], expiresAt: $0["expires_at"],
                    holder: $0["login"], takenAt: $0["taken_at"], editor: $0["editor"])
            }
        }
    }

    // MARK: Editor choices

    public func editorChoice(userID: String, fileExtension: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT editor FROM editor_choices WHERE user_id = ? AND extension = ?",
                arguments: [userID, fileExtension])
        }
    }

    public func setEditorChoice(userID: String, fileExtension: String, editor: String) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO editor_choices (user_id, extension, editor) VALUES (?, ?, ?)",
                arguments: [userID, fileExtension, editor])
        }
    }

    // MARK: Grants

    public func setGrant(resourceID: String, userID: String, role: Role?) async throws {
        try await write { db in
            if let role {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO grants (resource_id, user_id, role) VALUES (?, ?, ?)",
                    arguments: [resourceID, userID, role.rawValue])
            } else {
                try db.execute(
                    sql: "DELETE FROM grants WHERE resource_id = ? AND user_id = ?", arguments: [resourceID, userID])
            }
        }
    }
}

// MARK: - Row helpers

extension SQLiteMetadataStore {
    static func key(_ name: String) -> String { StoreRules.key(name) }

    static func fetchUser(_ db: Database, id: String) throws -> User? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [id]).map(user(from:))
    }

    static func fetchFolder(_ db: Database, id: String) throws -> Folder? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM folders WHERE id = ? AND deleted_at IS NULL"), arguments: [id]
        ).map(folder(from:))
    }

    static func fetchFile(_ db: Database, id: String) throws -> StoredFile? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM files WHERE id = ? AND deleted_at IS NULL"), arguments: [id]
        ).map(file(from:))
    }

    static func currentLock(_ db: Database, fileID: String, now: Int64) throws -> FileLock? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT lock_id, expires_at FROM locks WHERE file_id = ? AND expires_at > ?"),
            arguments: [fileID, now]
        ).map { FileLock(id: $0["lock_id"], expiresAt: $0["expires_at"]) }
    }

    /// The user's role through ownership of the file or any folder above it, or grants on them.
    static func role(_ db: Database, userID: String, folderID: String, fileID: String?, fileOwner: String?) throws
        -> Role?
    {
        // Nothing inside a folder in the trash can be opened, not even by its owner.
        let value = try Int.fetchOne(
            db.cachedStatement(
                sql: """
                    WITH RECURSIVE chain(id, parent_id, owner_id, deleted_at) AS (
                        SELECT id, parent_id, owner_id, deleted_at FROM folders WHERE id = ?1
                        UNION ALL
                        SELECT f.id, f.parent_id, f.owner_id, f.deleted_at FROM folders f JOIN chain c ON f.id = c.parent_id
                    )
                    SELECT CASE WHEN EXISTS (SELECT 1 FROM chain WHERE deleted_at IS NOT NULL) THEN NULL ELSE MAX(r) END
                    FROM (
                        SELECT 3 AS r WHERE ?4 = ?2
                        UNION ALL
                        SELECT 3 AS r FROM chain WHERE owner_id = ?2
                        UNION ALL
                        SELECT role FROM grants WHERE user_id = ?2 AND (resource_id = ?3 OR resource_id IN (SELECT id FROM chain))
                    )
                    """), arguments: [folderID, userID, fileID, fileOwner])
        return value.flatMap(Role.init(rawValue:))
    }

    static func nameUsed(_ db: Database, folderID: String, name: String) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM files WHERE folder_id = ?1 AND name_key = ?2 AND deleted_at IS NULL)
                    OR EXISTS (SELECT 1 FROM folders WHERE parent_id = ?1 AND name_key = ?2 AND deleted_at IS NULL)
                """, arguments: [folderID, key(name)]) ?? false
    }

    static func ensureNameFree(_ db: Database, folderID: String, name: String) throws {
        guard try nameUsed(db, folderID: folderID, name: name) else { return }
        let suggestion = FileName.uniqueName(name) { (try? nameUsed(db, folderID: folderID, name: $0)) ?? true }
        throw FolioError.nameTaken(suggestion: suggestion)
    }

    static func insertVersion(
        _ db: Database, fileID: String, number: Int64, blob: StoredBlob, info: VersionInfo, now: Int64
    ) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO versions (file_id, number, size, sha256, blob_key, author_id, created_at, source,
                    is_autosave, is_exit_save, is_modified_by_user, editors, session)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            fileID, number, blob.size, Data(blob.sha256), blob.key, info.authorID, now, info.source.rawValue,
            info.flags.isAutosave, info.flags.isExitSave, info.flags.isModifiedByUser,
            info.editors.joined(separator: ","), info.session,
        ])
    }

    static func user(from row: Row) -> User {
        User(
            id: row["id"], login: row["login"], displayName: row["display_name"], isAdmin: row["is_admin"],
            passwordHash: row["password_hash"], userInfo: row["user_info"], rootFolderID: row["root_folder_id"],
            createdAt: row["created_at"], isDisabled: row["disabled"], guestLinkID: row["guest_link_id"],
            language: row["language"], externalID: row["external_id"])
    }

    static func folder(from row: Row) -> Folder {
        Folder(
            id: row["id"], parentID: row["parent_id"], ownerID: row["owner_id"], name: row["name"],
            createdAt: row["created_at"], modifiedAt: row["modified_at"])
    }

    static func file(from row: Row) -> StoredFile {
        StoredFile(
            id: row["id"], folderID: row["folder_id"], ownerID: row["owner_id"], name: row["name"],
            version: row["version"], size: row["size"], sha256: [UInt8](row["sha256"] as Data),
            blobKey: row["blob_key"], modifiedAt: row["modified_at"], createdAt: row["created_at"])
    }

    static func version(from row: Row) -> Version {
        let editors: String = row["editors"]
        return Version(
            fileID: row["file_id"], number: row["number"], size: row["size"], sha256: [UInt8](row["sha256"] as Data),
            blobKey: row["blob_key"], authorID: row["author_id"], createdAt: row["created_at"],
            source: VersionSource(rawValue: row["source"]) ?? .upload,
            flags: SaveFlags(
                isAutosave: row["is_autosave"], isExitSave: row["is_exit_save"],
                isModifiedByUser: row["is_modified_by_user"]),
            editors: editors.isEmpty ? [] : editors.split(separator: ",").map(String.init), session: row["session"])
    }
}
