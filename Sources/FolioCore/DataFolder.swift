import Foundation
import Logging

/// The on-disk layout of an installation: `folio.sqlite` (metadata), `blobs/` (content) and
/// `secret.key` (the token signing secret, created once with mode 0600).
public struct DataFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = (path as NSString).standardizingPath
    }

    public var databasePath: String { path + "/folio.sqlite" }
    public var blobsPath: String { path + "/blobs" }
    public var secretPath: String { path + "/secret.key" }
    /// The public URL of the last server started on this folder, so `folio token` can build
    /// WOPI URLs that match it without being told.
    public var publicURLPath: String { path + "/public-url" }

    public func recordPublicURL(_ url: String) throws {
        try Data((url + "\n").utf8).write(to: URL(fileURLWithPath: publicURLPath), options: .atomic)
    }

    public func recordedPublicURL() -> String? {
        guard let data = FileManager.default.contents(atPath: publicURLPath) else { return nil }
        let url = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return url.isEmpty ? nil : url
    }

    /// Opens (creating on first use) the folder, its SQLite database, blob store and secret.
    public func open(settings: FolioSettings = .init(), logger: Logger = Logger(label: "folio")) throws -> Folio {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return try folio(store: SQLiteMetadataStore(path: databasePath), settings: settings, logger: logger)
    }

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

    private func folio(store: any MetadataStore, settings: FolioSettings, logger: Logger) throws -> Folio {
        Folio(
            store: store, blobs: try DirectoryBlobStore(root: blobsPath),
            signer: TokenSigner(secret: try loadOrCreateSecret()), settings: settings, logger: logger)
    }

    /// Reads the signing secret, creating it atomically on first start. Two processes starting
    /// together both end up with the one that won the link.
    func loadOrCreateSecret() throws -> [UInt8] {
        if let data = FileManager.default.contents(atPath: secretPath) { return try decode(data) }
        let temporary = secretPath + ".\(getpid()).tmp"
        let text = Base64URL.encode(TokenSigner.randomSecret()) + "\n"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw FolioError.storage("cannot write \(temporary)") }
        defer { unlink(temporary) }
        // link(2) fails if the secret already exists, so a concurrent first start cannot replace it.
        if link(temporary, secretPath) != 0, errno != EEXIST {
            throw FolioError.storage("cannot create \(secretPath): \(String(cString: strerror(errno)))")
        }
        guard let data = FileManager.default.contents(atPath: secretPath) else {
            throw FolioError.storage("cannot read \(secretPath)")
        }
        return try decode(data)
    }

    func decode(_ data: Data) throws -> [UInt8] {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Base64URL.decode(text), bytes.count >= 32 else {
            throw FolioError.storage("\(secretPath) does not hold a valid secret (base64url, at least 32 bytes)")
        }
        return bytes
    }
}
