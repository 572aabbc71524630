import NIOCore
import Synchronization

extension BlobReader {
    /// The same bytes as an async sequence pulled at the consumer's pace — what an upload's
    /// request body or a blob store's `write` takes: the reader runs in a task of its own and
    /// hands over one chunk at a time, reading the next only once the last was taken, so a
    /// slow consumer holds the reader back and memory stays at one chunk. A consumer that stops
    /// early stops the reader. With `size`, exactly that many bytes must come
    /// (`FolioError.truncated` otherwise, before the consumer sees the end).
    public func chunks(size: Int64? = nil) -> BlobReaderChunks { BlobReaderChunks(reader: self, size: size) }
}

public struct BlobReaderChunks: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    let reader: BlobReader
    let size: Int64?
    let failure = FailureBox()

    /// Why the reader failed, if it did. A request that was sending these chunks reports only
    /// its own broken body; this says what broke it (a cut-off upload, a store that went away).
    public var readerFailure: (any Error)? { failure.error.withLock { $0 } }

    final class FailureBox: Sendable {
        let error = Mutex<(any Error)?>(nil)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator
        let producer: Producer
        var started = false

        public mutating func next() async throws -> ByteBuffer? {
            // Asking for the next chunk says the last one was taken: the reader may read on.
            if started { producer.taken.yield(()) }
            started = true
            return try await chunks.next()
        }
    }

    /// The reading task and the signal that lets it go on; stopped when the iterator goes.
    final class Producer: Sendable {
        let taken: AsyncStream<Void>.Continuation
        let task: Task<Void, Never>

        init(
            reader: BlobReader, size: Int64?, failure: FailureBox,
            out: AsyncThrowingStream<ByteBuffer, any Error>.Continuation
        ) {
            let (acknowledgements, taken) = AsyncStream<Void>.makeStream()
            self.taken = taken
            task = Task {
                var acknowledged = acknowledgements.makeAsyncIterator()
                var sent: Int64 = 0
                do {
                    try await reader.read { chunk in
                        guard chunk.readableBytes > 0 else { return }
                        sent += Int64(chunk.readableBytes)
                        if let size, sent > size { throw FolioError.truncated(expected: size, received: sent) }
                        out.yield(chunk)
                        guard await acknowledged.next() != nil else { throw CancellationError() }
                    }
                    if let size, sent != size { throw FolioError.truncated(expected: size, received: sent) }
                    out.finish()
                } catch {
                    if !(error is CancellationError) { failure.error.withLock { $0 = $0 ?? error } }
                    out.finish(throwing: error)
                }
            }
        }

        deinit {
            taken.finish()
            task.cancel()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        let (stream, out) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        return AsyncIterator(
            chunks: stream.makeAsyncIterator(),
            producer: Producer(reader: reader, size: size, failure: failure, out: out))
    }
}
