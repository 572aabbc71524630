import FolioCore
import FolioPostgres
import FolioSQLite
import Foundation
import GRDB
import PostgresNIO

/// Moves an installation's metadata from its SQLite file to an empty PostgreSQL database, row
/// for row: every user, folder, file, version, grant, lock, session, link, key, webhook and
/// document key keeps its id, so tokens, links and blobs stay valid. The source is read from
/// one snapshot, a page at a time in key order (memory stays flat however large the installation), and the
/// target written in one transaction, many rows per statement: a failure leaves it empty.
public struct StoreMigration: Sendable {
    /// Tables in an order that satisfies their references, each with its primary key (pages
    /// are read in that order).
    static let tables: [(name: String, key: String)] = [
        ("users", "id"), ("folders", "id"), ("files", "id"), ("versions", "file_id, number"),
        ("grants", "resource_id, user_id"), ("locks", "file_id"), ("editor_choices", "user_id, extension"),
        ("web_sessions", "id_hash"), ("links", "id"), ("api_keys", "id"), ("webhooks", "id"),
        ("webhook_deliveries", "id"), ("office_keys", "key"), ("space_documents", "file_id"),
        ("space_settings", "space"), ("broken_locks", "file_id, lock_id"),
        ("derived", "sha256, kind"),
    ]
    /// Rows read and written at a time.
    static let pageSize = 500

    public struct Report: Sendable, Codable, Equatable {
        /// Rows copied, by table.
        public var rows: [String: Int]
    }

    let source: SQLiteMetadataStore
    let target: PostgresMetadataStore

    public init(source: SQLiteMetadataStore, target: PostgresMetadataStore) {
        self.source = source
        self.target = target
    }

    /// The migration from the SQLite file at `path` into the PostgreSQL database at `target`
    /// (a `postgres://` location), both opened.
    public static func open(sqlite path: String, postgres target: DatabaseLocation) async throws -> StoreMigration {
        guard case .postgres(let location) = target else {
            throw FolioError.badRequest("--to must be a postgres:// URL")
        }
        return StoreMigration(
            source: try SQLiteMetadataStore(path: path), target: try await PostgresMetadataStore.open(location))
    }

    /// Copies everything; `progress` hears a line per table and every 10 000 rows.
    public func run(progress: @Sendable (String) -> Void = { _ in }) async throws -> Report {
        // Every read below sees the database as it was here, even if something writes to it.
        let snapshot = try source.pool.makeSnapshot()
        let counts = try await snapshot.read { db in
            try Self.tables.map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0.name)") ?? 0 }
        }
        let copiedRows = try await target.write { db in
            var copiedRows: [String: Int] = [:]
            let users = try await db.value("SELECT COUNT(*) FROM users", as: Int.self) ?? 0
            guard users == 0 else {
                throw FolioError.conflict(
                    "the target already holds \(users) users; migrate into an empty database or schema")
            }
            for ((table, key), count) in zip(Self.tables, counts) {
                progress("\(table): \(count) rows")
                let types = try await Self.columnTypes(db, table: table)
                var copied = 0
                var after: Row? = nil
                while copied < count {
                    let rows = try snapshot.read { db in
                        try Self.page(db, "*", from: table, key: key, after: after)
                    }
                    guard let last = rows.last else { break }
                    after = last
                    try await db.execute(try Self.insert(rows, into: table, types: types))
                    let before = copied
                    copied += rows.count
                    if copied / 10_000 > before / 10_000 { progress("\(table): \(copied) of \(count)") }
                }
                if table == "folders" {
                    // Parents were left out so that folders could go in any order; now they
                    // are all there, the parents follow, a page at a time.
                    var after: Row? = nil
                    while true {
                        let rows = try snapshot.read { db in
                            try Self.page(db, "id, parent_id", from: "folders", key: "id", after: after)
                        }
                        guard let last = rows.last else { break }
                        after = last
                        try await Self.linkParents(db, rows)
                    }
                }
                copiedRows[table] = copied
            }
            // The copy must be whole: the counts are compared inside the same transaction.
            for ((table, _), count) in zip(Self.tables, counts) {
                let arrived = try await db.value("SELECT COUNT(*) FROM \(unescaped: table)", as: Int.self) ?? 0
                guard arrived == count else {
                    throw FolioError.storage("\(table): \(arrived) rows arrived of \(count)")
                }
            }
            // Every folder's parent was copied too: the reference holds for the whole tree.
            let orphans =
                try await db.value(
                    """
                    SELECT COUNT(*) FROM folders f
                    WHERE f.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM folders p WHERE p.id = f.parent_id)
                    """, as: Int.self) ?? 0
            guard orphans == 0 else { throw FolioError.storage("\(orphans) folders lost their parent") }
            return copiedRows
        }
        return Report(rows: copiedRows)
    }

    /// The next page of a table in key order: the rows after `after` (keyset pages, so each
    /// costs the same however far into the table it is).
    static func page(_ db: Database, _ columns: String, from table: String, key: String, after: Row?) throws
        -> [Row]
    {
        let keys = key.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let after else {
            return try Row.fetchAll(
                db, sql: "SELECT \(columns) FROM \(table) ORDER BY \(key) LIMIT ?", arguments: [pageSize])
        }
        let placeholders = keys.map { _ in "?" }.joined(separator: ", ")
        var arguments = StatementArguments(keys.map { after[$0] as DatabaseValue })
        arguments += [pageSize]
        return try Row.fetchAll(
            db,
            sql: "SELECT \(columns) FROM \(table) WHERE (\(key)) > (\(placeholders)) ORDER BY \(key) LIMIT ?",
            arguments: arguments)
    }

    /// Sets the parents of a page of folders, in one statement.
    static func linkParents(_ db: PostgresSession, _ rows: [Row]) async throws {
        var ids: [String] = []
        var parents: [String] = []
        for row in rows {
            guard let parent: String = row["parent_id"] else { continue }
            ids.append(row["id"])
            parents.append(parent)
        }
        guard !ids.isEmpty else { return }
        try await db.execute(
            """
            UPDATE folders f SET parent_id = u.parent
            FROM unnest(\(ids)::text[], \(parents)::text[]) AS u(id, parent) WHERE f.id = u.id
            """)
    }

    /// PostgreSQL's type name for each column of a table in the store's schema.
    static func columnTypes(_ db: PostgresSession, table: String) async throws -> [String: String] {
        var types: [String: String] = [:]
        for row in try await db.rows(
            """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = \(table)
            """)
        {
            types[try row.get("column_name")] = try row.get("data_type")
        }
        return types
    }

    /// One INSERT of a page of SQLite rows, each value converted to its PostgreSQL column's
    /// type (SQLite keeps booleans as integers and hashes as blobs).
    static func insert(_ rows: [Row], into table: String, types: [String: String]) throws -> PostgresQuery {
        let columns = rows[0].columnNames
        var binds = PostgresBindings(capacity: rows.count * columns.count)
        var tuples: [String] = []
        for row in rows {
            var placeholders: [String] = []
            for column in columns {
                guard let type = types[column] else {
                    throw FolioError.storage("\(table).\(column) has no column in PostgreSQL; is the schema current?")
                }
                try bind(row[column], as: type, to: &binds, nullified: table == "folders" && column == "parent_id")
                placeholders.append("$\(binds.count)")
            }
            tuples.append("(" + placeholders.joined(separator: ", ") + ")")
        }
        return PostgresQuery(
            unsafeSQL:
                "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))",
            binds: binds)
    }

    static func bind(_ value: DatabaseValue, as type: String, to binds: inout PostgresBindings, nullified: Bool)
        throws
    {
        if value.isNull || nullified {
            binds.appendNull()
            return
        }
        switch (type, value.storage) {
        case ("boolean", .int64(let number)): binds.append(number != 0)
        case ("bigint", .int64(let number)), ("integer", .int64(let number)): binds.append(number)
        case ("bytea", .blob(let data)): try binds.append(data)
        case ("text", .string(let text)): binds.append(text)
        default: throw FolioError.storage("cannot store \(value) as \(type)")
        }
    }
}
