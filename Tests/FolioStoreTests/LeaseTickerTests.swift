import FolioPostgres
import Foundation
import Testing

/// The clock requests waiting for a PostgreSQL connection share: every waiter goes on at the
/// next tick, and a cancelled waiter at once (nearly every lease cancels its watcher).
@Suite struct LeaseTickerTests {
    @Test func everyoneWaitingGoesOnAtTheNextTick() async throws {
        let ticker = LeaseTicker(interval: .milliseconds(100))
        let clock = Task { await ticker.run() }
        defer { clock.cancel() }
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Duration.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    try await ticker.nextTick()
                    return start.duration(to: .now)
                }
            }
            // All of them go on (the bound is only against hanging: a loaded test run can hold
            // the clock's own wake-up up for seconds).
            var released = 0
            for try await waited in group {
                #expect(waited < .seconds(30))
                released += 1
            }
            #expect(released == 50)
        }
        // Four ticks: at least three intervals.
        let four = ContinuousClock.now
        for _ in 0..<4 { try await ticker.nextTick() }
        #expect(four.duration(to: .now) >= .milliseconds(290))
        #expect(ticker.slotsHeld == 0)
    }

    @Test func aCancelledWaiterGoesAtOnce() async throws {
        let ticker = LeaseTicker(interval: .seconds(60))
        let clock = Task { await ticker.run() }
        defer { clock.cancel() }
        let waiter = Task { try await ticker.nextTick() }
        try await Task.sleep(for: .milliseconds(50))
        let start = ContinuousClock.now
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(start.duration(to: .now) < .seconds(1))
        // Cancelled before it even waited.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await ticker.nextTick()
        }
        await #expect(throws: CancellationError.self) { try await early.value }
        #expect(ticker.slotsHeld == 0)
    }
}
