import Foundation
import Logging

/// The on-disk layout of an installation: `folio.sqlite` (metadata, with the SQLite store),
/// `blobs/` (content) and `secret.key` (the token signing secret, created once with mode 0600).
/// Opening one is the stores' business (`FolioSQLite`, `FolioStores`).
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

    /// The installation on this folder with its metadata in `store`: the folder's blobs and
    /// secret (made on first use). The stores' targets open the store; this puts Folio around it.
    package func folio(
        store: any MetadataStore, blobs: (any BlobStore)? = nil, secretFile: String? = nil, settings: FolioSettings,
        clock: any FolioClock = SystemClock(), spaces: [Space] = [], logger: Logger
    ) throws -> Folio {
        let secret = try secretFile.map(Self.readSecret) ?? loadOrCreateSecret()
        return Folio(
            store: store, blobs: try blobs ?? DirectoryBlobStore(root: blobsPath), signer: TokenSigner(secret: secret),
            clock: clock, settings: settings, spaces: spaces, logger: logger)
    }

    /// A secret kept outside the folder (a mounted secret that every instance reads). It is
    /// never made here: instances that each made their own would reject each other's tokens.
    public static func readSecret(from path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FolioError.storage(
                "the secret file \(path) cannot be read; make one with: "
                    + "head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' > \(path)")
        }
        return try decode(data, from: path)
    }

    /// Reads the signing secret, creating it atomically on first start. Two processes starting
    /// together both end up with the one that won the link.
    func loadOrCreateSecret() throws -> [UInt8] {
        if let data = FileManager.default.contents(atPath: secretPath) {
            return try Self.decode(data, from: secretPath)
        }
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
        return try Self.decode(data, from: secretPath)
    }

    static func decode(_ data: Data, from path: String) throws -> [UInt8] {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Base64URL.decode(text), bytes.count >= 32 else {
            throw FolioError.storage("\(path) does not hold a valid secret (base64url, at least 32 bytes)")
        }
        return bytes
    }
}
