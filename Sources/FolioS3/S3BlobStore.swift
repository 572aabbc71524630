import AsyncHTTPClient
import Crypto
import FolioCore
import Foundation
import NIOCore

/// Blobs as objects in a bucket, under the location's prefix. Content of a known size (up to
/// 5 GiB) streams up as one PUT signed chunk by chunk, 64 KiB in memory; content of unknown size
/// goes through one part buffer of a multipart upload, at most `partSize` bytes in memory. A
/// download holds only the chunk being passed on. An object exists only once its upload completed, so a version is
/// never committed before its bytes are in the bucket; a refused or cut-off upload is aborted.
public struct S3BlobStore: BlobStore {
    public let client: S3Client
    /// Bytes per part of a multipart upload (S3's minimum is 5 MiB, except the last part).
    public var partSize: Int = 8 * 1_048_576

    public init(client: S3Client, partSize: Int = 8 * 1_048_576) {
        precondition(partSize >= 5 * 1_048_576, "S3 parts are at least 5 MiB")
        self.client = client
        self.partSize = partSize
    }

    public func write<Content: AsyncSequence & Sendable>(
        _ content: Content, maxBytes: Int64, expectedSize: Int64?
    ) async throws -> StoredBlob where Content.Element == ByteBuffer {
        try await write(content, key: Identifier.random(), maxBytes: maxBytes, expectedSize: expectedSize)
    }

    /// Writes under a key chosen by the caller: `folio blobs migrate` keeps each blob's key,
    /// which the versions name.
    public func write<Content: AsyncSequence & Sendable>(
        _ content: Content, key: String, maxBytes: Int64, expectedSize: Int64?
    ) async throws -> StoredBlob where Content.Element == ByteBuffer {
        if let expectedSize, expectedSize > maxBytes { throw FolioError.tooLarge(limit: maxBytes) }
        if let expectedSize, expectedSize > 0, expectedSize <= S3Client.singlePutLimit {
            // The size is known (a Content-Length): one streamed, chunk-signed PUT. (Not for
            // nothing: RGW refuses an aws-chunked body that is only the final chunk.)
            let sha256 = try await client.putObject(key, size: expectedSize, streaming: content)
            return StoredBlob(key: key, size: expectedSize, sha256: sha256)
        }
        var hasher = SHA256()
        var size: Int64 = 0
        var part = ByteBuffer()
        part.reserveCapacity(min(partSize, Int(clamping: expectedSize ?? Int64(partSize))))
        var upload: (id: String, etags: [String])?
        do {
            for try await buffer in content {
                size += Int64(buffer.readableBytes)
                if size > maxBytes { throw FolioError.tooLarge(limit: maxBytes) }
                buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                var rest = buffer
                while rest.readableBytes > 0 {
                    var slice = rest.readSlice(length: min(rest.readableBytes, partSize - part.readableBytes))!
                    part.writeBuffer(&slice)
                    if part.readableBytes == partSize {
                        if upload == nil { upload = (try await client.createMultipartUpload(key), []) }
                        let etag = try await client.uploadPart(
                            key, uploadID: upload!.id, number: upload!.etags.count + 1, body: part)
                        upload!.etags.append(etag)
                        part.clear()
                    }
                }
            }
            if let expectedSize, size != expectedSize {
                throw FolioError.truncated(expected: expectedSize, received: size)
            }
            if var upload {
                if part.readableBytes > 0 || upload.etags.isEmpty {
                    upload.etags.append(
                        try await client.uploadPart(
                            key, uploadID: upload.id, number: upload.etags.count + 1, body: part))
                }
                try await client.completeMultipartUpload(key, uploadID: upload.id, etags: upload.etags)
            } else {
                try await client.putObject(key, body: part)
            }
            return StoredBlob(key: key, size: size, sha256: Array(hasher.finalize()))
        } catch {
            // Nothing may stay behind: parts of an unfinished upload are stored (and billed).
            if let upload { try? await client.abortMultipartUpload(key, uploadID: upload.id) }
            throw error
        }
    }

    /// The GET is sent here, so an unreachable store or a missing object fails before any
    /// response is under way; the body then streams at the reader's pace.
    public func open(_ key: String, range: Range<Int64>?) async throws -> BlobReader {
        guard let stream = try await client.getObject(key, range: range) else { return BlobReader { _ in } }
        return BlobReader { body in
            for try await chunk in stream { try await body(chunk) }
        }
    }

    public func remove(_ key: String) async throws {
        try await client.deleteObject(key)
    }

    /// Objects are the blobs; unfinished multipart uploads are what a crash left staged,
    /// named `KEY UPLOADID` so that `removeStaged` can abort them.
    public func inventory() async throws -> BlobInventory {
        let objects = try await client.listObjects()
        let uploads = try await client.listMultipartUploads()
        return BlobInventory(
            blobs: objects.filter { !$0.key.hasPrefix(Self.probePrefix) }.map {
                .init(name: $0.key, size: $0.size, modifiedAt: $0.lastModified)
            },
            staged: uploads.map { .init(name: $0.key + " " + $0.uploadID, size: 0, modifiedAt: $0.initiated) })
    }

    public func removeStaged(_ name: String) async throws {
        let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw FolioError.badRequest("\(name) is not an unfinished upload") }
        try await client.abortMultipartUpload(parts[0], uploadID: parts[1])
    }

    static let probePrefix = ".ready-"

    /// Writes, reads back and deletes a small object: the bucket takes writes now.
    public func checkWritable() async throws {
        let key = Self.probePrefix + Identifier.random()
        let text = "folio readiness probe"
        try await client.putObject(key, body: ByteBuffer(string: text))
        var back = ""
        try await self.read(key, range: nil) { back += String(buffer: $0) }
        try await client.deleteObject(key)
        guard back == text else {
            throw FolioError.storage("the bucket \(client.location) gave back other bytes than were written")
        }
    }
}
