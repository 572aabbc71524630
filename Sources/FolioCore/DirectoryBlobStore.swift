import Crypto
import Foundation
import NIOCore
import _NIOFileSystem

/// Blobs as files in a folder: `blobs/ab/<key>`, written under their final name (new and
/// random, referred to by nothing until the version is committed) and made durable before
/// the write returns. Older versions staged as `blobs/ab/<key>.part` or in `blobs/incoming/`
/// and renamed; what a crash left there is still cleaned up. (One folder for every new blob
/// had ext4's inode allocation scanning one crowded group: an eighth of a save's CPU time.)
public struct DirectoryBlobStore: BlobStore {
    public let root: String
    let fileSystem: FileSystem
    /// Whether a blob's fsync makes its name durable too (decided once, for the root's
    /// filesystem): the folder's fsync is then skipped, one device flush less per save.
    let nameDurableWithFile: Bool
    /// Chunk size for reads: large enough to keep syscalls few, small enough to stream.
    static let readChunk: ByteCount = .kibibytes(512)

    public init(root: String, fileSystem: FileSystem = .shared) throws {
        self.root = root
        self.fileSystem = fileSystem
        for dir in [root, Self.incoming(in: root)] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        nameDurableWithFile = DurableFileWrites.fsyncCoversNewNames(root)
    }

    var incoming: String { Self.incoming(in: root) }
    static func incoming(in root: String) -> String { root + "/incoming" }
    static let stagedSuffix = ".part"

    func path(for key: String) -> String {
        root + "/" + key.prefix(2) + "/" + key
    }

    /// Content up to this size is gathered and written in one trip to the disk threads;
    /// larger content streams.
    static let smallBlob = 512 * 1024
    /// What a large upload holds before it is written out. NIO's default is 512 KiB; with 50
    /// concurrent uploads, 256 KiB took Folio's peak from 122–123 to 108–112 MiB.
    static let writeBuffer: ByteCount = .kibibytes(256)

    public func write<Content: AsyncSequence & Sendable>(
        _ content: Content, maxBytes: Int64, expectedSize: Int64?
    ) async throws -> StoredBlob where Content.Element == ByteBuffer {
        if let expectedSize, expectedSize > maxBytes { throw FolioError.tooLarge(limit: maxBytes) }
        let key = Identifier.random()
        let final = path(for: key)
        let folder = String(final.dropLast(key.count + 1))
        var hasher = SHA256()
        var iterator = content.makeAsyncIterator()
        // Gather a small blob whole; stop at the first chunk that makes it large.
        var gathered = ByteBuffer()
        var overflow: ByteBuffer?
        if expectedSize.map({ $0 <= Self.smallBlob }) ?? true {
            while let buffer = try await iterator.next() {
                if gathered.readableBytes + buffer.readableBytes > min(Self.smallBlob, Int(clamping: maxBytes)) {
                    overflow = buffer
                    break
                }
                buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                // A body that came in one chunk is kept as it is, not copied.
                if gathered.readableBytes == 0 { gathered = buffer } else { gathered.writeImmutableBuffer(buffer) }
            }
            if overflow == nil {
                let size = Int64(gathered.readableBytes)
                if let expectedSize, size != expectedSize {
                    throw FolioError.truncated(expected: expectedSize, received: size)
                }
                try await DurableFileWrites.run { [gathered, nameDurableWithFile] in
                    try DurableFileWrites.writeNewFile(
                        gathered, at: final, folder: folder, nameDurableWithFile: nameDurableWithFile)
                }
                return StoredBlob(key: key, size: size, sha256: Array(hasher.finalize()))
            }
        }
        try await DurableFileWrites.run { try DurableFileWrites.makeFolder(folder) }
        do {
            let size = try await fileSystem.withFileHandle(
                forWritingAt: FilePath(final), options: .newFile(replaceExisting: false)
            ) { handle in
                let size = try await handle.withBufferedWriter(capacity: Self.writeBuffer) { writer in
                    // What was gathered is hashed already; the rest is hashed on the way.
                    var size = Int64(gathered.readableBytes)
                    if size > 0 { try await writer.write(contentsOf: gathered) }
                    var next = overflow
                    if next == nil { next = try await iterator.next() }
                    while let buffer = next {
                        size += Int64(buffer.readableBytes)
                        if size > maxBytes { throw FolioError.tooLarge(limit: maxBytes) }
                        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                        try await writer.write(contentsOf: buffer)
                        next = try await iterator.next()
                    }
                    return size
                }
                if let expectedSize, size != expectedSize {
                    throw FolioError.truncated(expected: expectedSize, received: size)
                }
                try await handle.synchronize()
                return size
            }
            if !nameDurableWithFile { try await DurableFileWrites.run { try DurableFileWrites.syncFolder(folder) } }
            return StoredBlob(key: key, size: size, sha256: Array(hasher.finalize()))
        } catch {
            _ = try? await fileSystem.removeItem(at: FilePath(final))
            throw error
        }
    }

    public func open(_ key: String, range: Range<Int64>?) async throws -> BlobReader {
        let path = FilePath(path(for: key))
        guard try await fileSystem.info(forFileAt: path) != nil else { throw FolioError.notFound("no blob \(key)") }
        return BlobReader { body in try await read(path, key: key, range: range, body) }
    }

    func read(
        _ path: FilePath, key: String, range: Range<Int64>?, _ body: (ByteBuffer) async throws -> Void
    ) async throws {
        try await Self.readFile(path, name: "blob \(key)", range: range, fileSystem: fileSystem, body)
    }

    /// A file's bytes (or a range of them, cut at the end) a chunk at a time: the blob store's
    /// reads and a folder space's. One chunk at a time: the response writer already waits for
    /// the socket, and a read-ahead queue of buffers allocated on I/O threads and freed on
    /// event-loop threads fragmented the heap (tens of MiB of peak RSS per download).
    public static func readFile(
        _ path: FilePath, name: String, range: Range<Int64>?, fileSystem: FileSystem = .shared,
        _ body: (ByteBuffer) async throws -> Void
    ) async throws {
        try await fileSystem.withFileHandle(forReadingAt: path) { handle in
            var offset = range?.lowerBound ?? 0
            var end = try await handle.info().size
            if let range { end = min(range.upperBound, end) }
            while offset < end {
                let length = min(Self.readChunk.bytes, end - offset)
                let chunk = try await handle.readChunk(fromAbsoluteOffset: offset, length: .bytes(length))
                guard chunk.readableBytes > 0 else {
                    throw FolioError.storage("\(name) ended at byte \(offset) of \(end)")
                }
                offset += Int64(chunk.readableBytes)
                try await body(chunk)
            }
        }
    }

    /// A blob's bytes as an async sequence that reads on demand (copying to another store).
    public func withChunks<Result: Sendable>(
        _ key: String, _ body: (FileChunks) async throws -> Result
    ) async throws -> Result {
        try await fileSystem.withFileHandle(forReadingAt: FilePath(path(for: key))) { handle in
            try await body(handle.readChunks(chunkLength: Self.readChunk))
        }
    }

    public func remove(_ key: String) async throws {
        _ = try await fileSystem.removeItem(at: FilePath(path(for: key)))
    }

    /// Keys of every stored blob (for garbage collection).
    public func allKeys() throws -> [String] {
        try inventory().blobs.map(\.name)
    }

    /// Blobs, and staged writes a crash of an older version left behind: `.part` files beside
    /// the blobs and in `incoming/`. (A blob a crash cut short is an orphan like any other.)
    public func inventory() throws -> BlobInventory {
        let fm = FileManager.default
        func entries(in folder: String) throws -> [BlobInventory.Entry] {
            try fm.contentsOfDirectory(atPath: folder).compactMap { name in
                let attributes = try fm.attributesOfItem(atPath: folder + "/" + name)
                guard attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
                return BlobInventory.Entry(
                    name: name, size: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
                    modifiedAt: attributes[.modificationDate] as? Date ?? .distantPast)
            }
        }
        var blobs: [BlobInventory.Entry] = []
        var staged = try entries(in: incoming)
        for dir in try fm.contentsOfDirectory(atPath: root) where dir.count == 2 {
            for entry in try entries(in: root + "/" + dir) {
                if entry.name.hasSuffix(Self.stagedSuffix) { staged.append(entry) } else { blobs.append(entry) }
            }
        }
        return BlobInventory(blobs: blobs, staged: staged)
    }

    public func removeStaged(_ name: String) throws {
        guard !name.contains("/"), !name.hasPrefix(".") else { return }
        let beside = root + "/" + name.prefix(2) + "/" + name
        if name.hasSuffix(Self.stagedSuffix), FileManager.default.fileExists(atPath: beside) {
            try FileManager.default.removeItem(atPath: beside)
        } else {
            try FileManager.default.removeItem(atPath: incoming + "/" + name)
        }
    }

    public func checkWritable() throws {
        let probe = incoming + "/.ready-" + Identifier.random()
        guard FileManager.default.createFile(atPath: probe, contents: Data()) else {
            throw FolioError.storage("the blob folder \(root) is not writable")
        }
        try FileManager.default.removeItem(atPath: probe)
    }
}
