import Synchronization

/// One clock for every request waiting on the connection pool. Each lease's watcher waits for
/// ticks of this clock instead of sleeping on a timer of its own: a `Task.sleep` that is
/// cancelled (nearly every lease gets its connection at once) stayed in the timer heap until
/// its deadline, so a few thousand saves a second kept ten thousand timers and their tasks
/// alive, and adding and cancelling them was 3 % of a save's CPU time.
package final class LeaseTicker: Sendable {
    private struct Waiters {
        var next: UInt64 = 0
        var waiting: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        /// Ids cancelled before their continuation was in `waiting`.
        var cancelled: Set<UInt64> = []
    }

    private let waiters = Mutex(Waiters())
    let interval: Duration

    package init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    /// Ticks until cancelled: every `interval`, everyone waiting goes on.
    package func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            let due = waiters.withLock { state in
                defer { state.waiting.removeAll(keepingCapacity: true) }
                return Array(state.waiting.values)
            }
            for continuation in due { continuation.resume(returning: true) }
        }
    }

    /// Returns at the next tick (between now and `interval` from now); throws
    /// `CancellationError` as soon as the calling task is cancelled.
    package func nextTick() async throws {
        let id = waiters.withLock { state in
            defer { state.next += 1 }
            return state.next
        }
        let ticked = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let early = waiters.withLock { state in
                    if state.cancelled.remove(id) != nil { return true }
                    state.waiting[id] = continuation
                    return false
                }
                if early { continuation.resume(returning: false) }
            }
        } onCancel: {
            let waiting = waiters.withLock { state -> CheckedContinuation<Bool, Never>? in
                if let continuation = state.waiting.removeValue(forKey: id) { return continuation }
                state.cancelled.insert(id)
                return nil
            }
            waiting?.resume(returning: false)
        }
        if !ticked { throw CancellationError() }
    }
}
