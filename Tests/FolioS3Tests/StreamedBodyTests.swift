import FolioCore
import NIOCore
import Synchronization
import Testing

@testable import FolioS3

/// The bridge that lets a streamed PUT read its content from a `BlobReader`: the reader is
/// held back by the sender (a document is never queued whole), and a blob that does not give
/// the bytes it promised fails the body as itself.
@Suite struct StreamedBodyTests {
    static let chunk = ByteBuffer(repeating: 7, count: 1024)

    @Test func theReaderWaitsForTheSender() async throws {
        let produced = Mutex(0)
        let count = 60
        let reader = BlobReader { body in
            for _ in 0..<count {
                produced.withLock { $0 += 1 }
                try await body(Self.chunk)
            }
        }
        let body = StreamedBody(reader, size: Int64(count * 1024))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await body.pump() }
            var iterator = body.makeAsyncIterator()
            var taken = 0
            while let got = try await iterator.next() {
                taken += 1
                #expect(got.readableBytes == 1024)
                // A slow network: an unbounded queue would let the reader run to the end here.
                try await Task.sleep(for: .milliseconds(3))
                let ahead = produced.withLock { $0 } - taken
                #expect(ahead <= 3, "the reader ran \(ahead) chunks ahead of the sender")
            }
            #expect(taken == count)
            try await group.waitForAll()
        }
    }

    static func isShort(_ error: any Error) -> Bool {
        error as? FolioError == .truncated(expected: 2048, received: 1024)
    }

    @Test func aShortBlobFailsTheBodyAsItself() async throws {
        let body = StreamedBody(BlobReader { body in try await body(Self.chunk) }, size: 2048)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await #expect(throws: FolioError.truncated(expected: 2048, received: 1024)) { try await body.pump() }
            }
            var iterator = body.makeAsyncIterator()
            var got = 0
            do {
                while let chunk = try await iterator.next() { got += chunk.readableBytes }
                Issue.record("the body ended normally after \(got) bytes")
            } catch {
                #expect(Self.isShort(error), "\(error)")
            }
            try await group.waitForAll()
        }
    }

    @Test func aBodyIsSentOnlyOnce() async throws {
        let body = StreamedBody(BlobReader { body in try await body(Self.chunk) }, size: 1024)
        _ = body.makeAsyncIterator()
        var again = body.makeAsyncIterator()
        await #expect(throws: S3Error.self) { _ = try await again.next() }
    }
}
