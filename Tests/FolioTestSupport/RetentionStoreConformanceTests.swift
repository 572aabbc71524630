import FolioCore
import Foundation
import Testing
import WOPI

/// What version retention and lock recovery ask of every store: the guards removing versions
/// keeps whatever the caller asks, lock details, and broken locks remembered.
@Suite struct RetentionStoreConformanceTests {
    let t0: Int64 = 1_700_000_000_000_000

    func blob(_ n: Int) -> StoredBlob {
        StoredBlob(key: "blob-\(n)", size: Int64(n), sha256: Array(repeating: UInt8(n % 256), count: 32))
    }

    @Test(arguments: StoreKind.allCases) func removingVersionsKeepsWhatAnythingStillNeeds(kind: StoreKind) async throws
    {
        let store = try await kind.make()
        let alice = try await store.createUser(
            login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil, now: t0)
        var file = try await store.createFile(
            folderID: alice.rootFolderID, name: "report.docx", ownerID: alice.id, blob: blob(1),
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        // An ONLYOFFICE key still open on version 3 (its session "o:KEY" saved 7-8), a retired
        // one that left a conflict copy on 4, a retired one without on 2.
        let open = try await store.officeKey(fileID: file.id, version: 3, now: t0)
        // Versions 2-9: WOPI sessions "w:a" (2-4) and "w:b" (5-6), the open key's (7-8), none (9).
        let sessions = ["w:a", "w:a", "w:a", "w:b", "w:b", "o:" + open.key, "o:" + open.key, nil]
        for (i, session) in sessions.enumerated() {
            file = try await store.addVersion(
                fileID: file.id, blob: blob(i + 2),
                info: VersionInfo(
                    authorID: alice.id, source: session?.hasPrefix("o:") == true ? .onlyoffice : .wopi,
                    flags: SaveFlags(isAutosave: true), session: session),
                conditions: WriteConditions(lock: .none), now: t0 + Int64(i + 1))
        }
        #expect(try await store.versions(fileID: file.id).map(\.session) == [nil] + sessions)
        var conflicted = try await store.officeKey(fileID: file.id, version: 4, now: t0)
        conflicted.retiredAt = t0
        conflicted.conflictFileID = "copy"
        try await store.updateOfficeKey(conflicted)
        var retired = try await store.officeKey(fileID: file.id, version: 2, now: t0)
        retired.retiredAt = t0
        try await store.updateOfficeKey(retired)

        // Asked to remove everything, with "w:b" named as an open session: only the upload (the
        // caller's choice to ask) and version 2 go; 3 (open key), 4 (conflict), 5-6 (open WOPI
        // session), 7-8 (open ONLYOFFICE session) and 9 (current) stay.
        let removed = try await store.removeVersions(fileID: file.id, numbers: Array(1...9), openSessions: ["w:b"])
        #expect(Set(removed.map(\.number)) == [1, 2])
        #expect(try await store.versions(fileID: file.id).map(\.number) == Array(3...9))
        #expect(try await store.removeVersions(fileID: file.id, numbers: [], openSessions: []).isEmpty)
        // Files saved by editors, by the time of the save; a file in the trash is not among them.
        #expect(try await store.filesSavedByEditors(created: t0..<(t0 + 100)) == [file.id])
        #expect(try await store.filesSavedByEditors(created: (t0 + 100)..<(t0 + 200)).isEmpty)
        try await store.deleteFile(id: file.id, now: t0 + 10)
        #expect(try await store.filesSavedByEditors(created: t0..<(t0 + 100)).isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func aLockRemembersWhenAndThroughWhichEditorItWasTaken(kind: StoreKind)
        async throws
    {
        let store = try await kind.make()
        let alice = try await store.createUser(
            login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil, now: t0)
        let file = try await store.createFile(
            folderID: alice.rootFolderID, name: "report.docx", ownerID: alice.id, blob: blob(1),
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        let holder = LockHolder(userID: alice.id, editor: "collabora")
        _ = try await store.applyLock(fileID: file.id, operation: .lock("L1"), now: t0, holder: holder)
        _ = try await store.applyLock(fileID: file.id, operation: .refresh("L1"), now: t0 + 60_000_000, holder: holder)
        var lock = try #require(try await store.currentLocks(now: t0 + 60_000_000, fileID: file.id).first)
        #expect(lock.takenAt == t0 && lock.editor == "collabora" && lock.holder == "alice")
        // A new lock id (UnlockAndRelock) is a new lock: its own time.
        _ = try await store.applyLock(
            fileID: file.id, operation: .unlockAndRelock(old: "L1", new: "L2"), now: t0 + 120_000_000, holder: holder)
        lock = try #require(try await store.currentLocks(now: t0 + 120_000_000, fileID: file.id).first)
        #expect(lock.takenAt == t0 + 120_000_000 && lock.lockID == "L2")
        // The same id taken again after it expired is a new lock too.
        let later = t0 + 3600 * 1_000_000
        _ = try await store.applyLock(
            fileID: file.id, operation: .lock("L2"), now: later, holder: LockHolder(userID: alice.id))
        lock = try #require(try await store.currentLocks(now: later, fileID: file.id).first)
        #expect(lock.takenAt == later && lock.editor == nil)

        // Broken locks are remembered per file and lock id.
        #expect(try await store.brokenLock(fileID: file.id, lockID: "L2") == nil)
        try await store.recordBrokenLock(fileID: file.id, lockID: "L2", by: "admin", now: later)
        let broken = try #require(try await store.brokenLock(fileID: file.id, lockID: "L2"))
        #expect(broken.by == "admin" && broken.at == later)
        #expect(try await store.brokenLock(fileID: file.id, lockID: "L1") == nil)
        // A broken lock stays broken: its id cannot be taken again (Collabora refreshes with
        // LOCK), while the lock is still in force a refresh is a refresh, other ids are fine.
        let relock = try await store.applyLock(fileID: file.id, operation: .lock("L2"), now: later + 1, holder: nil)
        #expect(relock.decision == .allow(.set("L2")))
        _ = try await store.applyLock(fileID: file.id, operation: .unlock("L2"), now: later + 2, holder: nil)
        for operation in [LockOperation.lock("L2"), .unlockAndRelock(old: "L2", new: "L2")] {
            let refused = try await store.applyLock(fileID: file.id, operation: operation, now: later + 3, holder: nil)
            #expect(refused.decision == .conflict(current: "") && refused.lock == nil, "\(operation)")
        }
        #expect(try await store.currentLock(fileID: file.id, now: later + 3) == nil)
        let other = try await store.applyLock(fileID: file.id, operation: .lock("L9"), now: later + 4, holder: nil)
        #expect(other.decision == .allow(.set("L9")))
        let moved = try await store.applyLock(
            fileID: file.id, operation: .unlockAndRelock(old: "L9", new: "L2"), now: later + 5, holder: nil)
        #expect(moved.decision == .conflict(current: "L9"))
        _ = try await store.applyLock(fileID: file.id, operation: .unlock("L9"), now: later + 6, holder: nil)
        // A week later, recording another forgets it.
        try await store.recordBrokenLock(fileID: file.id, lockID: "L3", by: "bob", now: later + 8 * 86_400_000_000)
        #expect(try await store.brokenLock(fileID: file.id, lockID: "L2") == nil)
        #expect(try await store.brokenLock(fileID: file.id, lockID: "L3")?.by == "bob")
    }
}
