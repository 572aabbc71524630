import FolioCore
import Foundation
import Logging
import PostgresNIO

/// One leased connection, inside or outside a transaction, with the few ways the store reads
/// and writes through it. Rows are read by column name, as the SQLite store does.
package struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    package func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        var result: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query, logger: logger) {
            result.append(row.makeRandomAccess())
        }
        return result
    }

    package func row(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await rows(query).first
    }

    /// The first column of the first row; nil when there is no row or the value is NULL.
    package func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T?
    where T._DecodableType == T {
        guard let row = try await row(query) else { return nil }
        return try row[0].decode(T?.self)
    }

    /// Runs a statement; returns how many rows it reported (statements that should count end in
    /// `RETURNING 1`).
    @discardableResult
    package func execute(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }
}

extension PostgresRandomAccessRow {
    /// The value of a column, decoded as the type the caller expects.
    package func get<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}

extension PSQLError {
    /// The SQLSTATE the server sent, e.g. 23505 for a unique violation.
    package var sqlState: String? { serverInfo?[.sqlState] }
}
