import FolioPreview
import Synchronization
import Testing

/// The pool's order: people before background work, a background conversion stopped for a
/// person who would wait behind it, and a full queue of background work making room.
@Suite struct ConversionPoolTests {
    /// What the jobs did, in order.
    final class Journal: Sendable {
        let entries = Mutex<[String]>([])
        func add(_ entry: String) { entries.withLock { $0.append(entry) } }
        var all: [String] { entries.withLock { $0 } }
    }

    /// A job that holds its worker until it is cancelled (a starved background conversion).
    static func holdUntilCancelled(_ journal: Journal, _ name: String) async throws -> String {
        journal.add("\(name) started")
        do {
            try await Task.sleep(for: .seconds(120))
        } catch {
            journal.add("\(name) stopped")
            throw error
        }
        return name
    }

    /// A person's conversion on a worker until `open.finish()`.
    static func holdWorker(
        _ pool: ConversionPool, _ journal: Journal
    ) async throws -> (Task<Void, any Error>, AsyncStream<Void>.Continuation) {
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await pool.run(priority: .interactive) {
                journal.add("holder")
                for await _ in gate { break }
            }
        }
        try await until { journal.all == ["holder"] }
        return (holder, open)
    }

    static func until(_ condition: @Sendable () async -> Bool) async throws {
        for _ in 0..<500 where !(await condition()) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await condition())
    }

    @Test func aPersonTakesTheWorkerOfABackgroundConversion() async throws {
        let pool = ConversionPool(workers: 1, queueLimit: 2)
        let journal = Journal()
        let background = Task {
            try await pool.run(priority: .background) { try await Self.holdUntilCancelled(journal, "background") }
        }
        try await Self.until { journal.all == ["background started"] }
        let started = ContinuousClock.now
        let answer = try await pool.run(priority: .interactive) {
            journal.add("person")
            return 42
        }
        #expect(answer == 42)
        #expect(started.duration(to: .now) < .seconds(5))
        #expect(journal.all == ["background started", "background stopped", "person"])
        await #expect(throws: ConversionError.preempted) { _ = try await background.value }
        #expect(await pool.load == (0, 0))
    }

    /// The priority is the asking task's, and the job sees it (the sandbox reads it).
    @Test func aBackgroundJobRunsWithTheCallersPriority() async throws {
        let pool = ConversionPool(workers: 1, queueLimit: 2)
        let seen = try await ConversionPriority.$current.withValue(.background) {
            try await pool.run { ConversionPriority.current }
        }
        #expect(seen == .background)
        #expect(try await pool.run { ConversionPriority.current } == .interactive)
    }

    /// A background conversion its own caller gives up (a server stopping) is cancelled, not
    /// "preempted", and a second person does not stop a second background conversion while
    /// one already stopped is making room for the first — one each.
    @Test func oneBackgroundConversionIsStoppedForEachPersonWaiting() async throws {
        let pool = ConversionPool(workers: 2, queueLimit: 4)
        let journal = Journal()
        let first = Task {
            try await pool.run(priority: .background) { try await Self.holdUntilCancelled(journal, "b1") }
        }
        try await Self.until { journal.all.contains("b1 started") }
        let second = Task {
            try await pool.run(priority: .background) { try await Self.holdUntilCancelled(journal, "b2") }
        }
        try await Self.until { journal.all.contains("b2 started") }
        // The person takes b2's worker (the newest); b1 goes on.
        #expect(try await pool.run(priority: .interactive) { "person" } == "person")
        await #expect(throws: ConversionError.preempted) { _ = try await second.value }
        #expect(!journal.all.contains("b1 stopped"))
        first.cancel()
        await #expect(throws: CancellationError.self) { _ = try await first.value }
        #expect(await pool.load == (0, 0))
    }

    /// A person the queue refuses stops nothing: the background conversion goes on.
    @Test func aPersonRefusedStopsNothing() async throws {
        let pool = ConversionPool(workers: 1, queueLimit: 0)
        let journal = Journal()
        let background = Task {
            try await pool.run(priority: .background) { try await Self.holdUntilCancelled(journal, "background") }
        }
        try await Self.until { journal.all == ["background started"] }
        await #expect(throws: ConversionError.busy) { try await pool.run(priority: .interactive) {} }
        try await Task.sleep(for: .milliseconds(100))
        #expect(journal.all == ["background started"])
        background.cancel()
        await #expect(throws: CancellationError.self) { _ = try await background.value }
    }

    @Test func peopleQueueAheadOfBackgroundWork() async throws {
        let pool = ConversionPool(workers: 1, queueLimit: 4)
        let journal = Journal()
        // Someone's conversion holds the only worker: nothing is stopped for anyone.
        let (holder, open) = try await Self.holdWorker(pool, journal)
        var queued: [Task<Void, any Error>] = []
        for (name, priority) in [("b1", ConversionPriority.background), ("b2", .background), ("p1", .interactive)] {
            queued.append(Task { try await pool.run(priority: priority) { journal.add(name) } })
            let count = queued.count
            try await Self.until { await pool.load.queued == count }
        }
        queued.append(Task { try await pool.run(priority: .interactive) { journal.add("p2") } })
        try await Self.until { await pool.load.queued == 4 }
        open.finish()
        try await holder.value
        for task in queued { try await task.value }
        #expect(journal.all == ["holder", "p1", "p2", "b1", "b2"])
    }

    @Test func aFullQueueOfBackgroundWorkMakesRoomForAPerson() async throws {
        let pool = ConversionPool(workers: 1, queueLimit: 1)
        let journal = Journal()
        let (holder, open) = try await Self.holdWorker(pool, journal)
        let background = Task { try await pool.run(priority: .background) { journal.add("background") } }
        try await Self.until { await pool.load.queued == 1 }
        // More background work past a full queue is refused, as before.
        await #expect(throws: ConversionError.busy) { try await pool.run(priority: .background) {} }
        let person = Task { try await pool.run(priority: .interactive) { journal.add("person") } }
        await #expect(throws: ConversionError.busy) { try await background.value }
        try await Self.until { await pool.load.queued == 1 }
        // A queue full of people refuses the next person.
        await #expect(throws: ConversionError.busy) { try await pool.run(priority: .interactive) {} }
        open.finish()
        try await holder.value
        try await person.value
        #expect(journal.all == ["holder", "person"])
        #expect(await pool.load == (0, 0))
    }
}
