import Crypto
import FolioCore
import NIOCore
import Synchronization

/// A body of known length as `aws-chunked` frames: the source's buffers cut into
/// `ChunkedPayloadSigner.chunkSize` chunks, each after its signed header, then the empty final
/// chunk. Pulled by the HTTP client as the socket takes it, so one chunk at a time is held.
/// Each chunk is also hashed into `digest` (the blob's SHA-256). A source that ends early or
/// runs long fails the sequence before the final chunk, so the gateway never stores it.
struct ChunkedBody<Source: AsyncSequence & Sendable>: AsyncSequence, Sendable where Source.Element == ByteBuffer {
    typealias Element = ByteBuffer

    /// The running SHA-256 of the payload, read once the upload has finished, and why the
    /// body failed when it did (the client's upload cut off, say), which the HTTP client
    /// reports only as a failed request.
    final class Digest: Sendable {
        let hasher = Mutex(SHA256())
        let failure = Mutex<(any Error)?>(nil)
        var bytes: [UInt8] { Array(hasher.withLock { $0.finalize() }) }
    }

    let source: Source
    let size: Int64
    let signer: ChunkedPayloadSigner
    let digest: Digest

    struct AsyncIterator: AsyncIteratorProtocol {
        var source: Source.AsyncIterator
        let size: Int64
        var signer: ChunkedPayloadSigner
        let digest: Digest
        var pending = ByteBuffer()
        var received: Int64 = 0
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            do {
                return try await nextFrame()
            } catch {
                digest.failure.withLock { $0 = error }
                throw error
            }
        }

        mutating func nextFrame() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            while pending.readableBytes < ChunkedPayloadSigner.chunkSize, let buffer = try await source.next() {
                received += Int64(buffer.readableBytes)
                guard received <= size else { throw FolioError.truncated(expected: size, received: received) }
                var buffer = buffer
                pending.writeBuffer(&buffer)
            }
            if pending.readableBytes == 0 {
                guard received == size else { throw FolioError.truncated(expected: size, received: received) }
                finished = true
                return frame(ByteBuffer())
            }
            let chunk = pending.readSlice(length: Swift.min(pending.readableBytes, ChunkedPayloadSigner.chunkSize))!
            pending.discardReadBytes()
            chunk.withUnsafeReadableBytes { bytes in digest.hasher.withLock { $0.update(bufferPointer: bytes) } }
            return frame(chunk)
        }

        mutating func frame(_ chunk: ByteBuffer) -> ByteBuffer {
            let header = signer.header(for: chunk)
            var out = ByteBuffer()
            out.reserveCapacity(header.utf8.count + chunk.readableBytes + 2)
            out.writeString(header)
            out.writeImmutableBuffer(chunk)
            out.writeString("\r\n")
            return out
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(source: source.makeAsyncIterator(), size: size, signer: signer, digest: digest)
    }
}
