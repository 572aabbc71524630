import FolioCore
import PostgresNIO

// Broken locks: a save that arrives under one is kept as a conflict copy.
extension PostgresMetadataStore {
    public func recordBrokenLock(fileID: String, lockID: String, by: String, now: Int64) async throws {
        try await write { db in
            _ = try await db.execute("DELETE FROM broken_locks WHERE broken_at < \(now - 7 * 86_400_000_000)")
            _ = try await db.execute(
                """
                INSERT INTO broken_locks (file_id, lock_id, broken_at, broken_by) VALUES (\(fileID), \(lockID), \(now), \(by))
                ON CONFLICT (file_id, lock_id) DO UPDATE SET broken_at = EXCLUDED.broken_at, broken_by = EXCLUDED.broken_by
                """)
        }
    }

    public func brokenLock(fileID: String, lockID: String) async throws -> (by: String, at: Int64)? {
        try await read { db in
            try await db.row(
                "SELECT broken_by, broken_at FROM broken_locks WHERE file_id = \(fileID) AND lock_id = \(lockID)"
            ).map { (by: try $0.get("broken_by"), at: try $0.get("broken_at")) }
        }
    }
}
