import FolioCore
import Foundation

/// A PostgreSQL server, database and schema, from a `postgres://` URL.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// Folio's tables live in this schema, made on first start (several installations can
    /// share a database); nil keeps the server's default (`public`).
    public var schema: String?
    /// `sslmode`: `prefer` (the default) tries TLS and falls back to plain text.
    public var tls: TLSMode
    /// `pool`: the most connections one Folio process keeps open (default 20).
    public var poolSize: Int

    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public init(url text: String) throws {
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
            let user = components.user, !user.isEmpty
        else {
            throw FolioError.badRequest(
                "\(Self.redacted(text)) is not a postgres://USER:PASSWORD@HOST:PORT/DATABASE URL")
        }
        let database = String(components.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw FolioError.badRequest("\(Self.redacted(text)) names no database after the host")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.removingPercentEncoding ?? database
        self.schema = nil
        self.tls = .prefer
        self.poolSize = 20
        for item in components.queryItems ?? [] {
            switch (item.name, item.value ?? "") {
            case ("schema", let value):
                guard value.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
                    throw FolioError.badRequest(
                        "schema must be lower-case letters, digits and _ (at most 63), not \(value)")
                }
                self.schema = value
            case ("pool", let value):
                guard let size = Int(value), (1...1000).contains(size) else {
                    throw FolioError.badRequest("pool must be a number of connections from 1 to 1000, not \(value)")
                }
                self.poolSize = size
            case ("sslmode", let value):
                guard let mode = TLSMode(rawValue: value) else {
                    throw FolioError.badRequest("sslmode must be disable, prefer or require, not \(value)")
                }
                self.tls = mode
            default:
                throw FolioError.badRequest("unknown PostgreSQL URL option \(item.name) (known: schema, sslmode, pool)")
            }
        }
    }

    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)" + (schema.map { "?schema=" + $0 } ?? "")
    }

    /// A database URL with any password hidden, for logs and errors.
    package static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://") else { return text }
        return String(text[..<scheme.upperBound]) + "…" + String(text[at...])
    }
}
