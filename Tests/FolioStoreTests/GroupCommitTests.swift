import FolioCore
import FolioSQLite
import FolioTestSupport
import Testing

/// Group commit must behave exactly like one transaction per write: a write that fails is
/// undone alone, the others of its batch commit, and every answer reflects what is on disk.
@Suite struct GroupCommitTests {
    let t0: Int64 = 1_800_000_000_000_000

    @Test func concurrentWritesShareCommitsAndFailuresStayAlone() async throws {
        let path = try temporaryFolder() + "/folio.sqlite"
        let store = try SQLiteMetadataStore(path: path)
        let alice = try await store.createUser(
            login: "alice", displayName: "A", isAdmin: false, passwordHash: nil, now: t0)
        var files: [StoredFile] = []
        for i in 0..<16 {
            files.append(
                try await store.createFile(
                    folderID: alice.rootFolderID, name: "f\(i).docx", ownerID: alice.id, blob: fakeBlob,
                    info: VersionInfo(authorID: alice.id, source: .upload), now: t0))
        }
        let before = store.groupCommit.statistics

        // 16 files × 20 rounds: lock, save under the lock, save under a wrong lock (refused),
        // unlock — all files at once, so the writes meet in batches.
        let refused = try await withThrowingTaskGroup(of: Int.self) { group in
            for file in files {
                group.addTask {
                    var refused = 0
                    for round in 0..<20 {
                        let lock = "L\(round)"
                        _ = try await store.applyLock(fileID: file.id, operation: .lock(lock), now: t0)
                        _ = try await store.addVersion(
                            fileID: file.id, blob: fakeBlob, info: VersionInfo(authorID: alice.id, source: .wopi),
                            conditions: .init(lock: .wopi(lock)), now: t0 + Int64(round))
                        do {
                            _ = try await store.addVersion(
                                fileID: file.id, blob: fakeBlob,
                                info: VersionInfo(authorID: alice.id, source: .wopi),
                                conditions: .init(lock: .wopi("wrong")), now: t0 + Int64(round))
                        } catch is FolioError {
                            refused += 1
                        }
                        let result = try await store.applyLock(fileID: file.id, operation: .unlock(lock), now: t0)
                        guard case .allow = result.decision else {
                            throw FolioError.conflict("unlock refused: \(result)")
                        }
                    }
                    return refused
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(refused == 16 * 20)
        for file in files {
            // Exactly the accepted saves are versions, numbered without gaps.
            let versions = try await store.versions(fileID: file.id)
            #expect(versions.map(\.number) == Array(1...21))
            #expect(try await store.currentLock(fileID: file.id, now: t0) == nil)
        }
        // A second store on the same file (another process) reads the same.
        let other = try SQLiteMetadataStore(path: path)
        #expect(try await other.versions(fileID: files[7].id).count == 21)

        let after = store.groupCommit.statistics
        let writes = after.writes - before.writes
        let batches = after.batches - before.batches
        #expect(writes == 16 * 20 * 4)
        // They did share: fewer commits than writes.
        #expect(batches < writes)
    }

    @Test func aSingleWriterIsNotDelayed() async throws {
        let store = try SQLiteMetadataStore(path: try temporaryFolder() + "/folio.sqlite")
        let before = store.groupCommit.statistics
        for i in 0..<5 {
            _ = try await store.createUser(
                login: "u\(i)", displayName: "U", isAdmin: false, passwordHash: nil, now: t0)
        }
        // One after another: one batch each, nothing waits for company.
        let after = store.groupCommit.statistics
        #expect(after.batches - before.batches == 5 && after.writes - before.writes == 5)
        await #expect(throws: FolioError.self) {
            _ = try await store.createUser(
                login: "u1", displayName: "U", isAdmin: false, passwordHash: nil, now: t0)
        }
        #expect(try await store.user(login: "u4") != nil)
    }
}
