import Crypto
import Foundation
import NIOCore
import NIOPosix
import _NIOFileSystem

/// Blobs as files in a folder: `blobs/ab/<key>`, staged in `blobs/incoming/`.
public struct DirectoryBlobStore: BlobStore {
    public let root: String
    let fileSystem: FileSystem
    /// Chunk size for reads: large enough to keep syscalls few, small enough to stream.
    static let readChunk: ByteCount = .kibibytes(512)

    public init(root: String, fileSystem: FileSystem = .shared) throws {
        self.root = root
        self.fileSystem = fileSystem
        for dir in [root, incoming] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
    }

    var incoming: String { root + "/incoming" }

    func path(for key: String) -> String {
        root + "/" + key.prefix(2) + "/" + key
    }

    public func write<Content: AsyncSequence & Sendable>(
        _ content: Content, maxBytes: Int64, expectedSize: Int64?
    ) async throws -> StoredBlob where Content.Element == ByteBuffer {
        if let expectedSize, expectedSize > maxBytes { throw FolioError.tooLarge(limit: maxBytes) }
        let key = Identifier.random()
        let staging = FilePath(incoming + "/" + key + ".part")
        do {
            var hasher = SHA256()
            let size = try await fileSystem.withFileHandle(
                forWritingAt: staging, options: .newFile(replaceExisting: false)
            ) { handle in
                let size = try await handle.withBufferedWriter { writer in
                    var size: Int64 = 0
                    for try await buffer in content {
                        size += Int64(buffer.readableBytes)
                        if size > maxBytes { throw FolioError.tooLarge(limit: maxBytes) }
                        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                        try await writer.write(contentsOf: buffer)
                    }
                    return size
                }
                if let expectedSize, size != expectedSize {
                    throw FolioError.truncated(expected: expectedSize, received: size)
                }
                try await handle.synchronize()
                return size
            }
            let final = path(for: key)
            let directory = String(final.dropLast(key.count + 1))
            try await fileSystem.createDirectory(at: FilePath(directory), withIntermediateDirectories: true)
            try await fileSystem.moveItem(at: staging, to: FilePath(final))
            // fsync blocks; keep it off the threads that run Swift tasks.
            try await NIOThreadPool.singleton.runIfActive { try syncDirectory(directory) }
            return StoredBlob(key: key, size: size, sha256: Array(hasher.finalize()))
        } catch {
            _ = try? await fileSystem.removeItem(at: staging)
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
        let fm = FileManager.default
        var keys: [String] = []
        for dir in try fm.contentsOfDirectory(atPath: root) where dir.count == 2 {
            keys += try fm.contentsOfDirectory(atPath: root + "/" + dir)
        }
        return keys
    }

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
        for dir in try fm.contentsOfDirectory(atPath: root) where dir.count == 2 {
            blobs += try entries(in: root + "/" + dir)
        }
        return BlobInventory(blobs: blobs, staged: try entries(in: incoming))
    }

    public func removeStaged(_ name: String) throws {
        guard !name.contains("/") else { return }
        try FileManager.default.removeItem(atPath: incoming + "/" + name)
    }

    public func checkWritable() throws {
        let probe = incoming + "/.ready-" + Identifier.random()
        guard FileManager.default.createFile(atPath: probe, contents: Data()) else {
            throw FolioError.storage("the blob folder \(root) is not writable")
        }
        try FileManager.default.removeItem(atPath: probe)
    }

    /// Makes a rename durable: fsync the directory that holds the new entry.
    func syncDirectory(_ path: String) throws {
        #if canImport(Glibc)
            let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY)
        #else
            let fd = Darwin.open(path, O_RDONLY | O_DIRECTORY)
        #endif
        guard fd >= 0 else { throw FolioError.storage("cannot open \(path) to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FolioError.storage("fsync of \(path) failed") }
    }
}
