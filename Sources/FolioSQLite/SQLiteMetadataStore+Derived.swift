import FolioCore
import Foundation
import GRDB

extension SQLiteMetadataStore {
    public func derived(sha256: [UInt8], kind: String) async throws -> DerivedContent? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM derived WHERE sha256 = ? AND kind = ?", arguments: [Data(sha256), kind]
            ).map(Self.derived(from:))
        }
    }

    public func recordDerived(_ content: DerivedContent) async throws -> DerivedContent {
        try await writeUncached { db in
            // A failure may be replaced by a result; a result is never replaced.
            try db.execute(
                sql: """
                    INSERT INTO derived (sha256, kind, blob_key, size, pages, failure, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (sha256, kind) DO UPDATE SET blob_key = excluded.blob_key, size = excluded.size,
                        pages = excluded.pages, failure = excluded.failure, created_at = excluded.created_at
                    WHERE derived.blob_key IS NULL
                    """,
                arguments: [
                    Data(content.sha256), content.kind, content.blobKey, content.size, content.pages, content.failure,
                    content.createdAt,
                ])
            return try Row.fetchOne(
                db, sql: "SELECT * FROM derived WHERE sha256 = ? AND kind = ?",
                arguments: [Data(content.sha256), content.kind]
            ).map(Self.derived(from:)) ?? content
        }
    }

    public func forgetUnreferencedDerived() async throws -> Int {
        try await writeUncached { db in
            try db.execute(sql: "DELETE FROM derived WHERE sha256 NOT IN (SELECT sha256 FROM versions)")
            return db.changesCount
        }
    }

    static func derived(from row: Row) -> DerivedContent {
        DerivedContent(
            sha256: [UInt8](row["sha256"] as Data), kind: row["kind"], blobKey: row["blob_key"], size: row["size"],
            pages: row["pages"], failure: row["failure"], createdAt: row["created_at"])
    }
}
