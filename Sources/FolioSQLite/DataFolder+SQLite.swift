import FolioCore
import Foundation
import Logging

extension DataFolder {
    /// Opens (creating on first use) the folder, its SQLite database, blob store and secret.
    public func open(settings: FolioSettings = .init(), logger: Logger = Logger(label: "folio")) throws -> Folio {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return try folio(store: SQLiteMetadataStore(path: databasePath), settings: settings, logger: logger)
    }
}
