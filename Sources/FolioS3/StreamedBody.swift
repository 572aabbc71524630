import FolioCore
import NIOCore
import Synchronization

/// The bytes of a `BlobReader` as the `AsyncSequence` AsyncHTTPClient sends a request body
/// from, with back-pressure: the reader waits while two chunks are queued unsent, so a slow
/// gateway never makes Folio hold a document in memory. `pump` drives the reader (run it in a
/// task beside the request); it checks that exactly `size` bytes came, so a short or long blob
/// fails as itself rather than as a broken connection.
///
/// A body can be sent once: a second iteration (a redirect AsyncHTTPClient follows) fails
/// instead of replaying nothing.
struct StreamedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, Demand
    >

    private let once: Once
    let pump: @Sendable () async throws -> Void

    init(_ reader: BlobReader, size: Int64) {
        let demand = Demand()
        let made = Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: 1, highWatermark: 2), finishOnDeinit: false, delegate: demand)
        once = Once(made.sequence)
        let source = made.source
        pump = {
            var sent: Int64 = 0
            do {
                try await reader.read { chunk in
                    sent += Int64(chunk.readableBytes)
                    guard sent <= size else { throw FolioError.truncated(expected: size, received: sent) }
                    switch source.yield(chunk) {
                    case .produceMore: break
                    case .stopProducing: try await demand.wait()
                    case .dropped: throw CancellationError()
                    }
                }
                guard sent == size else { throw FolioError.truncated(expected: size, received: sent) }
                source.finish()
            } catch {
                source.finish(error)
                throw error
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(inner: once.take()?.makeAsyncIterator()) }

    struct AsyncIterator: AsyncIteratorProtocol {
        var inner: Producer.AsyncIterator?

        mutating func next() async throws -> ByteBuffer? {
            guard let inner else { throw S3Error.malformed("a streamed request body cannot be sent twice") }
            return try await inner.next()
        }
    }

    /// Hands the producer out to the first iterator only.
    final class Once: Sendable {
        private let producer: Mutex<Producer?>
        init(_ producer: Producer) { self.producer = Mutex(producer) }
        func take() -> Producer? {
            producer.withLock { value in
                defer { value = nil }
                return value
            }
        }
    }

    /// Wakes the pump when the queue has drained; ends it when the request is gone.
    final class Demand: NIOAsyncSequenceProducerDelegate {
        private struct State {
            var waiter: CheckedContinuation<Void, any Error>?
            /// `produceMore` came before the pump started to wait.
            var early = false
            var ended = false
        }

        private let state = Mutex(State())

        func produceMore() {
            state.withLock { state in
                if let waiter = state.waiter {
                    state.waiter = nil
                    waiter.resume()
                } else {
                    state.early = true
                }
            }
        }

        func didTerminate() { end() }

        private func end() {
            state.withLock { state in
                state.ended = true
                state.waiter?.resume(throwing: CancellationError())
                state.waiter = nil
            }
        }

        func wait() async throws {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
                    state.withLock { state in
                        if state.ended {
                            waiter.resume(throwing: CancellationError())
                        } else if state.early {
                            state.early = false
                            waiter.resume()
                        } else {
                            state.waiter = waiter
                        }
                    }
                }
            } onCancel: {
                end()
            }
        }
    }
}
