import NIOCore

extension BlobReader {
    /// The same bytes as an async sequence pulled at the consumer's pace (to write what a space
    /// hands out into the blob store): the reader runs in a task of its own and passes one chunk
    /// at a time, waiting until the one before was taken. A consumer that stops early stops it.
    public var chunks: BlobReaderChunks { BlobReaderChunks(reader: self) }
}

public struct BlobReaderChunks: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    let reader: BlobReader

    public struct AsyncIterator: AsyncIteratorProtocol {
        var chunks: AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator
        let producer: Producer
        var started = false

        public mutating func next() async throws -> ByteBuffer? {
            // Taking the next chunk says the last one was taken: the reader may read on.
            if started { producer.taken.yield(()) }
            started = true
            return try await chunks.next()
        }
    }

    /// The reading task and the signal that lets it go on; stopped when the iterator goes.
    final class Producer: Sendable {
        let taken: AsyncStream<Void>.Continuation
        let task: Task<Void, Never>

        init(reader: BlobReader, out: AsyncThrowingStream<ByteBuffer, any Error>.Continuation) {
            let (acknowledgements, taken) = AsyncStream<Void>.makeStream()
            self.taken = taken
            task = Task {
                var acknowledged = acknowledgements.makeAsyncIterator()
                do {
                    try await reader.read { chunk in
                        out.yield(chunk)
                        guard await acknowledged.next() != nil else { throw CancellationError() }
                    }
                    out.finish()
                } catch {
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
        return AsyncIterator(chunks: stream.makeAsyncIterator(), producer: Producer(reader: reader, out: out))
    }
}
