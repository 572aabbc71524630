import Crypto
import Foundation
import NIOCore
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

    public func write<Content: AsyncSequence>(
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
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try await fileSystem.moveItem(at: staging, to: FilePath(final))
            try syncDirectory(directory)
            return StoredBlob(key: key, size: size, sha256: Array(hasher.finalize()))
        } catch {
            _ = try? await fileSystem.removeItem(at: staging)
            throw error
        }
    }

    public func read(
        _ key: String, range: Range<Int64>?, _ body: (ByteBuffer) async throws -> Void
    ) async throws {
        try await fileSystem.withFileHandle(forReadingAt: FilePath(path(for: key))) { handle in
            let chunks =
                if let range { handle.readChunks(in: range, chunkLength: Self.readChunk) } else {
                    handle.readChunks(chunkLength: Self.readChunk)
                }
            for try await chunk in chunks { try await body(chunk) }
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

    /// Makes a rename durable: fsync the directory that holds the new entry.
    func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw FolioError.storage("cannot open \(path) to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FolioError.storage("fsync of \(path) failed") }
    }
}
