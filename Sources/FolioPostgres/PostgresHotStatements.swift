import FolioCore
import PostgresNIO

/// A statement on the WOPI hot paths (CheckFileInfo, locks, saves): prepared once per
/// connection, so PostgreSQL parses and plans it once instead of on every request.
protocol HotStatement {
    static var sql: String { get }
}

/// PostgresNIO's prepared statement for one `HotStatement`, with rows read by column name.
struct Prepared<Statement: HotStatement>: PostgresPreparedStatement {
    typealias Row = PostgresRandomAccessRow
    static var sql: String { Statement.sql }
    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRandomAccessRow { row.makeRandomAccess() }
}

extension PostgresSession {
    func rows<S: HotStatement>(_ statement: S.Type, _ bindings: PostgresBindings) async throws
        -> [PostgresRandomAccessRow]
    {
        var result: [PostgresRandomAccessRow] = []
        for try await row in try await connection.execute(Prepared<S>(bindings: bindings), logger: logger) {
            result.append(row)
        }
        return result
    }

    func row<S: HotStatement>(_ statement: S.Type, _ bindings: PostgresBindings) async throws
        -> PostgresRandomAccessRow?
    {
        try await rows(statement, bindings).first
    }
}

/// Binds from plain values, in order.
func binds(_ values: (any PostgresThrowingDynamicTypeEncodable)?...) throws -> PostgresBindings {
    var bindings = PostgresBindings(capacity: values.count)
    for value in values {
        if let value { try bindings.append(value) } else { bindings.appendNull() }
    }
    return bindings
}

/// The hot statements.
enum HotSQL {
    /// CheckFileInfo's whole read: the live file, the user (columns prefixed `u_`), the
    /// user's role through ownership or grants up the folder chain (none inside a trashed
    /// folder), and the folder's name. $1 file id, $2 user id.
    enum FileAccess: HotStatement {
        static let sql = """
            WITH RECURSIVE f AS (
                SELECT * FROM files WHERE id = $1 AND deleted_at IS NULL
            ), chain AS (
                SELECT id, parent_id, owner_id, deleted_at, name, 0 AS depth
                FROM folders WHERE id = (SELECT folder_id FROM f)
                UNION ALL
                SELECT p.id, p.parent_id, p.owner_id, p.deleted_at, p.name, c.depth + 1
                FROM folders p JOIN chain c ON p.id = c.parent_id
            )
            SELECT f.*,
                u.id AS u_id, u.login AS u_login, u.display_name AS u_display_name, u.is_admin AS u_is_admin,
                u.password_hash AS u_password_hash, u.user_info AS u_user_info,
                u.root_folder_id AS u_root_folder_id, u.created_at AS u_created_at, u.disabled AS u_disabled,
                u.guest_link_id AS u_guest_link_id, u.language AS u_language, u.external_id AS u_external_id,
                (SELECT name FROM chain WHERE depth = 0) AS folder_name,
                CASE WHEN EXISTS (SELECT 1 FROM chain WHERE deleted_at IS NOT NULL) THEN NULL ELSE (
                    SELECT MAX(r) FROM (
                        SELECT 3 AS r WHERE f.owner_id = u.id
                        UNION ALL
                        SELECT 3 FROM chain WHERE chain.owner_id = u.id
                        UNION ALL
                        SELECT g.role FROM grants g
                        WHERE g.user_id = u.id AND (g.resource_id = f.id OR g.resource_id IN (SELECT id FROM chain))
                    ) AS roles
                ) END AS role
            FROM f JOIN users u ON u.id = $2
            """
    }

    enum File: HotStatement {
        static let sql = "SELECT * FROM files WHERE id = $1 AND deleted_at IS NULL"
    }

    /// The live file, its row held until the transaction ends.
    enum FileForUpdate: HotStatement {
        static let sql = "SELECT * FROM files WHERE id = $1 AND deleted_at IS NULL FOR UPDATE"
    }

    enum User: HotStatement {
        static let sql = "SELECT * FROM users WHERE id = $1"
    }

    /// $1 file id, $2 now.
    enum CurrentLock: HotStatement {
        static let sql = "SELECT lock_id, expires_at FROM locks WHERE file_id = $1 AND expires_at > $2"
    }

    /// $1 file id, $2 lock id, $3 expiry, $4 holder.
    enum SetLock: HotStatement {
        static let sql = """
            INSERT INTO locks (file_id, lock_id, expires_at, user_id) VALUES ($1, $2, $3, $4::text)
            ON CONFLICT (file_id) DO UPDATE
                SET lock_id = EXCLUDED.lock_id, expires_at = EXCLUDED.expires_at, user_id = EXCLUDED.user_id
            """
    }

    enum DeleteLock: HotStatement {
        static let sql = "DELETE FROM locks WHERE file_id = $1"
    }

    /// $1 version, $2 size, $3 sha256, $4 blob key, $5 time, $6 file id.
    enum UpdateFileVersion: HotStatement {
        static let sql = """
            UPDATE files SET version = $1, size = $2, sha256 = $3, blob_key = $4, modified_at = $5 WHERE id = $6
            """
    }

    enum InsertVersion: HotStatement {
        static let sql = """
            INSERT INTO versions (file_id, number, size, sha256, blob_key, author_id, created_at, source,
                is_autosave, is_exit_save, is_modified_by_user, editors)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::boolean, $10::boolean, $11::boolean, $12)
            """
    }
}
