import Synchronization

/// Announcements of writes that finish together, sent as one: a write waits for a `NOTIFY`
/// sent after it committed, and one `NOTIFY` covers every write that was waiting when it
/// went out. Sixteen concurrent saves sent sixteen notifications, each a transaction that
/// PostgreSQL serialises with every other notifying one and that wakes every instance's
/// listener; now they send a few.
package final class Announcements: Sendable {
    private enum Turn {
        /// A notification sent after this write committed was acknowledged.
        case announced
        /// Nobody is sending: this write sends for everyone waiting.
        case send
    }

    private struct State {
        var sending = false
        var waiting: [CheckedContinuation<Turn, Never>] = []
    }

    private let state = Mutex(State())

    package init() {}

    /// Whether the caller is to send now (nobody was sending); if not, `continuation`, when
    /// given, waits in line.
    private func claim(orQueue continuation: CheckedContinuation<Turn, Never>?) -> Bool {
        state.withLock { state in
            if !state.sending {
                state.sending = true
                return true
            }
            if let continuation { state.waiting.append(continuation) }
            return false
        }
    }

    /// Returns once a notification sent after this call began has been acknowledged (or has
    /// failed, which `send` reports itself): `send` runs for this write or for a batch of
    /// writes this one is part of.
    package func announce(_ send: () async -> Void) async {
        // Nobody sending: send at once, without suspending (the common case of a lone write).
        if !claim(orQueue: nil) {
            let turn = await withCheckedContinuation { continuation in
                if claim(orQueue: continuation) { continuation.resume(returning: .send) }
            }
            if case .announced = turn { return }
        }
        // Everyone waiting now committed before this notification goes out; whoever comes
        // while it is on its way may have committed after it, and waits for the next.
        let covered = state.withLock { state in
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        await send()
        let next = state.withLock { state -> CheckedContinuation<Turn, Never>? in
            if state.waiting.isEmpty {
                state.sending = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        for continuation in covered { continuation.resume(returning: .announced) }
        next?.resume(returning: .send)
    }
}
