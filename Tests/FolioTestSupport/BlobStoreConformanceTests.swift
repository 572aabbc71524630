import Crypto
import FolioCore
import FolioS3
import Foundation
import NIOCore
import Testing

/// The blob stores the conformance suite runs against.
package enum BlobStoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case directory
    case s3
    package var description: String { rawValue }

    /// A bucket joins when `FOLIO_TEST_S3_URL` names one (scripts/test starts a Ceph gateway),
    /// with its credentials in `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    package static var allCases: [BlobStoreKind] { bucketURL == nil ? [.directory] : [.directory, .s3] }

    package static var bucketURL: String? {
        guard let url = ProcessInfo.processInfo.environment["FOLIO_TEST_S3_URL"], !url.isEmpty else { return nil }
        return url
    }

    /// A new, empty store: nothing another test wrote is in its inventory (a bucket gets a
    /// prefix of its own).
    package func make() async throws -> any BlobStore {
        switch self {
        case .directory:
            return try DirectoryBlobStore(root: try temporaryFolder() + "/blobs")
        case .s3:
            guard let url = Self.bucketURL else { throw FolioError.storage("FOLIO_TEST_S3_URL is not set") }
            var location = try BucketLocation(url: url)
            location.prefix += "t-" + StoreKind.schemaSuffix() + "/"
            return S3BlobStore(
                client: S3Client(
                    location: location,
                    credentials: try AWSCredentials(environment: ProcessInfo.processInfo.environment)),
                partSize: 5 * 1_048_576)
        }
    }
}

/// One suite every `BlobStore` passes: content comes back byte for byte, whole or in ranges; a
/// refused or cut-off upload leaves nothing behind, not even an unfinished upload; blobs are
/// never overwritten. What is left behind is judged by the store's own inventory, the view
/// garbage collection has.
@Suite struct BlobStoreConformanceTests {
    static func pattern(_ count: Int, seed: Int = 31) -> [UInt8] {
        patternBytes(count, seed: seed, shift: 9)
    }

    static func readAll(_ blobs: any BlobStore, _ key: String, range: Range<Int64>? = nil) async throws -> [UInt8] {
        var read: [UInt8] = []
        try await blobs.read(key, range: range) { read += Array(buffer: $0) }
        return read
    }

    static func isEmpty(_ blobs: any BlobStore) async throws -> Bool {
        let inventory = try await blobs.inventory()
        return inventory.blobs.isEmpty && inventory.staged.isEmpty
    }

    @Test(arguments: BlobStoreKind.allCases) func writesHashesAndReadsBackInRanges(kind: BlobStoreKind) async throws {
        let blobs = try await kind.make()
        let bytes = Self.pattern(100_000)
        let blob = try await blobs.write(Chunks(bytes, chunk: 4093), maxBytes: 1 << 20, expectedSize: 100_000)
        #expect(blob.size == 100_000)
        #expect(blob.sha256 == Array(SHA256.hash(data: bytes)))
        #expect(try await Self.readAll(blobs, blob.key) == bytes)
        #expect(try await Self.readAll(blobs, blob.key, range: 10..<20) == Array(bytes[10..<20]))
        #expect(try await Self.readAll(blobs, blob.key, range: 0..<1) == [bytes[0]])
        #expect(try await Self.readAll(blobs, blob.key, range: 99_999..<100_000) == [bytes[99_999]])
        // A range past the end is cut at the end, as GetFile asks for what exists.
        #expect(try await Self.readAll(blobs, blob.key, range: 99_990..<200_000) == Array(bytes[99_990...]))
        let inventory = try await blobs.inventory()
        #expect(inventory.blobs.map(\.name) == [blob.key] && inventory.blobs.map(\.size) == [100_000])
        #expect(inventory.staged.isEmpty)
    }

    /// Larger than any part or chunk size a store uses, in chunks that do not divide it; with
    /// its size told up front (a Content-Length: one streamed PUT on a bucket) and without (a
    /// chunked upload: a multipart upload across parts).
    @Test(arguments: BlobStoreKind.allCases, [true, false])
    func largeContentStreamsThrough(kind: BlobStoreKind, sizeKnown: Bool) async throws {
        let blobs = try await kind.make()
        let count = 12 * 1_048_576 + 3
        let bytes = Self.pattern(count, seed: 7)
        let blob = try await blobs.write(
            Chunks(bytes, chunk: 65_521), maxBytes: 1 << 30, expectedSize: sizeKnown ? Int64(count) : nil)
        #expect(blob.size == Int64(count) && blob.sha256 == Array(SHA256.hash(data: bytes)))
        var hasher = SHA256()
        var size = 0
        try await blobs.read(blob.key, range: nil) { buffer in
            size += buffer.readableBytes
            buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        }
        #expect(size == count && Array(hasher.finalize()) == blob.sha256)
        let across: Range<Int64> = 5 * 1_048_576 - 10..<8 * 1_048_576 + 10
        #expect(
            try await Self.readAll(blobs, blob.key, range: across)
                == Array(bytes[Int(across.lowerBound)..<Int(across.upperBound)]))
    }

    @Test(arguments: BlobStoreKind.allCases) func emptyContentIsABlobToo(kind: BlobStoreKind) async throws {
        let blobs = try await kind.make()
        let blob = try await blobs.write(Chunks([]), maxBytes: 10, expectedSize: 0)
        #expect(blob.size == 0 && blob.sha256 == Array(SHA256.hash(data: [UInt8]())))
        #expect(try await Self.readAll(blobs, blob.key).isEmpty)
    }

    @Test(arguments: BlobStoreKind.allCases) func tooLargeLeavesNothingBehind(kind: BlobStoreKind) async throws {
        let blobs = try await kind.make()
        await #expect(throws: FolioError.tooLarge(limit: 10)) {
            _ = try await blobs.write(Chunks(Array(repeating: 1, count: 11)), maxBytes: 10, expectedSize: nil)
        }
        await #expect(throws: FolioError.tooLarge(limit: 10)) {
            _ = try await blobs.write(Chunks([1]), maxBytes: 10, expectedSize: 11)
        }
        // Past the limit after several megabytes, when a remote store has parts in flight.
        await #expect(throws: FolioError.tooLarge(limit: 6_000_000)) {
            _ = try await blobs.write(
                Chunks(Self.pattern(7_000_000), chunk: 65_536), maxBytes: 6_000_000, expectedSize: nil)
        }
        #expect(try await Self.isEmpty(blobs))
    }

    @Test(arguments: BlobStoreKind.allCases) func cutOffUploadLeavesNothingBehind(kind: BlobStoreKind) async throws {
        let blobs = try await kind.make()
        // The connection drops after three chunks, and after a hundred (6.5 MB in).
        await #expect(throws: Chunks.Disconnected.self) {
            _ = try await blobs.write(
                Chunks(Array(repeating: 7, count: 100), failAfter: 3), maxBytes: 1000, expectedSize: 100)
        }
        await #expect(throws: Chunks.Disconnected.self) {
            _ = try await blobs.write(
                Chunks(Self.pattern(8_000_000), chunk: 65_536, failAfter: 100), maxBytes: 1 << 30,
                expectedSize: 8_000_000)
        }
        // The body ends early: fewer bytes than Content-Length announced.
        await #expect(throws: FolioError.truncated(expected: 100, received: 50)) {
            _ = try await blobs.write(Chunks(Array(repeating: 7, count: 50)), maxBytes: 1000, expectedSize: 100)
        }
        #expect(try await Self.isEmpty(blobs))
    }

    @Test(arguments: BlobStoreKind.allCases) func blobsAreNeverOverwritten(kind: BlobStoreKind) async throws {
        let blobs = try await kind.make()
        let a = try await blobs.write(Chunks("same"), maxBytes: 100, expectedSize: nil)
        let b = try await blobs.write(Chunks("same"), maxBytes: 100, expectedSize: nil)
        #expect(a.key != b.key && a.sha256 == b.sha256)
        try await blobs.remove(a.key)
        #expect(String(decoding: try await Self.readAll(blobs, b.key), as: UTF8.self) == "same")
        #expect(try await blobs.inventory().blobs.map(\.name) == [b.key])
        // Removing twice is no error (a retried clean-up); reading what is gone is.
        try await blobs.remove(a.key)
        await #expect(throws: (any Error).self) { _ = try await Self.readAll(blobs, a.key) }
    }

    @Test(arguments: BlobStoreKind.allCases) func concurrentWritesAllLand(kind: BlobStoreKind) async throws {
        let blobs = try await kind.make()
        let written = try await withThrowingTaskGroup(of: (StoredBlob, [UInt8]).self) { group in
            for index in 0..<20 {
                group.addTask {
                    let bytes = Self.pattern(10_000 + index * 997, seed: index + 3)
                    return (
                        try await blobs.write(Chunks(bytes, chunk: 1_000), maxBytes: 1 << 20, expectedSize: nil), bytes
                    )
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(written.map(\.0.key)).count == 20)
        for (blob, bytes) in written { #expect(try await Self.readAll(blobs, blob.key) == bytes) }
        #expect(try await blobs.inventory().blobs.count == 20)
    }

    /// Downloads to slow clients hold a remote store's connection for as long as they last: two
    /// dozen of them at once must neither fail nor keep a save waiting (an HTTP client pools
    /// eight connections per host unless told otherwise, and a request queued behind them
    /// fails after the connect timeout).
    @Test(arguments: BlobStoreKind.allCases) func manySlowReadersAtOnceStarveNobody(kind: BlobStoreKind) async throws {
        let blobs = try await kind.make()
        let count = 16 * 1_048_576
        let blob = try await blobs.write(
            Chunks(Self.pattern(count, seed: 5), chunk: 1_048_576), maxBytes: 1 << 30, expectedSize: Int64(count))
        // Every reader has its first bytes while none has finished: all are served at once; and
        // a save goes through while they all hold on.
        let held = try await holdSlowReaders(
            24, open: { try await blobs.open(blob.key, range: nil) },
            meanwhile: {
                let saved = try await blobs.write(Chunks("a save"), maxBytes: 100, expectedSize: 6)
                #expect(String(decoding: try await Self.readAll(blobs, saved.key), as: UTF8.self) == "a save")
            })
        #expect(held.together == 24)
        for size in held.sizes { #expect(size == count) }
    }

    @Test(arguments: BlobStoreKind.allCases) func aWritableStoreSaysSoAndLeavesNoProbe(kind: BlobStoreKind) async throws
    {
        let blobs = try await kind.make()
        try await blobs.checkWritable()
        #expect(try await Self.isEmpty(blobs))
    }
}
