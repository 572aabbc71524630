import NIOCore

/// Buffers already in memory as a body for the content writers (templates, empty files, and
/// request bodies made by tests).
public struct BufferSequence: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    let buffers: [ByteBuffer]
    public init(_ buffers: [ByteBuffer]) { self.buffers = buffers }
    public struct AsyncIterator: AsyncIteratorProtocol {
        var rest: ArraySlice<ByteBuffer>
        public mutating func next() async throws -> ByteBuffer? { rest.popFirst() }
    }
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: buffers[...]) }
}
