/// A bounded number of conversions at once, and a bounded queue behind them: past it a
/// request is refused at once (`ConversionError.busy`, a 503 with Retry-After), never an
/// unbounded backlog. A request cancelled while it waits (its client went away) leaves the queue.
public actor ConversionPool {
    public let workers: Int
    public let queueLimit: Int
    var running = 0
    var waiting: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    var nextID = 0

    public init(workers: Int, queueLimit: Int) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
    }

    /// Conversions running and waiting now.
    public var load: (running: Int, queued: Int) { (running, waiting.count) }

    /// Whether a worker is free and nobody waits: background work runs only then.
    public var isIdle: Bool { running < workers && waiting.isEmpty }

    public func run<T: Sendable>(_ job: @Sendable () async throws -> T) async throws -> T {
        if running >= workers {
            guard waiting.count < queueLimit else { throw ConversionError.busy }
            try await wait()
        } else {
            running += 1
        }
        PreviewMetrics.queue(running: running, queued: waiting.count)
        defer {
            release()
            PreviewMetrics.queue(running: running, queued: waiting.count)
        }
        return try await job()
    }

    /// Waits for a slot handed over by `release`; a cancelled wait gives its place up.
    func wait() async throws {
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiting.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.leave(id) }
        }
    }

    func leave(_ id: Int) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(throwing: CancellationError())
        PreviewMetrics.queue(running: running, queued: waiting.count)
    }

    /// The slot goes to the first waiter, or back to the pool.
    func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().continuation.resume()
        }
    }
}
