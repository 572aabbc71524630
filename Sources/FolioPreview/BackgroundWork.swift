import Synchronization

/// Work a service starts on its own (thumbnails a listing asked for), one task per key, kept
/// so that a server shutting down can cancel it and wait for it: a task simply left running
/// was cut off when the process exited, mid-conversion, leaving its scratch folder behind.
final class BackgroundWork: Sendable {
    private struct State {
        var tasks: [String: Task<Void, Never>] = [:]
        /// Keys not to start again before the instant given.
        var resting: [String: ContinuousClock.Instant] = [:]
        var stopping = false
    }
    private let state = Mutex(State())

    /// Starts `work` under `key`, unless work under that key is under way or the service is
    /// stopping.
    func start(_ key: String, _ work: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            guard !state.stopping, state.tasks[key] == nil else { return }
            if let until = state.resting[key] {
                guard until <= .now else { return }
                state.resting[key] = nil
            }
            // The task's own removal waits for this lock, so it never runs before the insert.
            state.tasks[key] = Task(priority: .background) {
                await work()
                self.state.withLock { _ = $0.tasks.removeValue(forKey: key) }
            }
        }
    }

    /// Leaves `key` alone for `duration` (its work gave up for reasons that may pass).
    func rest(_ key: String, for duration: Duration) {
        state.withLock { $0.resting[key] = .now + duration }
    }

    /// Refuses new work, cancels what runs and waits until all of it has ended.
    func stop() async {
        let tasks = state.withLock { state in
            state.stopping = true
            return Array(state.tasks.values)
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }
}
