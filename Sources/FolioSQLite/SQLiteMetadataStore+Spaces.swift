import FolioCore
import GRDB

/// The documents of spaces: which file stands for which path, and the tag last seen.
extension SQLiteMetadataStore {
    public func spaceDocument(fileID: String) async throws -> SpaceDocument? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM space_documents WHERE file_id = ?", arguments: [fileID])
                .map(Self.spaceDocument(from:))
        }
    }

    public func spaceDocument(space: String, path: String) async throws -> SpaceDocument? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM space_documents WHERE space = ? AND path = ?", arguments: [space, path]
            ).map(Self.spaceDocument(from:))
        }
    }

    public func linkSpaceDocument(_ document: SpaceDocument) async throws {
        try await write { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM space_documents WHERE space = ? AND path = ?",
                    arguments: [document.space, document.path]) == nil
            else { throw FolioError.conflict("\(document.path) in space \(document.space) has a file already") }
            try db.execute(
                sql: "INSERT INTO space_documents (file_id, space, path, tag) VALUES (?, ?, ?, ?)",
                arguments: [document.fileID, document.space, document.path, document.tag])
        }
    }

    public func updateSpaceDocument(_ document: SpaceDocument) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE space_documents SET space = ?, path = ?, tag = ? WHERE file_id = ?",
                arguments: [document.space, document.path, document.tag, document.fileID])
        }
    }

    public func setSpaceStorageLock(fileID: String, lock: SpaceLock?) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE space_documents SET lock_token = ?, lock_expires_at = ? WHERE file_id = ?",
                arguments: [lock?.token, lock?.expiresAt, fileID])
        }
    }

    public func unlinkSpaceDocument(fileID: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM space_documents WHERE file_id = ?", arguments: [fileID])
        }
    }

    @discardableResult
    public func forgetVersionContent(fileID: String, before number: Int64) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "UPDATE versions SET blob_key = '' WHERE file_id = ? AND number < ? AND blob_key <> ''",
                arguments: [fileID, number])
            return db.changesCount
        }
    }

    public func spaceEveryoneRole(space: String) async throws -> Role? {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT everyone_role FROM space_settings WHERE space = ?", arguments: [space])
                .flatMap(Role.init(rawValue:))
        }
    }

    public func setSpaceEveryoneRole(space: String, role: Role?) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO space_settings (space, everyone_role) VALUES (?, ?)
                    ON CONFLICT (space) DO UPDATE SET everyone_role = excluded.everyone_role
                    """, arguments: [space, role?.rawValue])
        }
    }

    static func spaceDocument(from row: Row) -> SpaceDocument {
        let token: String? = row["lock_token"]
        let expiresAt: Int64? = row["lock_expires_at"]
        return SpaceDocument(
            fileID: row["file_id"], space: row["space"], path: row["path"], tag: row["tag"],
            storageLock: token.map { SpaceLock(token: $0, expiresAt: expiresAt ?? 0) })
    }
}
