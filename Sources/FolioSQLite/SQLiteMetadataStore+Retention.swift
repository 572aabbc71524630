import FolioCore
import GRDB

extension SQLiteMetadataStore {
    public func filesSavedByEditors(created: Range<Int64>) async throws -> [String] {
        try await pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT v.file_id FROM versions v
                    JOIN files f ON f.id = v.file_id AND f.deleted_at IS NULL
                    WHERE v.source IN ('wopi', 'onlyoffice') AND v.created_at >= ? AND v.created_at < ?
                    ORDER BY v.file_id
                    """, arguments: [created.lowerBound, created.upperBound])
        }
    }

    public func removeVersions(fileID: String, numbers: [Int64], openSessions: [String]) async throws -> [Version] {
        guard !numbers.isEmpty else { return [] }
        return try await writeUncached { db in
            var removed: [Version] = []
            // In slices: SQLite limits how many values one statement binds.
            for start in stride(from: 0, to: numbers.count, by: 500) {
                let slice = Array(numbers[start..<min(start + 500, numbers.count)])
                let sessions = openSessions.isEmpty ? "''" : openSessions.map { _ in "?" }.joined(separator: ",")
                var arguments: StatementArguments = [fileID, fileID, fileID, fileID]
                arguments += StatementArguments(slice)
                arguments += StatementArguments(openSessions)
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM versions v
                        WHERE v.file_id = ?1
                            AND v.number <> (SELECT version FROM files WHERE id = ?2)
                            AND v.number NOT IN (SELECT version FROM office_keys
                                WHERE file_id = ?3 AND (retired_at IS NULL OR conflict_file_id IS NOT NULL))
                            AND (v.session IS NULL OR v.session NOT IN (SELECT 'o:' || key FROM office_keys
                                WHERE file_id = ?4 AND retired_at IS NULL))
                            AND v.number IN (\(slice.map { _ in "?" }.joined(separator: ",")))
                            AND (v.session IS NULL OR v.session NOT IN (\(sessions)))
                        """, arguments: arguments)
                let found = rows.map(Self.version(from:))
                for version in found {
                    try db.execute(
                        sql: "DELETE FROM versions WHERE file_id = ? AND number = ?",
                        arguments: [fileID, version.number])
                }
                removed += found
            }
            return removed
        }
    }
}
