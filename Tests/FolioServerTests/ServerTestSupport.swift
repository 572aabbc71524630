import FolioCore
import FolioServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A Folio on a temporary data folder, with users alice (owner) and bob, and one file.
struct ServerFixture {
    let folio: Folio
    let path: String
    let alice: User
    let bob: User
    let file: StoredFile
    let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, publicURL: "http://folio.test")

    static func make(content: String = "hello", name: String = "doc.docx", maxUploadBytes: Int64 = 1 << 20) async throws
        -> ServerFixture
    {
        let path = NSTemporaryDirectory() + "folio-http-" + Identifier.random()
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        let folio = try DataFolder(path: path).open(
            settings: FolioSettings(maxUploadBytes: maxUploadBytes), logger: logger)
        let alice = try await folio.addUser(
            login: "alice", displayName: "Alice Liddell", isAdmin: false, passwordHash: nil)
        let bob = try await folio.addUser(login: "bob", displayName: "Bob", isAdmin: false, passwordHash: nil)
        let folder = try await folio.ensureFolder(path: "Docs", owner: alice)
        let file = try await folio.createFile(
            ByteBufferSequence([ByteBuffer(string: content)]), expectedSize: Int64(content.utf8.count), name: name,
            folderID: folder.id, owner: alice, source: .upload, uniqueName: false)
        return ServerFixture(folio: folio, path: path, alice: alice, bob: bob, file: file)
    }

    var app: some ApplicationProtocol {
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        return FolioApplication.make(folio: folio, configuration: configuration, logger: logger)
    }

    func token(_ file: StoredFile? = nil, user: User? = nil, role: Role = .edit) -> String {
        folio.issueToken(.file((file ?? self.file).id), userID: (user ?? alice).id, role: role).token
    }

    func uri(_ file: StoredFile? = nil, _ suffix: String = "", token: String? = nil) -> String {
        "/wopi/files/\((file ?? self.file).id)\(suffix)?access_token=\(token ?? self.token(file))"
    }

    func read(_ id: String) async throws -> String {
        let file = try await folio.store.file(id: id)!
        var text = ""
        try await folio.readContent(of: file) { text += String(buffer: $0) }
        return text
    }
}

/// A fixed list of buffers as an async sequence (request bodies made in tests).
struct ByteBufferSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffers: [ByteBuffer]
    init(_ buffers: [ByteBuffer]) { self.buffers = buffers }
    struct AsyncIterator: AsyncIteratorProtocol {
        var rest: ArraySlice<ByteBuffer>
        mutating func next() async throws -> ByteBuffer? { rest.popFirst() }
    }
    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: buffers[...]) }
}

extension HTTPField.Name {
    static func wopi(_ name: String) -> Self { Self(name)! }
}

/// Builds header fields from pairs, for short test requests.
func headers(_ pairs: [String: String]) -> HTTPFields {
    var fields = HTTPFields()
    for (name, value) in pairs { fields[HTTPField.Name(name)!] = value }
    return fields
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func header(_ name: String) -> String? { headers[HTTPField.Name(name)!] }
    /// The body as a JSON object; empty when it is not one, so comparisons on it fail.
    func json() -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}
