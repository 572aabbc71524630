import FolioCore
import PostgresNIO

extension PostgresMetadataStore {
    public func filesSavedByEditors(created: Range<Int64>) async throws -> [String] {
        try await read { db in
            try await db.rows(
                """
                SELECT DISTINCT v.file_id FROM versions v
                JOIN files f ON f.id = v.file_id AND f.deleted_at IS NULL
                WHERE v.source IN ('wopi', 'onlyoffice') AND v.created_at >= \(created.lowerBound)
                    AND v.created_at < \(created.upperBound)
                ORDER BY v.file_id
                """
            ).map { try $0.get("file_id") }
        }
    }

    public func removeVersions(fileID: String, numbers: [Int64], openSessions: [String]) async throws -> [Version] {
        guard !numbers.isEmpty else { return [] }
        return try await write { db in
            // The file row held first, as saves hold it: the current version cannot move meanwhile.
            _ = try await db.row("SELECT version FROM files WHERE id = \(fileID) FOR UPDATE")
            return try await db.rows(
                """
                DELETE FROM versions v
                WHERE v.file_id = \(fileID) AND v.number = ANY(\(numbers))
                    AND v.number <> (SELECT version FROM files WHERE id = \(fileID))
                    AND v.number NOT IN (SELECT version FROM office_keys
                        WHERE file_id = \(fileID) AND (retired_at IS NULL OR conflict_file_id IS NOT NULL))
                    AND (v.session IS NULL OR (v.session <> ALL(\(openSessions))
                        AND v.session NOT IN (SELECT 'o:' || key FROM office_keys
                            WHERE file_id = \(fileID) AND retired_at IS NULL)))
                RETURNING v.*
                """
            ).map(Self.version(from:))
        }
    }
}
