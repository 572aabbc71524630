import FolioCore
import FolioPostgres
import FolioTestSupport
import Foundation
import Synchronization
import Testing

/// On PostgreSQL a save reads the file and its lock, decides, and writes only if neither moved
/// (a compare-and-set on the version and the lock generation); when that keeps missing it
/// queues on the file's row. Either way a lock change that another instance commits while the
/// save is under way must be seen: the save decides on the lock in force when it writes, in
/// both directions.
@Suite(.enabled(if: StoreKind.postgresURL != nil, "needs FOLIO_TEST_POSTGRES_URL (the postgres stage sets it)"))
struct PostgresSaveRaceTests {
    let t0: Int64 = 1_800_000_000_000_000

    /// How a save is made: `addVersion` as callers make it (the compare-and-set, then the held
    /// save when that keeps missing), or the held save alone.
    enum Path { case either, held }

    /// Another instance's transaction holds the file's row and moves the lock from `from` to `to`
    /// as a lock change does (`HotSQL.SetLockIfUnchanged`: the row held, the lock generation
    /// moved), and commits once the save is seen waiting for it (PostgreSQL names the mover
    /// among the save's blockers) or has returned without waiting: no timing is assumed, so a
    /// loaded machine cannot turn the race around.
    func saveWhileTheLockMoves(from: String, to: String, savingWith lock: String, path: Path) async throws
        -> (saved: Result<StoredFile, any Error>, store: any MetadataStore, fileID: String, waited: Bool)
    {
        let (instance, mover, file, alice) = try await lockedFile(from)
        let held = Atomic<Bool>(false)
        let saveReturned = Atomic<Bool>(false)
        let moving = Task { () -> Bool in
            try await mover.write { db in
                let pid = try await db.value("SELECT pg_backend_pid()", as: Int32.self) ?? 0
                try await db.execute("SELECT id FROM files WHERE id = \(file.id) FOR NO KEY UPDATE")
                try await db.execute("UPDATE locks SET lock_id = \(to) WHERE file_id = \(file.id)")
                try await db.execute("UPDATE files SET lock_gen = lock_gen + 1 WHERE id = \(file.id)")
                held.store(true, ordering: .releasing)
                let deadline = ContinuousClock.now + .seconds(60)
                while !saveReturned.load(ordering: .acquiring), ContinuousClock.now < deadline {
                    let waiting = try await mover.read { observer in
                        try await observer.value(
                            "SELECT count(*) FROM pg_stat_activity WHERE \(pid)::int = ANY(pg_blocking_pids(pid))",
                            as: Int64.self)
                    }
                    if (waiting ?? 0) > 0 { return true }
                    try await Task.sleep(for: .milliseconds(5))
                }
                return false
            }
        }
        while !held.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        let save = PostgresMetadataStore.Save(
            fileID: file.id, blob: fakeBlob, info: VersionInfo(authorID: alice.id, source: .wopi),
            conditions: .init(lock: .wopi(lock)), now: t0 + 1, note: nil)
        let saved: Result<StoredFile, any Error>
        do {
            switch path {
            case .either:
                saved = .success(
                    try await instance.addVersion(
                        fileID: file.id, blob: fakeBlob, info: VersionInfo(authorID: alice.id, source: .wopi),
                        conditions: .init(lock: .wopi(lock)), now: t0 + 1, note: nil))
            case .held:
                saved = .success(try await instance.write { db in try await PostgresMetadataStore.saveHeld(save, db) })
            }
        } catch {
            saved = .failure(error)
        }
        saveReturned.store(true, ordering: .releasing)
        let waited = try await moving.value
        return (saved, instance, file.id, waited)
    }

    @Test(arguments: [Path.either, .held]) func aSaveUnderALockTakenAwayWhileItWaitedIsRefused(path: Path)
        async throws
    {
        let (saved, store, fileID, waited) = try await saveWhileTheLockMoves(
            from: "L", to: "M", savingWith: "L", path: path)
        #expect(throws: FolioError.lockMismatch(current: "M")) { try saved.get() }
        #expect(try await store.versions(fileID: fileID).count == 1)
        // The save waited for the other transaction (at its write, or for the row): it really
        // raced the lock change.
        #expect(waited)
    }

    /// Holding the row, a save waits for a lock change under way and decides on its outcome.
    @Test func aSaveUnderALockGivenWhileItWaitedForTheRowLands() async throws {
        let (saved, store, fileID, waited) = try await saveWhileTheLockMoves(
            from: "M", to: "L", savingWith: "L", path: .held)
        #expect(try saved.get().version == 2)
        #expect(try await store.versions(fileID: fileID).count == 2)
        #expect(waited)
    }

    /// Without holding anything, a save decides on the lock committed when it reads: a lock
    /// change not yet committed then is not waited for (the save came first).
    @Test func aSaveDecidesOnTheLockCommittedWhenItReads() async throws {
        let (saved, store, fileID, waited) = try await saveWhileTheLockMoves(
            from: "M", to: "L", savingWith: "L", path: .either)
        #expect(!waited)
        #expect(throws: FolioError.lockMismatch(current: "M")) { try saved.get() }
        #expect(try await store.versions(fileID: fileID).count == 1)
        #expect(try await store.currentLock(fileID: fileID, now: t0 + 1)?.id == "L")
    }

    /// A file and a store to save into, with `lock` taken, on one instance of two.
    func lockedFile(_ lock: String) async throws -> (PostgresMetadataStore, PostgresMetadataStore, StoredFile, User) {
        let (instance, other) = try await StoreKind.postgres.makeTwins()
        let alice = try await other.createUser(
            login: "alice", displayName: "A", isAdmin: false, passwordHash: nil, now: t0)
        let file = try await other.createFile(
            folderID: alice.rootFolderID, name: "a.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        _ = try await other.applyLock(fileID: file.id, operation: .lock(lock), now: t0)
        return (
            try #require(instance as? PostgresMetadataStore), try #require(other as? PostgresMetadataStore), file, alice
        )
    }

    func lockGeneration(_ store: PostgresMetadataStore, _ fileID: String) async throws -> Int64 {
        try await store.read { db in
            try await db.value("SELECT lock_gen FROM files WHERE id = \(fileID)", as: Int64.self) ?? -1
        }
    }

    /// The compare-and-set itself: between the save's read and its write, another instance
    /// changes the lock (through the real lock statement), or saves; the write then writes
    /// nothing, and the save, read again, decides on what is in force.
    @Test func aChangeBetweenTheReadAndTheWriteIsSeen() async throws {
        let (store, other, file, alice) = try await lockedFile("L")
        let info = VersionInfo(authorID: alice.id, source: .wopi)
        let conditions = WriteConditions(lock: .wopi("L"))
        let save = PostgresMetadataStore.Save(
            fileID: file.id, blob: fakeBlob, info: info, conditions: conditions, now: t0 + 1, note: nil)
        // A lock change: unlock and lock again with the same id leaves the lock as it was read,
        // but it did change in between, and the save must not count on what it decided.
        let seen = try await store.read { db in
            try await PostgresMetadataStore.readForSave(fileID: file.id, now: t0 + 1, db)
        }
        _ = try await other.applyLock(fileID: file.id, operation: .unlock("L"), now: t0)
        _ = try await other.applyLock(fileID: file.id, operation: .lock("M"), now: t0)
        #expect(
            try await store.writeEach { db in try await PostgresMetadataStore.saveIfUnchanged(save, seen: seen, db) }
                == nil)
        await #expect(throws: FolioError.lockMismatch(current: "M")) {
            try await store.addVersion(
                fileID: file.id, blob: fakeBlob, info: info, conditions: conditions, now: t0 + 1, note: nil)
        }
        // Another save in between: the version moved.
        _ = try await other.applyLock(fileID: file.id, operation: .unlock("M"), now: t0)
        _ = try await other.applyLock(fileID: file.id, operation: .lock("L"), now: t0)
        let fresh = try await store.read { db in
            try await PostgresMetadataStore.readForSave(fileID: file.id, now: t0 + 1, db)
        }
        _ = try await other.addVersion(
            fileID: file.id, blob: fakeBlob, info: info, conditions: conditions, now: t0 + 1, note: nil)
        #expect(
            try await store.writeEach { db in try await PostgresMetadataStore.saveIfUnchanged(save, seen: fresh, db) }
                == nil
        )
        #expect(try await store.versions(fileID: file.id).count == 2)
        // Nothing in between: it lands.
        let last = try await store.read { db in
            try await PostgresMetadataStore.readForSave(fileID: file.id, now: t0 + 1, db)
        }
        #expect(
            try await store.writeEach { db in try await PostgresMetadataStore.saveIfUnchanged(save, seen: last, db) }?
                .version == 3)
    }

    /// Every lock change moves the generation; a lock request that changes nothing does not.
    @Test func lockChangesAndOnlyThoseMoveTheGeneration() async throws {
        let (store, other, file, _) = try await lockedFile("L")
        let taken = try await lockGeneration(store, file.id)
        #expect(taken == 1)
        _ = try await store.applyLock(fileID: file.id, operation: .lock("M"), now: t0)  // refused: held by L
        _ = try await store.applyLock(fileID: file.id, operation: .unlock("M"), now: t0)  // refused
        #expect(try await lockGeneration(store, file.id) == taken)
        _ = try await store.applyLock(fileID: file.id, operation: .refresh("L"), now: t0 + 1)
        _ = try await other.applyLock(fileID: file.id, operation: .unlock("L"), now: t0 + 2)
        #expect(try await lockGeneration(store, file.id) == taken + 2)
    }
}
