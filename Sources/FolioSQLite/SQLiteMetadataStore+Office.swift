import FolioCore
import Foundation
import GRDB

/// ONLYOFFICE document keys.
extension SQLiteMetadataStore {
    public func officeKey(fileID: String, version: Int64, now: Int64) async throws -> OfficeKey {
        try await write { db in
            if let live = try Row.fetchOne(
                db, sql: "SELECT * FROM office_keys WHERE file_id = ? AND version = ? AND retired_at IS NULL",
                arguments: [fileID, version]
            ).map(Self.officeKey(from:)) {
                return live
            }
            let key = StoreRules.newOfficeKey(fileID: fileID, version: version, now: now)
            try db.execute(
                sql: "INSERT INTO office_keys (key, file_id, version, created_at) VALUES (?, ?, ?, ?)",
                arguments: [key.key, fileID, version, now])
            return key
        }
    }

    public func officeKey(_ key: String) async throws -> OfficeKey? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM office_keys WHERE key = ?", arguments: [key]).map(
                Self.officeKey(from:))
        }
    }

    public func updateOfficeKey(_ key: OfficeKey) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE office_keys SET version = ?, retired_at = ?, editors = ?, conflict_file_id = ? WHERE key = ?
                    """,
                arguments: [
                    key.version, key.retiredAt, key.editors.joined(separator: ","), key.conflictFileID, key.key,
                ])
        }
    }

    public func referencedBlobs() async throws -> Set<String> {
        try await pool.read { db in
            Set(
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT blob_key FROM versions WHERE blob_key <> ''
                        UNION SELECT blob_key FROM derived WHERE blob_key IS NOT NULL
                        """))
        }
    }

    public func activity(now: Int64) async throws -> (locks: Int, officeSessions: Int) {
        try await pool.read { db in
            let locks =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM locks WHERE expires_at > ?", arguments: [now]) ?? 0
            let sessions =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM office_keys WHERE retired_at IS NULL AND editors <> ''") ?? 0
            return (locks, sessions)
        }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    static func officeKey(from row: Row) -> OfficeKey {
        let editors: String = row["editors"]
        return OfficeKey(
            key: row["key"], fileID: row["file_id"], version: row["version"], createdAt: row["created_at"],
            retiredAt: row["retired_at"], editors: editors.split(separator: ",").map(String.init),
            conflictFileID: row["conflict_file_id"])
    }
}
