import FolioCore
import FolioPostgres
import FolioSQLite
import Foundation
import Logging
import NIOCore
import Synchronization
import Testing

/// A clock tests move by hand.
package final class ManualClock: FolioClock {
    private let value: Mutex<Int64>
    package init(_ start: Int64 = 1_800_000_000_000_000) { value = Mutex(start) }
    package func now() -> Int64 { value.withLock { $0 } }
    package func advance(seconds: Int64) { value.withLock { $0 += seconds * 1_000_000 } }
}

/// Deterministic test content, byte `i` being `i * seed + i >> shift` (mod 256), made by
/// copying rows: a `map` over millions of bytes in a debug build held a cooperative thread for
/// seconds, and with two cores two such tests starved every other test for half a minute.
/// `i * seed` repeats every 256 bytes and `i >> shift` is constant over 2^shift bytes, so the
/// content is 256-byte rows, each one of 256 variants.
package func patternBytes(_ count: Int, seed: Int, shift: Int) -> [UInt8] {
    precondition(shift >= 8, "rows of 256 bytes need blocks of at least 256")
    let rows = (0..<256).map { block in (0..<256).map { UInt8(truncatingIfNeeded: $0 &* seed &+ block) } }
    return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        var offset = 0
        while offset < count {
            let length = Swift.min(256, count - offset)
            rows[(offset >> shift) & 255].withUnsafeBufferPointer { row in
                UnsafeMutableRawPointer(buffer.baseAddress! + offset).copyMemory(
                    from: row.baseAddress!, byteCount: length)
            }
            offset += length
        }
        initialized = count
    }
}

/// Content as an async sequence of chunks, optionally failing after some chunks, the way a
/// cut-off connection ends a request body.
package struct Chunks: AsyncSequence, Sendable {
    package typealias Element = ByteBuffer
    package struct Disconnected: Error {}
    let buffers: [ByteBuffer]
    var failAfter: Int? = nil

    package init(_ bytes: [UInt8], chunk: Int = 7, failAfter: Int? = nil) {
        buffers = stride(from: 0, to: bytes.count, by: chunk).map {
            ByteBuffer(bytes: bytes[$0..<Swift.min($0 + chunk, bytes.count)])
        }
        self.failAfter = failAfter
    }

    package init(_ text: String) { self.init(Array(text.utf8)) }

    package struct AsyncIterator: AsyncIteratorProtocol {
        var index = 0
        let buffers: [ByteBuffer]
        let failAfter: Int?
        package mutating func next() async throws -> ByteBuffer? {
            if let failAfter, index >= failAfter { throw Disconnected() }
            guard index < buffers.count else { return nil }
            defer { index += 1 }
            return buffers[index]
        }
    }

    package func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffers: buffers, failAfter: failAfter) }
}

/// A fresh temporary folder, removed with every other one when the test process exits.
package func temporaryFolder() throws -> String {
    let path = temporaryPath("folio-test-")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A new path (not made) for a test's data folder or file, inside this process's own folder.
package func temporaryPath(_ prefix: String) -> String {
    TestFolders.root + "/" + prefix + Identifier.random()
}

/// One folder per test process holds what its tests write: a fixture cannot remove its own
/// folder (Swift Testing has no teardown for a struct, and servers or tasks may still hold
/// files), so the whole folder goes when the process exits. Before, every run left some 700
/// data folders in the system's temp folder.
enum TestFolders {
    static let root: String = {
        let path = NSTemporaryDirectory() + "folio-tests-\(getpid())-" + Identifier.random()
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            fatalError("cannot create the tests' temporary folder \(path): \(error)")
        }
        atexit { try? FileManager.default.removeItem(atPath: TestFolders.root) }
        return path
    }()
}

/// The store implementations the conformance suite runs against.
package enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres
    package var description: String { rawValue }

    /// PostgreSQL joins when `FOLIO_TEST_POSTGRES_URL` names a server (scripts/test starts one).
    package static var allCases: [StoreKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    package static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["FOLIO_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        return url
    }

    /// A new, empty store: a SQLite file in a temporary folder, or a fresh PostgreSQL schema.
    package func make() async throws -> any MetadataStore {
        try await makeTwins().0
    }

    /// Two stores on one new database, as two Folio processes would open it.
    package func makeTwins() async throws -> (any MetadataStore, any MetadataStore) {
        switch self {
        case .sqlite:
            let path = try temporaryFolder() + "/folio.sqlite"
            return (try SQLiteMetadataStore(path: path), try SQLiteMetadataStore(path: path))
        case .postgres:
            guard let url = Self.postgresURL else { throw FolioError.storage("FOLIO_TEST_POSTGRES_URL is not set") }
            let location = try PostgresLocation(url: url + "?schema=t_" + Self.schemaSuffix())
            return (
                try await PostgresMetadataStore.open(location, maximumConnections: 4),
                try await PostgresMetadataStore.open(location, maximumConnections: 4)
            )
        }
    }

    package static func schemaSuffix() -> String {
        String((0..<16).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
    }
}

/// A complete Folio on a temporary data folder with a manual clock.
package struct Installation {
    package let folio: Folio
    package let clock: ManualClock
    package let path: String

    package init(settings: FolioSettings = .init()) throws {
        path = try temporaryFolder()
        clock = ManualClock()
        let folder = DataFolder(path: path)
        folio = try folder.folio(
            store: SQLiteMetadataStore(path: folder.databasePath), settings: settings, clock: clock,
            logger: Logger(label: "folio"))
    }

    package func read(_ file: StoredFile) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        try await folio.readContent(of: file) { bytes += Array(buffer: $0) }
        return bytes
    }
}

package let fakeBlob = StoredBlob(key: "blob-key-1", size: 5, sha256: Array(repeating: 1, count: 32))

/// Expects `body` to fail with an error `matches` accepts (and records what came instead).
package func expectFailure(
    _ matches: (any Error) -> Bool, _ note: String = "", sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected a failure, the call succeeded \(note)", sourceLocation: sourceLocation)
    } catch {
        #expect(matches(error), "unexpected error \(error) \(note)", sourceLocation: sourceLocation)
    }
}

/// A loopback port that was free a moment ago: connecting to it is refused (a store that is
/// down).
package func closedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
        }
    }
    guard bound else { throw FolioError.storage("no free loopback port to close") }
    return Int(UInt16(bigEndian: address.sin_port))
}
