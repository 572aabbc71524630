import FolioCore
import FolioPostgres
import Foundation

/// Where an installation's metadata lives: a SQLite file (the default, in the data folder) or
/// a PostgreSQL database shared by several Folio instances.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    /// Reads `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DATABASE?schema=NAME`
    /// (`postgresql://` too). A SQLite path naming a folder means the `folio.sqlite` inside it.
    public init(url text: String) throws {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw FolioError.badRequest("sqlite:// needs a path, e.g. sqlite:///srv/folio") }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                self = .sqlite(path: DataFolder(path: path).databasePath)
            } else {
                self = .sqlite(path: path)
            }
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresLocation(url: text))
        } else {
            throw FolioError.badRequest(
                "the database must be sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE, not \(Self.redacted(text))"
            )
        }
    }

    /// The location with any password hidden, for logs and errors.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://" + path
        case .postgres(let location): location.description
        }
    }

    static func redacted(_ text: String) -> String { PostgresLocation.redacted(text) }
}
