import FolioCore
import Foundation
import PostgresNIO

/// ONLYOFFICE document keys, and the reads of garbage collection, readiness and metrics.
extension PostgresMetadataStore {
    public func officeKey(fileID: String, version: Int64, now: Int64) async throws -> OfficeKey {
        try await write { db in
            // Held on the file's row: two instances opening one file at once agree on one key.
            _ = try await db.value("SELECT TRUE FROM files WHERE id = \(fileID) FOR UPDATE", as: Bool.self)
            if let live = try await db.row(
                """
                SELECT * FROM office_keys WHERE file_id = \(fileID) AND version = \(version) AND retired_at IS NULL
                LIMIT 1
                """
            ).map(Self.officeKey(from:)) {
                return live
            }
            let key = StoreRules.newOfficeKey(fileID: fileID, version: version, now: now)
            try await db.execute(
                "INSERT INTO office_keys (key, file_id, version, created_at) VALUES (\(key.key), \(fileID), \(version), \(now))"
            )
            return key
        }
    }

    public func officeKey(_ key: String) async throws -> OfficeKey? {
        try await read { db in
            try await db.row("SELECT * FROM office_keys WHERE key = \(key)").map(Self.officeKey(from:))
        }
    }

    public func updateOfficeKey(_ key: OfficeKey) async throws {
        try await write { db in
            try await db.execute(
                """
                UPDATE office_keys SET version = \(key.version), retired_at = \(key.retiredAt),
                    editors = \(key.editors.joined(separator: ",")), conflict_file_id = \(key.conflictFileID)
                WHERE key = \(key.key)
                """)
        }
    }

    public func referencedBlobs() async throws -> Set<String> {
        try await read { db in
            Set(
                try await db.rows(
                    """
                    SELECT DISTINCT blob_key FROM versions WHERE blob_key <> ''
                    UNION SELECT blob_key FROM derived WHERE blob_key IS NOT NULL
                    """
                ).map {
                    try $0.get("blob_key")
                })
        }
    }

    public func activity(now: Int64) async throws -> (locks: Int, officeSessions: Int) {
        try await read { db in
            let row = try await db.row(
                """
                SELECT (SELECT COUNT(*) FROM locks WHERE expires_at > \(now)) AS locks,
                    (SELECT COUNT(*) FROM office_keys WHERE retired_at IS NULL AND editors <> '') AS sessions
                """)
            return (try row?.get("locks") ?? 0, try row?.get("sessions") ?? 0)
        }
    }

    /// Readiness must answer quickly: while the server is unreachable the pool keeps trying to
    /// connect for a long time, so the ping gives up after three seconds.
    public func ping() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await self.read { db in try await db.value("SELECT 1", as: Int.self) } }
            group.addTask {
                try await Task.sleep(for: .seconds(3))
                throw FolioError.storage("PostgreSQL at \(self.location) did not answer within 3 s")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    static func officeKey(from row: PostgresRandomAccessRow) throws -> OfficeKey {
        let editors: String = try row.get("editors")
        return OfficeKey(
            key: try row.get("key"), fileID: try row.get("file_id"), version: try row.get("version"),
            createdAt: try row.get("created_at"), retiredAt: try row.get("retired_at"),
            editors: editors.split(separator: ",").map(String.init), conflictFileID: try row.get("conflict_file_id"))
    }
}
