import FolioCore
import GRDB
import Synchronization

/// Group commit. With `synchronous = FULL` every COMMIT waits for an fsync, and SQLite has one
/// writer, so writes would run at one fsync each. Here a write that arrives while another batch
/// is committing waits for it, then runs with every other write that arrived meanwhile in one
/// transaction — each in its own savepoint, so a write that fails is undone alone and the rest
/// behave exactly as if they had run one after another — and they share one COMMIT.
///
/// Nobody is answered before that COMMIT has returned, so no write is acknowledged before it is
/// durable; when the COMMIT fails, every write of the batch gets the error. A single client sees
/// no delay: a write that finds nothing running starts a batch at once.
package final class GroupCommit: Sendable {
    /// One queued write: runs its body in the batch's open transaction and says how to answer
    /// its caller once the batch's outcome is known.
    private struct Job: Sendable {
        /// Whether the write may change what caches hold (lock changes do not).
        let changesCached: Bool
        let run: @Sendable (Database) -> @Sendable (_ commitError: (any Error)?) -> Void
        /// Answers the caller with `error` without running the write (its batch could not begin).
        let fail: @Sendable (any Error) -> Void
    }

    private struct Queue {
        var jobs: [Job] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let changes: ChangeCounter
    private let queue = Mutex(Queue())
    private let counts = Mutex((batches: 0, writes: 0))
    /// A bound on one transaction's length, so one batch cannot hold the writer for long.
    private let largestBatch = 128

    init(pool: DatabasePool, changes: ChangeCounter) {
        self.pool = pool
        self.changes = changes
    }

    /// Batches committed and writes they held since start (for tests and metrics).
    package var statistics: (batches: Int, writes: Int) { counts.withLock { $0 } }

    func write<T: Sendable>(changesCached: Bool = true, _ body: @escaping @Sendable (Database) throws -> T)
        async throws -> T
    {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                changesCached: changesCached,
                run: { db in
                    let outcome: Result<T, any Error>
                    do {
                        var value: T?
                        try db.inSavepoint {
                            value = try body(db)
                            return .commit
                        }
                        outcome = .success(value!)
                    } catch {
                        outcome = .failure(error)
                    }
                    return { commitError in
                        if let commitError, case .success = outcome {
                            continuation.resume(throwing: commitError)
                        } else {
                            continuation.resume(with: outcome)
                        }
                    }
                }, fail: { error in continuation.resume(throwing: error) })
            let leads = queue.withLock { queue in
                queue.jobs.append(job)
                defer { queue.draining = true }
                return !queue.draining
            }
            if leads { Task { await drain() } }
        }
    }

    /// Commits batches until the queue is empty. Only one drain runs at a time.
    private func drain() async {
        while true {
            let batch = queue.withLock { queue -> [Job] in
                let batch = Array(queue.jobs.prefix(largestBatch))
                queue.jobs.removeFirst(batch.count)
                if batch.isEmpty { queue.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [Job]) async {
        // The counter moves before (a reader loading during the transaction is already out of
        // date) and after (so is one that loaded before) — unless nothing cached can change.
        let bumps = batch.contains { $0.changesCached }
        if bumps { changes.bump() }
        defer { if bumps { changes.bump() } }
        let answers = Mutex<[@Sendable ((any Error)?) -> Void]>([])
        var ran = 0
        do {
            ran = try await pool.writeWithoutTransaction { db in
                var ran = 0
                try db.inTransaction(.immediate) {
                    for job in batch {
                        let answer = job.run(db)
                        answers.withLock { $0.append(answer) }
                        ran += 1
                        // An error SQLite answers by rolling the whole transaction back (disk
                        // full, I/O): the writes before it are gone too, so the batch ends here.
                        if !db.isInsideTransaction { throw GroupAborted() }
                    }
                    return .commit
                }
                return ran
            }
            for answer in answers.withLock({ $0 }) { answer(nil) }
        } catch is GroupAborted {
            // One write's error rolled the transaction back: the writes before it are answered
            // with that (the aborting one with its own error); those after it never ran and
            // get a batch of their own rather than someone else's error.
            let ranCount = answers.withLock { $0.count }
            for answer in answers.withLock({ $0 }) { answer(abortError) }
            queue.withLock { $0.jobs.insert(contentsOf: batch[ranCount...], at: 0) }
            ran = ranCount
        } catch {
            // The transaction could not begin or commit: every write of the batch fails with
            // that, as it would have alone (never retried in a loop).
            let answered = answers.withLock { $0 }
            for answer in answered { answer(error) }
            for job in batch[answered.count...] { job.fail(error) }
            ran = answered.count
        }
        counts.withLock {
            $0.batches += 1
            $0.writes += ran
        }
    }

    private var abortError: FolioError { .storage("the database rolled the transaction back") }
}

private struct GroupAborted: Error {}
