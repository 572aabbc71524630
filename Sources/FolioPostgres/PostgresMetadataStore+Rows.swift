import FolioCore
import Foundation
import PostgresNIO
import WOPI

/// Reads shared by the store's methods, and rows turned into models.
extension PostgresMetadataStore {
    static func key(_ name: String) -> String { StoreRules.key(name) }

    static func fetchUser(_ db: PostgresSession, id: String) async throws -> User? {
        try await db.row(HotSQL.User.self, try binds(id)).map(user(from:))
    }

    static func fetchFolder(_ db: PostgresSession, id: String, forUpdate: Bool = false) async throws -> Folder? {
        try await db.row(
            "SELECT * FROM folders WHERE id = \(id) AND deleted_at IS NULL \(unescaped: forUpdate ? "FOR UPDATE" : "")"
        ).map(folder(from:))
    }

    /// The live file; with `forUpdate` its row stays locked until the transaction ends.
    static func fetchFile(_ db: PostgresSession, id: String, forUpdate: Bool = false) async throws -> StoredFile? {
        let row =
            forUpdate
            ? try await db.row(HotSQL.FileForUpdate.self, try binds(id))
            : try await db.row(HotSQL.File.self, try binds(id))
        return try row.map(file(from:))
    }

    static func currentLock(_ db: PostgresSession, fileID: String, now: Int64) async throws -> FileLock? {
        try await db.row(HotSQL.CurrentLock.self, try binds(fileID, now))
            .map { FileLock(id: try $0.get("lock_id"), expiresAt: try $0.get("expires_at")) }
    }

    /// The user's role on a folder through ownership of it or any folder above it, or grants on
    /// them. (A file's role comes with the file, in `HotSQL.FileAccess`.)
    static func folderRole(_ db: PostgresSession, userID: String, folderID: String) async throws -> Role? {
        // Nothing inside a folder in the trash can be opened, not even by its owner.
        let value = try await db.value(
            """
            WITH RECURSIVE chain(id, parent_id, owner_id, deleted_at) AS (
                SELECT id, parent_id, owner_id, deleted_at FROM folders WHERE id = \(folderID)
                UNION ALL
                SELECT f.id, f.parent_id, f.owner_id, f.deleted_at FROM folders f JOIN chain c ON f.id = c.parent_id
            )
            SELECT CASE WHEN EXISTS (SELECT 1 FROM chain WHERE deleted_at IS NOT NULL) THEN NULL ELSE (
                SELECT MAX(r) FROM (
                    SELECT 3 AS r FROM chain WHERE owner_id = \(userID)
                    UNION ALL
                    SELECT role FROM grants WHERE user_id = \(userID) AND resource_id IN (SELECT id FROM chain)
                ) AS roles
            ) END
            """, as: Int.self)
        return value.flatMap(Role.init(rawValue:))
    }

    static func nameUsed(_ db: PostgresSession, folderID: String, name: String) async throws -> Bool {
        let key = key(name)
        return try await db.value(
            """
            SELECT EXISTS (SELECT 1 FROM files WHERE folder_id = \(folderID) AND name_key = \(key) AND deleted_at IS NULL)
                OR EXISTS (SELECT 1 FROM folders WHERE parent_id = \(folderID) AND name_key = \(key)
                    AND deleted_at IS NULL)
            """, as: Bool.self) ?? false
    }

    /// Throws `nameTaken` with a free name when `name` is used in the folder. The suggestion is
    /// made from every name in the folder, read once: only this path needs them.
    static func ensureNameFree(_ db: PostgresSession, folderID: String, name: String) async throws {
        guard try await nameUsed(db, folderID: folderID, name: name) else { return }
        let taken = Set(
            try await db.rows(
                """
                SELECT name_key FROM files WHERE folder_id = \(folderID) AND deleted_at IS NULL
                UNION ALL
                SELECT name_key FROM folders WHERE parent_id = \(folderID) AND deleted_at IS NULL
                """
            ).map { try $0.get("name_key", as: String.self) })
        throw FolioError.nameTaken(suggestion: FileName.uniqueName(name) { taken.contains(key($0)) })
    }

    /// A user and their root folder.
    static func insertUser(_ db: PostgresSession, _ user: User) async throws {
        let loginKey = key(user.login)
        try await db.execute(
            """
            INSERT INTO users (id, login, login_key, display_name, is_admin, password_hash, root_folder_id, created_at,
                guest_link_id, external_id)
            VALUES (\(user.id), \(user.login), \(loginKey), \(user.displayName), \(user.isAdmin), \(user.passwordHash),
                \(user.rootFolderID), \(user.createdAt), \(user.guestLinkID), \(user.externalID))
            """)
        try await db.execute(
            """
            INSERT INTO folders (id, parent_id, owner_id, name, name_key, created_at, modified_at)
            VALUES (\(user.rootFolderID), NULL, \(user.id), \(user.login), \(loginKey), \(user.createdAt),
                \(user.createdAt))
            """)
    }

    static func insertVersion(
        _ db: PostgresSession, fileID: String, number: Int64, blob: StoredBlob, info: VersionInfo, now: Int64
    ) async throws {
        _ = try await db.rows(
            HotSQL.InsertVersion.self,
            try binds(
                fileID, number, blob.size, Data(blob.sha256), blob.key, info.authorID, now, info.source.rawValue,
                info.flags.isAutosave, info.flags.isExitSave, info.flags.isModifiedByUser,
                info.editors.joined(separator: ","), info.session))
    }

    /// A user from a row; `prefix` names columns read beside another table's (`u_id`, …).
    static func user(from row: PostgresRandomAccessRow) throws -> User { try user(from: row, prefix: "") }

    static func user(from row: PostgresRandomAccessRow, prefix: String) throws -> User {
        func get<T: PostgresDecodable>(_ column: String) throws -> T { try row.get(prefix + column) }
        return User(
            id: try get("id"), login: try get("login"), displayName: try get("display_name"),
            isAdmin: try get("is_admin"), passwordHash: try get("password_hash"), userInfo: try get("user_info"),
            rootFolderID: try get("root_folder_id"), createdAt: try get("created_at"), isDisabled: try get("disabled"),
            guestLinkID: try get("guest_link_id"), language: try get("language"), externalID: try get("external_id"))
    }

    static func folder(from row: PostgresRandomAccessRow) throws -> Folder {
        Folder(
            id: try row.get("id"), parentID: try row.get("parent_id"), ownerID: try row.get("owner_id"),
            name: try row.get("name"), createdAt: try row.get("created_at"), modifiedAt: try row.get("modified_at"))
    }

    static func file(from row: PostgresRandomAccessRow) throws -> StoredFile {
        StoredFile(
            id: try row.get("id"), folderID: try row.get("folder_id"), ownerID: try row.get("owner_id"),
            name: try row.get("name"), version: try row.get("version"), size: try row.get("size"),
            sha256: [UInt8](try row.get("sha256", as: Data.self)), blobKey: try row.get("blob_key"),
            modifiedAt: try row.get("modified_at"), createdAt: try row.get("created_at"))
    }

    static func version(from row: PostgresRandomAccessRow) throws -> Version {
        let editors: String = try row.get("editors")
        return Version(
            fileID: try row.get("file_id"), number: try row.get("number"), size: try row.get("size"),
            sha256: [UInt8](try row.get("sha256", as: Data.self)), blobKey: try row.get("blob_key"),
            authorID: try row.get("author_id"), createdAt: try row.get("created_at"),
            source: VersionSource(rawValue: try row.get("source")) ?? .upload,
            flags: SaveFlags(
                isAutosave: try row.get("is_autosave"), isExitSave: try row.get("is_exit_save"),
                isModifiedByUser: try row.get("is_modified_by_user")),
            editors: editors.isEmpty ? [] : editors.split(separator: ",").map(String.init),
            session: try row.get("session"))
    }

    static func kind(_ text: String) -> ListingItem.Kind { text == "folder" ? .folder : .file }
}
