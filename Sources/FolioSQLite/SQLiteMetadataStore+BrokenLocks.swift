import FolioCore
import GRDB

// Broken locks: a save that arrives under one is kept as a conflict copy.
extension SQLiteMetadataStore {
    public func recordBrokenLock(fileID: String, lockID: String, by: String, now: Int64) async throws {
        try await writeUncached { db in
            try db.execute(sql: "DELETE FROM broken_locks WHERE broken_at < ?", arguments: [now - 7 * 86_400_000_000])
            try db.execute(
                sql: "INSERT OR REPLACE INTO broken_locks (file_id, lock_id, broken_at, broken_by) VALUES (?, ?, ?, ?)",
                arguments: [fileID, lockID, now, by])
        }
    }

    public func brokenLock(fileID: String, lockID: String) async throws -> (by: String, at: Int64)? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT broken_by, broken_at FROM broken_locks WHERE file_id = ? AND lock_id = ?",
                arguments: [fileID, lockID]
            ).map { (by: $0["broken_by"], at: $0["broken_at"]) }
        }
    }
}
