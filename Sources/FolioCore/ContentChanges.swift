import Synchronization

/// The files whose content just changed (a save, an upload, a restore), as in-process streams
/// for work that follows saves without delaying them — the previews made ahead of time. Each
/// subscriber keeps the newest few hundred when it lags; with no subscriber (the CLI) nothing
/// is kept.
public final class ContentChanges: Sendable {
    let subscribers = Mutex<[Int: AsyncStream<String>.Continuation]>([:])
    let counter = Atomic<Int>(0)
    let buffer: Int

    public init(buffer: Int = 512) {
        self.buffer = buffer
    }

    /// A stream of the ids of files with a new current version, from now on; it ends when the
    /// subscriber stops iterating it.
    public func subscribe() -> AsyncStream<String> {
        let id = counter.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream.makeStream(
            of: String.self, bufferingPolicy: .bufferingNewest(buffer))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// Says the file `id` has a new current version.
    public func announce(_ id: String) {
        subscribers.withLock { all in
            for continuation in all.values { continuation.yield(id) }
        }
    }
}
