import FolioPostgres
import Synchronization
import Testing

/// Writes finishing together share a notification, and none is answered before a
/// notification sent after it began was acknowledged (another instance could otherwise
/// serve what it cached before the write).
@Suite struct AnnouncementsTests {
    /// A clock of events: every call and every send takes the next number.
    final class Events: Sendable {
        let next = Atomic<Int>(0)
        /// The numbers of the sends that finished.
        let finished = Mutex<[Int]>([])
        let sends = Atomic<Int>(0)
        let sending = Atomic<Int>(0)

        func tick() -> Int { next.wrappingAdd(1, ordering: .sequentiallyConsistent).oldValue }
    }

    @Test func everyWriteWaitsForANotificationSentAfterItAndConcurrentOnesShareThem() async throws {
        let announcements = Announcements()
        let events = Events()
        let writes = 200
        let late = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<writes {
                group.addTask {
                    if index % 3 == 0 { await Task.yield() }
                    let began = events.tick()
                    await announcements.announce {
                        let started = events.tick()
                        let overlapping = events.sending.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
                        #expect(overlapping == 1, "one notification at a time")
                        events.sends.wrappingAdd(1, ordering: .relaxed)
                        try? await Task.sleep(for: .milliseconds(2))
                        events.sending.wrappingSubtract(1, ordering: .sequentiallyConsistent)
                        events.finished.withLock { $0.append(started) }
                    }
                    // Answered only after a notification that went out after this write began.
                    return events.finished.withLock { $0.contains { $0 > began } }
                }
            }
            var late = 0
            for try await covered in group where !covered { late += 1 }
            return late
        }
        #expect(late == 0)
        let sends = events.sends.load(ordering: .relaxed)
        #expect(sends >= 1 && sends < writes / 2, "\(sends) notifications for \(writes) writes")
    }

    @Test func aLoneWriteSendsItsOwn() async {
        let announcements = Announcements()
        let count = Atomic<Int>(0)
        for _ in 0..<3 {
            await announcements.announce { count.wrappingAdd(1, ordering: .relaxed) }
        }
        #expect(count.load(ordering: .relaxed) == 3)
    }
}
