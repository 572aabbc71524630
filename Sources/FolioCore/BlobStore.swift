import Foundation
import NIOCore

/// Immutable content storage. A blob is written once under a fresh key and never overwritten;
/// metadata refers to it only after `write` has returned, so a crash leaves at worst an
/// orphan blob (removed later by garbage collection), never a half-written version.
public protocol BlobStore: Sendable {
    /// Streams `content` into a new blob: hashed on the way, flushed to stable storage and
    /// moved into place before returning. Throws `FolioError.tooLarge` past `maxBytes` and
    /// `FolioError.truncated` when `expectedSize` is given and not met; nothing is left behind
    /// on any error.
    func write<Content: AsyncSequence & Sendable>(
        _ content: Content, maxBytes: Int64, expectedSize: Int64?
    ) async throws -> StoredBlob where Content.Element == ByteBuffer

    /// Opens a blob for reading, `range` in bytes (cut at the end). Fails here, before a
    /// response has said 200, when the blob or its store cannot be reached; the reader then
    /// hands over the bytes in order, a chunk at a time.
    func open(_ key: String, range: Range<Int64>?) async throws -> BlobReader

    /// Removes a blob no version refers to (a failed metadata commit, garbage collection).
    func remove(_ key: String) async throws

    /// Every stored blob, and every unfinished upload a crash left behind (a staged file, an
    /// open multipart upload), with its size and age (for garbage collection). Asynchronous,
    /// as a remote store answers over the network.
    func inventory() async throws -> BlobInventory
    /// Removes an unfinished upload a crash left behind.
    func removeStaged(_ name: String) async throws
    /// Whether the store can take a write now (readiness); throws with the reason otherwise.
    func checkWritable() async throws
}

/// A blob opened for reading: its bytes, passed on a chunk at a time at the reader's pace.
public struct BlobReader: Sendable {
    let send: @Sendable ((ByteBuffer) async throws -> Void) async throws -> Void

    public init(_ send: @escaping @Sendable ((ByteBuffer) async throws -> Void) async throws -> Void) {
        self.send = send
    }

    public func read(_ body: (ByteBuffer) async throws -> Void) async throws { try await send(body) }

    /// The same bytes, each chunk also seen by `observe` (metrics).
    public func observed(_ observe: @escaping @Sendable (ByteBuffer) -> Void) -> BlobReader {
        BlobReader { body in
            try await self.send { chunk in
                observe(chunk)
                try await body(chunk)
            }
        }
    }
}

extension BlobStore {
    /// Calls `body` with the blob's bytes in order, a chunk at a time; `range` in bytes.
    public func read(
        _ key: String, range: Range<Int64>?, _ body: (ByteBuffer) async throws -> Void
    ) async throws {
        try await open(key, range: range).read(body)
    }
}

/// What a blob store holds, as garbage collection sees it.
public struct BlobInventory: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var size: Int64
        public var modifiedAt: Date

        public init(name: String, size: Int64, modifiedAt: Date) {
            self.name = name
            self.size = size
            self.modifiedAt = modifiedAt
        }
    }
    public var blobs: [Entry]
    public var staged: [Entry]

    public init(blobs: [Entry], staged: [Entry]) {
        self.blobs = blobs
        self.staged = staged
    }
}
