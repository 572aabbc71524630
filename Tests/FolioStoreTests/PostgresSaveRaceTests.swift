import FolioCore
import FolioPostgres
import FolioTestSupport
import Foundation
import Synchronization
import Testing

/// On PostgreSQL a save reads the file (held `FOR UPDATE`) and its lock in one statement,
/// whose snapshot is taken before it waits for the row: when another instance changed the
/// lock meanwhile, that read is out of date. The save must decide on the lock in force when it
/// writes, in both directions.
@Suite(.enabled(if: StoreKind.postgresURL != nil, "needs FOLIO_TEST_POSTGRES_URL (the postgres stage sets it)"))
struct PostgresSaveRaceTests {
    let t0: Int64 = 1_800_000_000_000_000

    /// Another instance's transaction holds the file's row as a lock change does, moves the
    /// lock from `from` to `to`, and commits half a second after the save began waiting.
    func saveWhileTheLockMoves(from: String, to: String, savingWith lock: String) async throws
        -> (saved: Result<StoredFile, any Error>, store: any MetadataStore, fileID: String)
    {
        let (instance, other) = try await StoreKind.postgres.makeTwins()
        let alice = try await other.createUser(
            login: "alice", displayName: "A", isAdmin: false, passwordHash: nil, now: t0)
        let file = try await other.createFile(
            folderID: alice.rootFolderID, name: "a.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        _ = try await other.applyLock(fileID: file.id, operation: .lock(from), now: t0)
        let mover = try #require(other as? PostgresMetadataStore)
        let held = Atomic<Bool>(false)
        let moving = Task {
            try await mover.write { db in
                try await db.execute("SELECT id FROM files WHERE id = \(file.id) FOR SHARE")
                try await db.execute("UPDATE locks SET lock_id = \(to) WHERE file_id = \(file.id)")
                held.store(true, ordering: .releasing)
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        while !held.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        let began = ContinuousClock.now
        let saved: Result<StoredFile, any Error>
        do {
            saved = .success(
                try await instance.addVersion(
                    fileID: file.id, blob: fakeBlob, info: VersionInfo(authorID: alice.id, source: .wopi),
                    conditions: .init(lock: .wopi(lock)), now: t0 + 1, note: nil))
        } catch {
            saved = .failure(error)
        }
        try await moving.value
        // The save waited for the other transaction: it really raced the lock change.
        #expect(began.duration(to: .now) > .milliseconds(300))
        return (saved, instance, file.id)
    }

    @Test func aSaveUnderALockTakenAwayWhileItWaitedIsRefused() async throws {
        let (saved, store, fileID) = try await saveWhileTheLockMoves(from: "L", to: "M", savingWith: "L")
        #expect(throws: FolioError.lockMismatch(current: "M")) { try saved.get() }
        #expect(try await store.versions(fileID: fileID).count == 1)
    }

    @Test func aSaveUnderALockGivenWhileItWaitedLands() async throws {
        let (saved, store, fileID) = try await saveWhileTheLockMoves(from: "M", to: "L", savingWith: "L")
        #expect(try saved.get().version == 2)
        #expect(try await store.versions(fileID: fileID).count == 2)
    }
}
