import FolioCore
import Foundation
import PostgresNIO

extension PostgresMetadataStore {
    public func derived(sha256: [UInt8], kind: String) async throws -> DerivedContent? {
        try await read { db in
            try await db.row("SELECT * FROM derived WHERE sha256 = \(Data(sha256)) AND kind = \(kind)").map(
                Self.derived(from:))
        }
    }

    public func recordDerived(_ content: DerivedContent) async throws -> DerivedContent {
        try await write { db in
            // A failure may be replaced by a result; a result is never replaced.
            _ = try await db.execute(
                """
                INSERT INTO derived (sha256, kind, blob_key, size, pages, failure, created_at)
                VALUES (\(Data(content.sha256)), \(content.kind), \(content.blobKey), \(content.size), \(content.pages),
                    \(content.failure), \(content.createdAt))
                ON CONFLICT (sha256, kind) DO UPDATE SET blob_key = EXCLUDED.blob_key, size = EXCLUDED.size,
                    pages = EXCLUDED.pages, failure = EXCLUDED.failure, created_at = EXCLUDED.created_at
                WHERE derived.blob_key IS NULL
                """)
            return try await db.row(
                "SELECT * FROM derived WHERE sha256 = \(Data(content.sha256)) AND kind = \(content.kind)"
            ).map(Self.derived(from:)) ?? content
        }
    }

    public func forgetUnreferencedDerived() async throws -> Int {
        try await write { db in
            try await db.execute("DELETE FROM derived WHERE sha256 NOT IN (SELECT sha256 FROM versions)")
        }
    }

    static func derived(from row: PostgresRandomAccessRow) throws -> DerivedContent {
        DerivedContent(
            sha256: [UInt8](try row.get("sha256", as: Data.self)), kind: try row.get("kind"),
            blobKey: try row.get("blob_key"), size: try row.get("size"), pages: try row.get("pages"),
            failure: try row.get("failure"), createdAt: try row.get("created_at"))
    }
}
