import FolioCore
import PostgresNIO
import Synchronization

/// A statement on the WOPI hot paths (CheckFileInfo, locks, saves): prepared once per
/// connection, so PostgreSQL parses and plans it once instead of on every request.
protocol HotStatement {
    static var sql: String { get }
}

/// PostgresNIO's prepared statement for one `HotStatement`, with rows read by column name.
struct Prepared<Statement: HotStatement>: PostgresPreparedStatement {
    typealias Row = PostgresRandomAccessRow
    static var sql: String { Statement.sql }
    /// PostgresNIO's default name is `String(reflecting:)` of this generic type, made again on
    /// every execution (metadata lookups and string building on each hot query).
    static var name: String { StatementNames.name(of: Statement.self) }
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

/// Each hot statement's name on the connection, made once.
enum StatementNames {
    private static let names = Mutex<[ObjectIdentifier: String]>([:])

    static func name(of statement: any HotStatement.Type) -> String {
        names.withLock { names in
            let key = ObjectIdentifier(statement)
            if let known = names[key] { return known }
            let made = String(reflecting: statement)
            names[key] = made
            return made
        }
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
        static let sql = fileAccess(lock: false)
    }

    /// `FileAccess` and the lock in force ($3: now; columns `lock_id`, `expires_at`): a WOPI
    /// save's authorisation and its basis (`lock_gen` is the file's) in one round trip.
    enum FileAccessForSave: HotStatement {
        static let sql = fileAccess(lock: true)
    }

    static func fileAccess(lock: Bool) -> String {
        """
        WITH RECURSIVE f AS (
            SELECT * FROM files WHERE id = $1 AND deleted_at IS NULL
        ), chain AS (
            SELECT id, parent_id, owner_id, deleted_at, name, 0 AS depth
            FROM folders WHERE id = (SELECT folder_id FROM f)
            UNION ALL
            SELECT p.id, p.parent_id, p.owner_id, p.deleted_at, p.name, c.depth + 1
            FROM folders p JOIN chain c ON p.id = c.parent_id
        )
        SELECT f.*,\(lock ? " l.lock_id, l.expires_at," : "")
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
        FROM f JOIN users u ON u.id = $2\(lock ? " LEFT JOIN locks l ON l.file_id = f.id AND l.expires_at > $3" : "")
        """
    }

    enum File: HotStatement {
        static let sql = "SELECT * FROM files WHERE id = $1 AND deleted_at IS NULL"
    }

    /// The live file, its row held until the transaction ends.
    enum FileForUpdate: HotStatement {
        static let sql = "SELECT * FROM files WHERE id = $1 AND deleted_at IS NULL FOR UPDATE"
    }

    /// A save's read: the live file (with `lock_gen`) and its lock in force ($2: now), held by
    /// nothing; `SaveVersionIfUnchanged` writes only if neither moved since.
    enum FileForSave: HotStatement {
        static let sql = """
            SELECT f.*, l.lock_id, l.expires_at FROM files f
            LEFT JOIN locks l ON l.file_id = f.id AND l.expires_at > $2
            WHERE f.id = $1 AND f.deleted_at IS NULL
            """
    }

    /// The same read for a save that queues on the file: the row held until the transaction
    /// ends. The lock may be out of date when the statement waited for the row (another
    /// transaction changed the lock meanwhile): `SaveVersion` checks it again.
    enum FileForHeldSave: HotStatement {
        static let sql = FileForSave.sql + " FOR UPDATE OF f"
    }

    /// `NOTIFY` every instance of a committed write (see `PostgresChangeFeed`).
    enum Announce: HotStatement {
        static let sql = "SELECT folio_announce()"
    }

    enum User: HotStatement {
        static let sql = "SELECT * FROM users WHERE id = $1"
    }

    /// $1 file id, $2 now.
    enum CurrentLock: HotStatement {
        static let sql = "SELECT lock_id, expires_at FROM locks WHERE file_id = $1 AND expires_at > $2"
    }

    enum DeleteLock: HotStatement {
        static let sql = "DELETE FROM locks WHERE file_id = $1"
    }

    enum InsertVersion: HotStatement {
        static let sql = """
            INSERT INTO versions (file_id, number, size, sha256, blob_key, author_id, created_at, source,
                is_autosave, is_exit_save, is_modified_by_user, editors, session)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::boolean, $10::boolean, $11::boolean, $12, $13::text)
            """
    }

    /// The live file with its lock row, expired or not (columns `l_lock_id`, `l_expires_at`),
    /// and whether the lock id the operation would take was broken (`broken`).
    /// $1 file id, $2 that lock id (NULL: none).
    enum FileAndLock: HotStatement {
        static let sql = """
            SELECT f.*, l.lock_id AS l_lock_id, l.expires_at AS l_expires_at,
                ($2::text IS NOT NULL AND EXISTS (SELECT 1 FROM broken_locks b WHERE b.file_id = $1 AND b.lock_id = $2))
                    AS broken
            FROM files f LEFT JOIN locks l ON l.file_id = f.id
            WHERE f.id = $1 AND f.deleted_at IS NULL
            """
    }

    /// The webhook outbox for a change made by the statement's CTE `done`: one delivery per
    /// webhook listening to the event. $7 event (NULL: none), $8 payload, $9 now.
    static let noteOnChange = """
        note AS (
            INSERT INTO webhook_deliveries (id, webhook_id, event, payload, created_at, next_attempt_at)
            SELECT substr(md5(random()::text || clock_timestamp()::text || id), 1, 22), id, $7::text, $8::text,
                $9::bigint, $9::bigint
            FROM webhooks
            WHERE EXISTS (SELECT 1 FROM done) AND position(',' || $7::text || ',' in ',' || events || ',') > 0
        )
        """

    /// Moves the file's `lock_gen` when the statement's CTE `done` changed its lock ($1 file id).
    static let movesLockGeneration = """
        moved AS (UPDATE files SET lock_gen = lock_gen + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM done) RETURNING 1)
        """

    /// A lock change as one compare-and-set statement (it commits by itself): the file's row is
    /// held (so saves, renames, deletes and other lock changes of the file happen one after the
    /// other), the lock row is changed only if it is still as it was read, and a change moves
    /// the file's `lock_gen`, which a save compares at its write; `changed` = 0 means someone
    /// else came first and the caller reads again. (The row is held exclusively from the start:
    /// two changes that each held it shared and then moved `lock_gen` would deadlock.)
    /// $1 file id, $2 new lock id, $3 new expiry, $4 holder, $5 lock id read (NULL: no row),
    /// $6 expiry read; $7-$9 the note ($9 now: the time a new lock is taken); $10 the editor.
    /// A refresh (same id, still in force) keeps the time the lock was taken.
    enum SetLockIfUnchanged: HotStatement {
        static let sql = """
            WITH f AS (SELECT id FROM files WHERE id = $1 AND deleted_at IS NULL FOR NO KEY UPDATE),
            added AS (
                INSERT INTO locks (file_id, lock_id, expires_at, user_id, taken_at, editor)
                SELECT id, $2::text, $3::bigint, $4::text, $9::bigint, $10::text FROM f WHERE $5::text IS NULL
                ON CONFLICT (file_id) DO NOTHING RETURNING 1
            ),
            replaced AS (
                UPDATE locks SET lock_id = $2::text, expires_at = $3::bigint, user_id = $4::text, editor = $10::text,
                    taken_at = CASE WHEN lock_id = $2::text AND expires_at > $9::bigint THEN taken_at ELSE $9::bigint END
                WHERE file_id IN (SELECT id FROM f) AND lock_id = $5::text AND expires_at = $6::bigint
                RETURNING 1
            ),
            done AS (SELECT 1 FROM added UNION ALL SELECT 1 FROM replaced),
            \(movesLockGeneration),
            \(noteOnChange)
            SELECT count(*) AS changed FROM done
            """
    }

    /// Releasing, the same way. $1 file id, $2 lock id read, $3 expiry read, $4-$6 and $10
    /// unused (NULL), $7-$9 the note.
    enum ReleaseLockIfUnchanged: HotStatement {
        static let sql = """
            WITH f AS (SELECT id FROM files WHERE id = $1 AND deleted_at IS NULL FOR NO KEY UPDATE),
            done AS (
                DELETE FROM locks WHERE file_id IN (SELECT id FROM f) AND lock_id = $2::text
                    AND expires_at = $3::bigint AND $4::text IS NULL AND $5::text IS NULL AND $6::text IS NULL
                    AND $10::text IS NULL
                RETURNING 1
            ),
            \(movesLockGeneration),
            \(noteOnChange)
            SELECT count(*) AS changed FROM done
            """
    }

    /// A new version in one statement: the file row moves on, the version row is added, the
    /// note's deliveries written. $1 file id, $2 number, $3 size, $4 sha256, $5 blob key, $6 time,
    /// $7-$9 the note, $10 author, $11 source, $12 autosave, $13 exit save, $14 modified by
    /// user, $15 editors, $16 session; $17 the lock id the save was checked against ('' for
    /// none; NULL: no lock rule) and $18 now. Writes nothing when the lock in force is not $17
    /// (the statement's snapshot is taken after the row was held, so no lock change is missed:
    /// lock changes hold the row too).
    enum SaveVersion: HotStatement {
        static let sql = newVersion(
            where: """
                $17::text IS NULL OR $17::text = COALESCE(
                    (SELECT lock_id FROM locks WHERE file_id = $1 AND expires_at > $18::bigint), '')
                """)
    }

    /// A new version as one compare-and-set statement (it commits by itself), written only if
    /// the file is still live at the version read ($17) and no lock change came since the read
    /// ($18: the `lock_gen` read). An update that waited for the row checks these on the row's
    /// newest version, so a lock change committed meanwhile is seen. $1-$16 as `SaveVersion`.
    enum SaveVersionIfUnchanged: HotStatement {
        static let sql = newVersion(
            where: "deleted_at IS NULL AND version = $17::bigint AND lock_gen = $18::bigint")
    }

    /// The statement both saves share: the file row moves on where `condition` holds of it, the
    /// version row is added, the note's deliveries written; `changed` is 1 if it wrote.
    static func newVersion(where condition: String) -> String {
        """
        WITH updated AS (
            UPDATE files SET version = $2::bigint, size = $3::bigint, sha256 = $4, blob_key = $5::text,
                modified_at = $6::bigint
            WHERE id = $1 AND (\(condition))
            RETURNING id
        ),
        done AS (
            INSERT INTO versions (file_id, number, size, sha256, blob_key, author_id, created_at, source,
                is_autosave, is_exit_save, is_modified_by_user, editors, session)
            SELECT id, $2::bigint, $3::bigint, $4, $5::text, $10, $6::bigint, $11, $12::boolean, $13::boolean,
                $14::boolean, $15, $16::text
            FROM updated RETURNING 1
        ),
        \(noteOnChange)
        SELECT count(*) AS changed FROM done
        """
    }
}
