import Crypto
import FolioCore
import FolioS3
import Foundation
import NIOCore
import _NIOFileSystem

/// Copies an installation's blobs from its folder into a bucket under the same keys (the
/// versions name them), reads each copy back and compares SHA-256 hashes. It can be stopped
/// and run again: an object already in the bucket with the blob's size is whole (objects
/// appear only once their upload completed) and is skipped.
public struct BlobMigration: Sendable {
    public struct Report: Sendable, Codable, Equatable {
        public var blobs: Int
        public var copied: Int
        public var alreadyThere: Int
        public var bytesCopied: Int64
    }

    let folio: Folio
    let source: DirectoryBlobStore
    let target: S3BlobStore

    public init(folio: Folio, target: S3BlobStore) throws {
        guard let source = folio.blobs as? DirectoryBlobStore else {
            throw FolioError.badRequest("blobs migrate copies from a folder; this installation's blobs are elsewhere")
        }
        self.folio = folio
        self.source = source
        self.target = target
    }

    public func run(progress: (String) -> Void) async throws -> Report {
        let referenced = try await folio.maintenance.referencedBlobs()
        let sizes = Dictionary(
            try source.inventory().blobs.map { ($0.name, $0.size) }, uniquingKeysWith: { first, _ in first })
        let missing = referenced.subtracting(sizes.keys)
        guard missing.isEmpty else {
            throw FolioError.storage(
                "\(missing.count) blobs the versions name are not in \(source.root) (e.g. \(missing.sorted()[0])); "
                    + "nothing was copied")
        }
        let inBucket = Dictionary(
            try await target.client.listObjects().map { ($0.key, $0.size) }, uniquingKeysWith: { first, _ in first })
        let keys = referenced.sorted()
        let total = keys.reduce(Int64(0)) { $0 + sizes[$1]! }
        progress("\(keys.count) blobs, \(total) bytes, to \(target.client.location)")
        var report = Report(blobs: keys.count, copied: 0, alreadyThere: 0, bytesCopied: 0)
        for (index, key) in keys.enumerated() {
            let size = sizes[key]!
            if inBucket[key] == size {
                report.alreadyThere += 1
            } else {
                try await copy(key, size: size)
                report.copied += 1
                report.bytesCopied += size
            }
            if (index + 1) % 100 == 0 || index + 1 == keys.count {
                progress(
                    "\(index + 1) of \(keys.count) blobs: \(report.copied) copied (\(report.bytesCopied) bytes), "
                        + "\(report.alreadyThere) already there")
            }
        }
        return report
    }

    /// Streams one blob into the bucket, then reads the object back: its SHA-256 must be the
    /// one the source's bytes had on the way in.
    func copy(_ key: String, size: Int64) async throws {
        let written = try await source.withChunks(key) { chunks in
            try await target.write(chunks, key: key, maxBytes: .max, expectedSize: size)
        }
        var hasher = SHA256()
        var readBack: Int64 = 0
        try await target.read(key, range: nil) { chunk in
            readBack += Int64(chunk.readableBytes)
            chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
        }
        guard readBack == size, Array(hasher.finalize()) == written.sha256 else {
            try? await target.remove(key)
            throw FolioError.storage("the copy of blob \(key) in the bucket differs from the folder's; it was removed")
        }
    }
}
