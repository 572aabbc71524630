import Crypto
import NIOCore

/// What `folio doctor` does to a space: list its root, write a small probe document, read it
/// back and delete it — the calls every edit needs, with the space's own credentials.
public enum SpaceProbe {
    public static func run(_ connector: any SpaceConnector) async throws {
        _ = try await connector.list(.root)
        // Not ".folio-…": folder spaces and the example connector app keep that for staging.
        let path = try SpacePath.root.appending("folio-doctor-probe-" + Identifier.random() + ".txt")
        let bytes = Array("folio doctor probe".utf8)
        let content = SpaceContent(size: Int64(bytes.count), sha256: Array(SHA256.hash(data: bytes))) {
            BlobReader { body in try await body(ByteBuffer(bytes: bytes)) }
        }
        let written = try await connector.write(path, content: content, condition: .absent)
        var back: [UInt8] = []
        do {
            try await connector.read(path, range: nil).content.read { back += Array(buffer: $0) }
        } catch {
            try? await connector.delete(path, tag: written.tag)
            throw error
        }
        try await connector.delete(path, tag: written.tag)
        guard back == bytes else { throw FolioError.storage("the space gave back other bytes than were written") }
    }
}
