import FolioCore
import PostgresNIO

/// The documents of spaces: which file stands for which path, and the tag last seen.
extension PostgresMetadataStore {
    public func spaceDocument(fileID: String) async throws -> SpaceDocument? {
        try await read { db in
            try await db.row("SELECT * FROM space_documents WHERE file_id = \(fileID)").map(Self.spaceDocument(from:))
        }
    }

    public func spaceDocument(space: String, path: String) async throws -> SpaceDocument? {
        try await read { db in
            try await db.row("SELECT * FROM space_documents WHERE space = \(space) AND path = \(path)")
                .map(Self.spaceDocument(from:))
        }
    }

    public func linkSpaceDocument(_ document: SpaceDocument) async throws {
        do {
            try await write { db in
                try await db.execute(
                    """
                    INSERT INTO space_documents (file_id, space, path, tag)
                    VALUES (\(document.fileID), \(document.space), \(document.path), \(document.tag))
                    """)
            }
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw FolioError.conflict("\(document.path) in space \(document.space) has a file already")
        }
    }

    public func updateSpaceDocument(_ document: SpaceDocument) async throws {
        try await write { db in
            try await db.execute(
                """
                UPDATE space_documents SET space = \(document.space), path = \(document.path), tag = \(document.tag)
                WHERE file_id = \(document.fileID)
                """)
        }
    }

    public func setSpaceStorageLock(fileID: String, lock: SpaceLock?) async throws {
        let token = lock?.token
        let expiresAt = lock?.expiresAt
        try await write { db in
            try await db.execute(
                """
                UPDATE space_documents SET lock_token = \(token), lock_expires_at = \(expiresAt)
                WHERE file_id = \(fileID)
                """)
        }
    }

    public func unlinkSpaceDocument(fileID: String) async throws {
        try await write { db in
            try await db.execute("DELETE FROM space_documents WHERE file_id = \(fileID)")
        }
    }

    @discardableResult
    public func forgetVersionContent(fileID: String, before number: Int64) async throws -> Int {
        try await write { db in
            try await db.execute(
                "UPDATE versions SET blob_key = '' WHERE file_id = \(fileID) AND number < \(number) AND blob_key <> '' RETURNING 1"
            )
        }
    }

    public func spaceEveryoneRole(space: String) async throws -> Role? {
        try await read { db in
            try await db.row("SELECT everyone_role FROM space_settings WHERE space = \(space)")
                .flatMap { try $0.get("everyone_role", as: Int?.self) }.flatMap(Role.init(rawValue:))
        }
    }

    public func setSpaceEveryoneRole(space: String, role: Role?) async throws {
        let value = role?.rawValue
        try await write { db in
            _ = try await db.execute(
                """
                INSERT INTO space_settings (space, everyone_role) VALUES (\(space), \(value))
                ON CONFLICT (space) DO UPDATE SET everyone_role = excluded.everyone_role
                """)
        }
    }

    static func spaceDocument(from row: PostgresRandomAccessRow) throws -> SpaceDocument {
        let token = try row.get("lock_token", as: String?.self)
        let expiresAt = try row.get("lock_expires_at", as: Int64?.self)
        return SpaceDocument(
            fileID: try row.get("file_id"), space: try row.get("space"), path: try row.get("path"),
            tag: try row.get("tag"), storageLock: token.map { SpaceLock(token: $0, expiresAt: expiresAt ?? 0) })
    }
}
