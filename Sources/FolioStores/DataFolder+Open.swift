import FolioCore
import FolioPostgres
import FolioSQLite
import Foundation
import Logging

extension DataFolder {
    /// Opens the installation with its metadata in `database` (nil: the folder's SQLite file);
    /// the blobs and the secret stay in the folder, which instances on one database share.
    public func open(
        database: DatabaseLocation?, settings: FolioSettings = .init(), logger: Logger = Logger(label: "folio")
    ) async throws -> Folio {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        switch database ?? .sqlite(path: databasePath) {
        case .sqlite(let file):
            return try folio(store: SQLiteMetadataStore(path: file), settings: settings, logger: logger)
        case .postgres(let location):
            return try folio(
                store: await PostgresMetadataStore.open(location, logger: logger), settings: settings, logger: logger)
        }
    }
}
