import FolioCore
import NIOCore

/// A document's content as the request body AsyncHTTPClient pulls: the `BlobReader` pushes
/// chunks, so each chunk waits until the client asks for the next one. At most one chunk is
/// held at a time, never the whole document.
struct HTTPSpaceUpload: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let content: SpaceContent

    func makeAsyncIterator() -> Iterator { Iterator(content: content) }

    final class Iterator: AsyncIteratorProtocol {
        let content: SpaceContent
        let chunks: AsyncThrowingStream<ByteBuffer, any Error>
        var chunkIterator: AsyncThrowingStream<ByteBuffer, any Error>.Iterator
        let chunkSink: AsyncThrowingStream<ByteBuffer, any Error>.Continuation
        /// One element per chunk asked for: the producer reads the next chunk only then.
        let demandSink: AsyncStream<Void>.Continuation
        var producer: Task<Void, Never>?
        var demands: AsyncStream<Void>?

        init(content: SpaceContent) {
            self.content = content
            (chunks, chunkSink) = AsyncThrowingStream.makeStream()
            chunkIterator = chunks.makeAsyncIterator()
            let (demands, demandSink) = AsyncStream<Void>.makeStream()
            self.demands = demands
            self.demandSink = demandSink
        }

        deinit {
            // The client stopped pulling (the request failed): let the producer end.
            demandSink.finish()
            producer?.cancel()
        }

        func next() async throws -> ByteBuffer? {
            if let demands {
                self.demands = nil
                producer = Task { [content, chunkSink] in
                    var asked = demands.makeAsyncIterator()
                    do {
                        guard await asked.next() != nil else { return chunkSink.finish() }
                        try await content.open().read { chunk in
                            guard chunk.readableBytes > 0 else { return }
                            chunkSink.yield(chunk)
                            guard await asked.next() != nil else { throw CancellationError() }
                        }
                        chunkSink.finish()
                    } catch {
                        chunkSink.finish(throwing: error)
                    }
                }
            }
            demandSink.yield()
            return try await chunkIterator.next()
        }
    }
}
