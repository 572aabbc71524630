import FolioCore
import FolioServer
import FolioStores
import FolioTestSupport
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
        let path = temporaryPath("folio-http-")
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        let folio = try await DataFolder(path: path).open(
            database: try testDatabase(), settings: FolioSettings(maxUploadBytes: maxUploadBytes), logger: logger)
        let alice = try await folio.addUser(
            login: "alice", displayName: "Alice Liddell", isAdmin: false, passwordHash: nil)
        let bob = try await folio.addUser(login: "bob", displayName: "Bob", isAdmin: false, passwordHash: nil)
        let folder = try await folio.ensureFolder(path: "Docs", owner: alice)
        let file = try await folio.createFile(
            BufferSequence([ByteBuffer(string: content)]), expectedSize: Int64(content.utf8.count), name: name,
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
        let file = try await folio.files.file(id: id)!
        var text = ""
        try await folio.readContent(of: file) { text += String(buffer: $0) }
        return text
    }
}

/// The store the HTTP tests run on: the data folder's SQLite file, or with
/// `FOLIO_TEST_STORE=postgres` a fresh schema on `FOLIO_TEST_POSTGRES_URL` (the postgres stage).
func testDatabase() throws -> DatabaseLocation? {
    let environment = ProcessInfo.processInfo.environment
    guard environment["FOLIO_TEST_STORE"] == "postgres" else { return nil }
    guard let url = environment["FOLIO_TEST_POSTGRES_URL"], !url.isEmpty else {
        throw FolioError.storage("FOLIO_TEST_STORE=postgres needs FOLIO_TEST_POSTGRES_URL")
    }
    let suffix = String((0..<16).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    return try DatabaseLocation(url: url + "?schema=h_" + suffix)
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

/// A blocking TCP client on loopback, to send requests exactly as written: broken, cut off or
/// pipelined.
enum RawSocket {
    struct Failure: Error { var what: String }

    static func connected(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(what: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(fd)
            throw Failure(what: "connect")
        }
        return fd
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw Failure(what: "send") }
            sent += n
        }
    }

    /// Blocking socket work runs on a thread of its own. On the cooperative pool (one thread per
    /// core: two in CI) a test waiting here for the server would hold a thread the server itself
    /// needs to answer; CI once saw both held for the whole timeout, and every test of the
    /// process stalled with them.
    static func onItsOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    static func sendAndClose(port: Int, bytes: [UInt8]) async throws {
        try await onItsOwnThread {
            let fd = try connected(port: port)
            defer { close(fd) }
            try sendAll(fd, bytes)
        }
    }

    /// Sends `request` and reads until the answer holds `marker` and ends a JSON body.
    static func exchange(port: Int, _ request: String, until marker: String, timeout: Double = 10) async throws
        -> String
    {
        try await onItsOwnThread { try exchangeBlocking(port: port, request, until: marker, timeout: timeout) }
    }

    private static func exchangeBlocking(port: Int, _ request: String, until marker: String, timeout: Double) throws
        -> String
    {
        let fd = try connected(port: port)
        defer { close(fd) }
        var wait = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        try sendAll(fd, Array(request.utf8))
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { received += buffer[..<n] }
            let text = String(decoding: received, as: UTF8.self)
            if text.contains(marker), text.hasSuffix("}") { return text }
            if n == 0 { break }
        }
        throw Failure(what: "no complete answer: \(String(decoding: received, as: UTF8.self))")
    }
}

/// Folio's application with Microsoft's editor configured (its discovery served by
/// `StaticDiscovery`), for the tests that need an editor to open sessions.
func appWithMicrosoftEditor(_ folio: Folio, configuration: ServerConfiguration) -> some ApplicationProtocol {
    var logger = Logger(label: "folio-test")
    logger.logLevel = .critical
    var configuration = configuration
    configuration.editors = [.microsoft: ["https://office.test/hosting/discovery"]]
    return FolioApplication.make(folio: folio, configuration: configuration, logger: logger, fetcher: StaticDiscovery())
}
