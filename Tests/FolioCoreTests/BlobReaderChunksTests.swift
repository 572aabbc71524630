import FolioCore
import NIOCore
import Synchronization
import Testing

/// The one bridge from a reader that pushes (`BlobReader`) to a consumer that pulls (an upload's
/// request body, a blob store's write): the reader is held back by the consumer, a reader that
/// does not give the bytes promised fails as itself, and a consumer that stops stops the reader.
@Suite struct BlobReaderChunksTests {
    static let chunk = ByteBuffer(repeating: 7, count: 1024)

    @Test func theReaderWaitsForTheConsumer() async throws {
        let produced = Mutex(0)
        let count = 60
        let reader = BlobReader { body in
            for _ in 0..<count {
                produced.withLock { $0 += 1 }
                try await body(Self.chunk)
            }
        }
        var iterator = reader.chunks(size: Int64(count * 1024)).makeAsyncIterator()
        var taken = 0
        while let got = try await iterator.next() {
            taken += 1
            #expect(got.readableBytes == 1024)
            // A slow network: an unbounded queue would let the reader run to the end here.
            try await Task.sleep(for: .milliseconds(2))
            let ahead = produced.withLock { $0 } - taken
            #expect(ahead <= 1, "the reader ran \(ahead) chunks ahead of the consumer")
        }
        #expect(taken == count)
    }

    @Test(arguments: [(1, Int64(2048)), (3, Int64(2048))])
    func aReaderThatBreaksItsPromiseFails(chunks: Int, size: Int64) async throws {
        let body = BlobReader { body in for _ in 0..<chunks { try await body(Self.chunk) } }.chunks(size: size)
        var iterator = body.makeAsyncIterator()
        var got = 0
        do {
            while let chunk = try await iterator.next() { got += chunk.readableBytes }
            Issue.record("the body ended normally after \(got) bytes")
        } catch let error as FolioError {
            guard case .truncated(let expected, _) = error else { throw error }
            #expect(expected == size)
        }
        #expect(got <= size)
        #expect(body.readerFailure is FolioError)
    }

    @Test func aReaderErrorIsKeptForTheCaller() async throws {
        struct Gone: Error {}
        let body = BlobReader { body in
            try await body(Self.chunk)
            throw Gone()
        }.chunks()
        var iterator = body.makeAsyncIterator()
        _ = try await iterator.next()
        await #expect(throws: Gone.self) { _ = try await iterator.next() }
        #expect(body.readerFailure is Gone)
    }

    @Test func aConsumerThatStopsStopsTheReader() async throws {
        let finished = Mutex<Bool?>(nil)
        let reader = BlobReader { body in
            do {
                for _ in 0..<1000 { try await body(Self.chunk) }
                finished.withLock { $0 = true }
            } catch {
                finished.withLock { $0 = false }
                throw error
            }
        }
        do {
            var iterator = reader.chunks().makeAsyncIterator()
            _ = try await iterator.next()
            _ = try await iterator.next()
        }
        for _ in 0..<200 where finished.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(5)) }
        #expect(finished.withLock { $0 } == false)
    }
}
