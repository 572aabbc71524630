import FolioCore
import FolioPostgres
import FolioSQLite
import Foundation
import Logging

extension DataFolder {
    /// Opens the installation with its metadata in `database` (nil: the folder's SQLite file),
    /// its content at `blobs` (nil: the folder's `blobs/`) and its signing secret in
    /// `secretFile` (nil: the folder's `secret.key`, made on first use).
    public func open(
        database: DatabaseLocation?, blobs: BlobLocation? = nil, secretFile: String? = nil,
        spaces: [SpaceLocation] = [], settings: FolioSettings = .init(), logger: Logger = Logger(label: "folio")
    ) async throws -> Folio {
        var opened: [Space] = []
        for space in spaces { opened.append(try await space.open()) }
        return try await open(
            database: database, blobs: blobs, secretFile: secretFile, openSpaces: opened, settings: settings,
            logger: logger)
    }

    /// The same with spaces whose storage is open already.
    public func open(
        database: DatabaseLocation?, blobs: BlobLocation? = nil, secretFile: String? = nil, openSpaces opened: [Space],
        settings: FolioSettings = .init(), logger: Logger = Logger(label: "folio")
    ) async throws -> Folio {
        let blobStore = try blobs?.open()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        switch database ?? .sqlite(path: databasePath) {
        case .sqlite(let file):
            return try folio(
                store: SQLiteMetadataStore(path: file), blobs: blobStore, secretFile: secretFile, settings: settings,
                spaces: opened, logger: logger)
        case .postgres(let location):
            return try folio(
                store: await PostgresMetadataStore.open(location, logger: logger), blobs: blobStore,
                secretFile: secretFile,
                settings: settings, spaces: opened, logger: logger)
        }
    }
}
