import Synchronization

/// One clock for every request waiting on the connection pool. Each lease's watcher waits for
/// ticks of this clock instead of sleeping on a timer of its own: a `Task.sleep` that is
/// cancelled (nearly every lease gets its connection at once) stayed in the timer heap until
/// its deadline, so a few thousand saves a second kept ten thousand timers and their tasks
/// alive, and adding and cancelling them was 3 % of a save's CPU time.
package final class LeaseTicker: Sendable {
    /// A waiter between taking its id and its tick: not yet waiting, or waiting. A waiter
    /// with no slot was cancelled before it waited, or has had its tick.
    private enum Slot {
        case pending
        case waiting(CheckedContinuation<Bool, Never>)
    }

    private struct Waiters {
        var next: UInt64 = 0
        var slots: [UInt64: Slot] = [:]
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
                var due: [CheckedContinuation<Bool, Never>] = []
                for (id, slot) in state.slots {
                    if case .waiting(let continuation) = slot {
                        due.append(continuation)
                        state.slots[id] = nil
                    }
                }
                return due
            }
            for continuation in due { continuation.resume(returning: true) }
        }
    }

    /// Returns at the next tick (between now and `interval` from now); throws
    /// `CancellationError` as soon as the calling task is cancelled.
    package func nextTick() async throws {
        let id = waiters.withLock { state in
            defer { state.next += 1 }
            state.slots[state.next] = .pending
            return state.next
        }
        let ticked = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let cancelled = waiters.withLock { state in
                    guard state.slots[id] != nil else { return true }
                    state.slots[id] = .waiting(continuation)
                    return false
                }
                if cancelled { continuation.resume(returning: false) }
            }
        } onCancel: {
            // Waiting: go now. Pending: the slot's absence tells it not to wait. Ticked already:
            // nothing is left of it.
            let slot = waiters.withLock { $0.slots.removeValue(forKey: id) }
            if case .waiting(let continuation) = slot { continuation.resume(returning: false) }
        }
        if !ticked { throw CancellationError() }
    }

    /// Waiters holding a slot (for tests: none are left once everyone has gone on).
    package var slotsHeld: Int { waiters.withLock { $0.slots.count } }
}
