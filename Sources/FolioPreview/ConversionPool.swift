/// A bounded number of conversions at once, and a bounded queue behind them: past it a
/// request is refused at once (`ConversionError.busy`, a 503 with Retry-After), never an
/// unbounded backlog.
public actor ConversionPool {
    public let workers: Int
    public let queueLimit: Int
    var running = 0
    var waiting: [CheckedContinuation<Void, Never>] = []

    public init(workers: Int, queueLimit: Int) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
    }

    /// Conversions running and waiting now.
    public var load: (running: Int, queued: Int) { (running, waiting.count) }

    public func run<T: Sendable>(_ job: @Sendable () async throws -> T) async throws -> T {
        if running >= workers {
            guard waiting.count < queueLimit else { throw ConversionError.busy }
            await withCheckedContinuation { waiting.append($0) }
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

    /// The slot goes to the first waiter, or back to the pool.
    func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
