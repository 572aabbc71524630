import FolioCore
import NIOCore
import Synchronization

/// Hands a document's chunks from a reader that pushes (`BlobReader`) to an upload that pulls
/// (AsyncHTTPClient's request body), one chunk at a time: the reader waits until the upload has
/// taken its chunk, so a slow server holds the reader back and memory stays at one chunk.
final class ChunkHandoff: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    private enum State {
        case idle
        /// The reader offered a chunk and waits for the upload to take it.
        case offered(ByteBuffer, CheckedContinuation<Void, any Error>)
        /// The upload waits for a chunk.
        case waiting(CheckedContinuation<ByteBuffer?, any Error>)
        case finished
        case failed(any Error)
    }

    private let state = Mutex<State>(.idle)
    /// Why the reader stopped, when it failed: the upload's error is then only its echo.
    let readerError = Mutex<(any Error)?>(nil)

    /// The reader's side: returns once the upload has the chunk.
    func put(_ chunk: ByteBuffer) async throws {
        try await withCheckedThrowingContinuation { (producer: CheckedContinuation<Void, any Error>) in
            let consumer = state.withLock { (state: inout State) -> CheckedContinuation<ByteBuffer?, any Error>? in
                switch state {
                case .waiting(let consumer):
                    state = .idle
                    return consumer
                case .idle:
                    state = .offered(chunk, producer)
                    return nil
                case .failed(let error):
                    producer.resume(throwing: error)
                    return nil
                case .offered, .finished:
                    producer.resume(throwing: FolioError.storage("a chunk was offered twice, or after the end"))
                    return nil
                }
            }
            if let consumer {
                consumer.resume(returning: chunk)
                producer.resume()
            }
        }
    }

    /// The reader's side: no more chunks.
    func finish() {
        let consumer: CheckedContinuation<ByteBuffer?, any Error>? = state.withLock { state in
            guard case .waiting(let consumer) = state else {
                if case .idle = state { state = .finished }
                return nil
            }
            state = .finished
            return consumer
        }
        consumer?.resume(returning: nil)
    }

    /// Either side gives up: the other is woken with `error`.
    func fail(_ error: any Error) {
        let woken: (CheckedContinuation<Void, any Error>?, CheckedContinuation<ByteBuffer?, any Error>?) =
            state.withLock { state in
                switch state {
                case .offered(_, let producer):
                    state = .failed(error)
                    return (producer, nil)
                case .waiting(let consumer):
                    state = .failed(error)
                    return (nil, consumer)
                case .idle:
                    state = .failed(error)
                    return (nil, nil)
                case .finished, .failed:
                    return (nil, nil)
                }
            }
        woken.0?.resume(throwing: error)
        woken.1?.resume(throwing: error)
    }

    /// The upload's side: the next chunk, or nil at the end.
    func next() async throws -> ByteBuffer? {
        try await withCheckedThrowingContinuation { (consumer: CheckedContinuation<ByteBuffer?, any Error>) in
            let producer = state.withLock {
                (state: inout State) -> (ByteBuffer, CheckedContinuation<Void, any Error>)? in
                switch state {
                case .offered(let chunk, let producer):
                    state = .idle
                    return (chunk, producer)
                case .idle:
                    state = .waiting(consumer)
                    return nil
                case .finished:
                    consumer.resume(returning: nil)
                    return nil
                case .failed(let error):
                    consumer.resume(throwing: error)
                    return nil
                case .waiting:
                    consumer.resume(throwing: FolioError.storage("two readers of one upload"))
                    return nil
                }
            }
            if let (chunk, waiting) = producer {
                consumer.resume(returning: chunk)
                waiting.resume()
            }
        }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let handoff: ChunkHandoff
        mutating func next() async throws -> ByteBuffer? { try await handoff.next() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(handoff: self) }
}
