import Foundation
import GRDB
import PostgresNIO

/// Moves an installation's metadata from its SQLite file to an empty PostgreSQL database, row
/// for row: every user, folder, file, version, grant, lock, session, link, key, webhook and
/// document key keeps its id, so tokens, links and blobs stay valid. The source is read in one
/// snapshot and the target written in one transaction: a failure leaves the target empty.
public struct StoreMigration: Sendable {
    /// Tables in an order that satisfies their references.
    static let tables = [
        "users", "folders", "files", "versions", "grants", "locks", "editor_choices", "web_sessions", "links",
        "api_keys", "webhooks", "webhook_deliveries", "office_keys",
    ]

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

    /// Copies everything; `progress` hears a line per table and every 10 000 rows.
    public func run(progress: @Sendable (String) -> Void = { _ in }) async throws -> Report {
        let snapshot = try source.pool.read { db in
            try Self.tables.map { table in (table, try Row.fetchAll(db, sql: "SELECT * FROM \(table)")) }
        }
        var report = Report(rows: [:])
        try await target.write { db in
            let users = try await db.value("SELECT COUNT(*) FROM users", as: Int.self) ?? 0
            guard users == 0 else {
                throw FolioError.conflict(
                    "the target already holds \(users) users; migrate into an empty database or schema")
            }
            for (table, rows) in snapshot {
                progress("\(table): \(rows.count) rows")
                let types = try await Self.columnTypes(db, table: table)
                for (index, row) in rows.enumerated() {
                    try await db.execute(try Self.insert(row, into: table, types: types))
                    if (index + 1) % 10_000 == 0 { progress("\(table): \(index + 1) of \(rows.count)") }
                }
                if table == "folders" {
                    // Parents were left out so that rows could go in any order; now they are all there.
                    for row in rows {
                        let id: String = row["id"]
                        let parent: String? = row["parent_id"]
                        if let parent {
                            try await db.execute("UPDATE folders SET parent_id = \(parent) WHERE id = \(id)")
                        }
                    }
                }
                report.rows[table] = rows.count
            }
            // The copy must be whole: the counts are compared inside the same transaction.
            for (table, rows) in snapshot {
                let copied = try await db.value("SELECT COUNT(*) FROM \(unescaped: table)", as: Int.self) ?? 0
                guard copied == rows.count else {
                    throw FolioError.storage("\(table): \(copied) rows arrived of \(rows.count)")
                }
            }
        }
        return report
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

    /// An INSERT of one SQLite row, each value converted to its PostgreSQL column's type
    /// (SQLite keeps booleans as integers and hashes as blobs).
    static func insert(_ row: Row, into table: String, types: [String: String]) throws -> PostgresQuery {
        var binds = PostgresBindings()
        var columns: [String] = []
        for column in row.columnNames {
            guard let type = types[column] else {
                throw FolioError.storage("\(table).\(column) has no column in PostgreSQL; is the schema current?")
            }
            columns.append(column)
            let value: DatabaseValue = row[column]
            if value.isNull || (table == "folders" && column == "parent_id") {
                binds.appendNull()
                continue
            }
            switch (type, value.storage) {
            case ("boolean", .int64(let number)): binds.append(number != 0)
            case ("bigint", .int64(let number)), ("integer", .int64(let number)): binds.append(number)
            case ("bytea", .blob(let data)): try binds.append(data)
            case ("text", .string(let text)): binds.append(text)
            default:
                throw FolioError.storage("\(table).\(column): cannot store \(value) as \(type)")
            }
        }
        let placeholders = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
        return PostgresQuery(
            unsafeSQL: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))",
            binds: binds)
    }
}
