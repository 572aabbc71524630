/// A bounded number of conversions at once, and a bounded queue behind them: past it a
/// request is refused at once (`ConversionError.busy`, a 503 with Retry-After), never an
/// unbounded backlog. A request cancelled while it waits (its client went away) leaves the queue.
///
/// People go first. Background work (thumbnails and PDFs made ahead of time or for a listing)
/// runs at the idle CPU priority, so on a busy machine it can sit on a worker for up to its
/// time limit; a person who would wait behind it does not: their request takes the place of
/// the newest background conversion (stopped, `ConversionError.preempted`, made again later),
/// waits ahead of every background request, and pushes the newest of those out of a full queue.
public actor ConversionPool {
    public let workers: Int
    public let queueLimit: Int
    var running = 0
    var waiting: [Waiter] = []
    /// Background conversions running now, oldest first, with how to stop each.
    var backgroundRunning: [(id: Int, stop: @Sendable () -> Void)] = []
    /// Background conversions stopped to make room; their own `run` says so.
    var preempted: Set<Int> = []
    var nextID = 0

    struct Waiter {
        let id: Int
        let priority: ConversionPriority
        let continuation: CheckedContinuation<Void, any Error>
    }

    public init(workers: Int, queueLimit: Int) {
        self.workers = max(1, workers)
        self.queueLimit = max(0, queueLimit)
    }

    /// Conversions running and waiting now.
    public var load: (running: Int, queued: Int) { (running, waiting.count) }

    /// Whether a worker is free and nobody waits: background work runs only then.
    public var isIdle: Bool { running < workers && waiting.isEmpty }

    /// Runs `job` on a worker, at the priority of the task that asks (`ConversionPriority`).
    public func run<T: Sendable>(
        priority: ConversionPriority = ConversionPriority.current, _ job: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        nextID += 1
        let id = nextID
        if running >= workers {
            try admit(priority)
            try await wait(id, priority)
        } else {
            running += 1
        }
        PreviewMetrics.queue(running: running, queued: waiting.count)
        defer {
            release()
            PreviewMetrics.queue(running: running, queued: waiting.count)
        }
        guard priority == .background else { return try await job() }
        // In a task of its own, so that a person's request can stop it. The task inherits the
        // caller's task-locals (the priority among them); the caller's cancellation is passed on.
        let task = Task { try await job() }
        backgroundRunning.append((id, { task.cancel() }))
        let result = await withTaskCancellationHandler {
            await task.result
        } onCancel: {
            task.cancel()
        }
        backgroundRunning.removeAll { $0.id == id }
        let stopped = preempted.remove(id) != nil
        do {
            return try result.get()
        } catch {
            throw stopped ? ConversionError.preempted : error
        }
    }

    /// Makes room in the queue for a request that must wait, or refuses it: a person is refused
    /// only by a queue full of other people. A person admitted stops a background conversion.
    func admit(_ priority: ConversionPriority) throws {
        if waiting.count >= queueLimit {
            guard priority == .interactive, let index = waiting.lastIndex(where: { $0.priority == .background })
            else { throw ConversionError.busy }
            waiting.remove(at: index).continuation.resume(throwing: ConversionError.busy)
        }
        guard priority == .interactive else { return }
        // One background conversion stopped for each person waiting (the newest: it has done the
        // least); its worker comes to the first person as soon as its sandbox is gone.
        let people = waiting.filter { $0.priority == .interactive }.count + 1
        if preempted.count < people, let newest = backgroundRunning.last(where: { !preempted.contains($0.id) }) {
            preempted.insert(newest.id)
            newest.stop()
        }
    }

    /// Waits for a slot handed over by `release`; a cancelled wait gives its place up. People
    /// queue ahead of background work, in order among themselves.
    func wait(_ id: Int, _ priority: ConversionPriority) async throws {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                let waiter = Waiter(id: id, priority: priority, continuation: continuation)
                if priority == .interactive, let first = waiting.firstIndex(where: { $0.priority == .background }) {
                    waiting.insert(waiter, at: first)
                } else {
                    waiting.append(waiter)
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
