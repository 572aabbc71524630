import Synchronization

/// A number that moves whenever the store behind a cache changes (SQLite's change counter,
/// shared by every process on one data folder).
package protocol ChangeGeneration: Sendable {
    func current() -> UInt64
}

/// Remembers CheckFileInfo's inputs (file, user, role) so that repeated requests on an
/// unchanged installation skip the database. An entry is used only while the shared change
/// generation still has the value read before the entry was loaded, and for at most `maxAge`
/// (a bound on staleness should a writer die between its commit and its bump).
package final class AccessCache: Sendable {
    struct Entry {
        var generation: UInt64
        var loadedAt: ContinuousClock.Instant
        var record: FileAccessRecord?
    }

    private let entries = Mutex<[String: Entry]>([:])
    let counter: any ChangeGeneration
    let maxAge: Duration
    let capacity: Int

    package init(counter: any ChangeGeneration, maxAge: Duration = .seconds(1), capacity: Int = 10_000) {
        self.counter = counter
        self.maxAge = maxAge
        self.capacity = capacity
    }

    package func record(
        fileID: String, userID: String, load: () async throws -> FileAccessRecord?
    ) async throws -> FileAccessRecord? {
        let key = fileID + "/" + userID
        let generation = counter.current()
        let now = ContinuousClock.now
        if let entry = current(key, generation: generation, now: now) { return entry.record }
        let record = try await load()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(generation: generation, loadedAt: now, record: record)
        }
        return record
    }

    /// The record for a file and user when one is cached and current; nil otherwise (also when
    /// the cached answer is "no such file").
    package func cached(fileID: String, userID: String) -> FileAccessRecord? {
        current(fileID + "/" + userID, generation: counter.current(), now: .now)?.record
    }

    private func current(_ key: String, generation: UInt64, now: ContinuousClock.Instant) -> Entry? {
        guard let entry = entries.withLock({ $0[key] }), entry.generation == generation,
            entry.loadedAt.duration(to: now) < maxAge
        else { return nil }
        return entry
    }
}
