import FolioCore
import Testing
import WOPI

/// One suite every `MetadataStore` passes. Times are passed explicitly, so expiry is exact.
@Suite struct MetadataStoreConformanceTests {
    let t0: Int64 = 1_800_000_000_000_000

    func fixture(_ kind: StoreKind) async throws -> (any MetadataStore, User, StoredFile) {
        let store = try await kind.make()
        let alice = try await store.createUser(
            login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil, now: t0)
        let file = try await store.createFile(
            folderID: alice.rootFolderID, name: "report.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        return (store, alice, file)
    }

    @Test(arguments: StoreKind.allCases) func usersAreUniqueByLoginIgnoringCase(kind: StoreKind) async throws {
        let (store, alice, _) = try await fixture(kind)
        #expect(try await store.user(login: "ALICE")?.id == alice.id)
        #expect(try await store.user(id: alice.id)?.displayName == "Alice")
        await #expect(throws: FolioError.self) {
            _ = try await store.createUser(login: "Alice", displayName: "x", isAdmin: false, passwordHash: nil, now: t0)
        }
        #expect(try await store.folder(id: alice.rootFolderID)?.parentID == nil)
        try await store.setUserInfo(userID: alice.id, info: "theme=dark")
        #expect(try await store.user(id: alice.id)?.userInfo == "theme=dark")
    }

    @Test(arguments: StoreKind.allCases) func editorChoicesAreRememberedPerExtension(kind: StoreKind) async throws {
        let (store, alice, _) = try await fixture(kind)
        #expect(try await store.editorChoice(userID: alice.id, fileExtension: "docx") == nil)
        try await store.setEditorChoice(userID: alice.id, fileExtension: "docx", editor: "onlyoffice")
        try await store.setEditorChoice(userID: alice.id, fileExtension: "xlsx", editor: "collabora")
        try await store.setEditorChoice(userID: alice.id, fileExtension: "docx", editor: "microsoft")
        #expect(try await store.editorChoice(userID: alice.id, fileExtension: "docx") == "microsoft")
        #expect(try await store.editorChoice(userID: alice.id, fileExtension: "xlsx") == "collabora")
    }

    @Test(arguments: StoreKind.allCases) func foldersNestRenameAndDelete(kind: StoreKind) async throws {
        let (store, alice, _) = try await fixture(kind)
        let a = try await store.createFolder(parentID: alice.rootFolderID, name: "A", ownerID: alice.id, now: t0)
        let b = try await store.createFolder(parentID: a.id, name: "B", ownerID: alice.id, now: t0)
        #expect(try await store.folderPath(id: b.id).map(\.name) == ["alice", "A", "B"])
        // Names are unique per folder, across files and folders, ignoring case.
        await #expect(throws: FolioError.self) {
            _ = try await store.createFolder(parentID: alice.rootFolderID, name: "a", ownerID: alice.id, now: t0)
        }
        await #expect(throws: FolioError.self) {
            _ = try await store.createFolder(
                parentID: alice.rootFolderID, name: "REPORT.docx", ownerID: alice.id, now: t0)
        }
        #expect(try await store.nameExists(inFolder: alice.rootFolderID, name: "Report.DOCX"))
        _ = try await store.renameFolder(id: b.id, name: "Beta", now: t0)
        let children = try await store.children(ofFolder: a.id)
        #expect(children.folders.map(\.name) == ["Beta"])
        await #expect(throws: FolioError.conflict("the folder is not empty")) {
            try await store.deleteFolder(id: a.id, now: t0)
        }
        try await store.deleteFolder(id: b.id, now: t0)
        try await store.deleteFolder(id: a.id, now: t0)
        #expect(try await store.folder(id: a.id) == nil)
        await #expect(throws: FolioError.self) { try await store.deleteFolder(id: alice.rootFolderID, now: t0) }
    }

    @Test(arguments: StoreKind.allCases) func rolesComeFromOwnershipAndGrantsUpTheTree(kind: StoreKind) async throws {
        let (store, alice, file) = try await fixture(kind)
        let bob = try await store.createUser(
            login: "bob", displayName: "Bob", isAdmin: false, passwordHash: nil, now: t0)
        #expect(try await store.access(fileID: file.id, userID: alice.id)?.role == .edit)
        #expect(try await store.access(fileID: file.id, userID: bob.id)?.role == nil)
        try await store.setGrant(resourceID: file.id, userID: bob.id, role: .view)
        #expect(try await store.access(fileID: file.id, userID: bob.id)?.role == .view)
        // A grant on a folder above the file counts; the highest role wins.
        try await store.setGrant(resourceID: alice.rootFolderID, userID: bob.id, role: .comment)
        #expect(try await store.access(fileID: file.id, userID: bob.id)?.role == .comment)
        #expect(try await store.role(userID: bob.id, folderID: alice.rootFolderID) == .comment)
        try await store.setGrant(resourceID: alice.rootFolderID, userID: bob.id, role: nil)
        try await store.setGrant(resourceID: file.id, userID: bob.id, role: nil)
        #expect(try await store.access(fileID: file.id, userID: bob.id)?.role == nil)
    }

    @Test(arguments: StoreKind.allCases) func versionsAreAddedUnderTheLockRule(kind: StoreKind) async throws {
        let (store, alice, file) = try await fixture(kind)
        let info = VersionInfo(
            authorID: alice.id, source: .wopi,
            flags: SaveFlags(isAutosave: true, isExitSave: false, isModifiedByUser: true),
            editors: [alice.id, "other"])
        let blob2 = StoredBlob(key: "blob-2", size: 9, sha256: Array(repeating: 2, count: 32))
        // Unlocked and not empty: 409 with an empty lock.
        await #expect(throws: FolioError.lockConflict(current: "", reason: "the file is not locked")) {
            _ = try await store.addVersion(
                fileID: file.id, blob: blob2, info: info, conditions: .init(lock: .wopi("L")), now: t0)
        }
        _ = try await store.applyLock(fileID: file.id, operation: .lock("L"), now: t0)
        await #expect(throws: FolioError.self) {
            _ = try await store.addVersion(
                fileID: file.id, blob: blob2, info: info, conditions: .init(lock: .wopi("M")), now: t0)
        }
        await #expect(throws: FolioError.self) {
            _ = try await store.addVersion(
                fileID: file.id, blob: blob2, info: info, conditions: .init(lock: .mustBeUnlocked), now: t0)
        }
        let saved = try await store.addVersion(
            fileID: file.id, blob: blob2, info: info, conditions: .init(lock: .wopi("L")), now: t0 + 10)
        #expect(saved.version == 2 && saved.size == 9 && saved.blobKey == "blob-2" && saved.modifiedAt == t0 + 10)
        #expect(try await store.file(id: file.id) == saved)
        let versions = try await store.versions(fileID: file.id)
        #expect(versions.map(\.number) == [1, 2])
        #expect(versions[1].flags == info.flags && versions[1].editors == info.editors && versions[1].source == .wopi)
        #expect(versions[0].blobKey == fakeBlob.key)
        // Collabora's timestamp and If-Match style conditions.
        await #expect(throws: FolioError.modifiedSince) {
            _ = try await store.addVersion(
                fileID: file.id, blob: blob2, info: info, conditions: .init(lock: .wopi("L"), unmodifiedSince: t0),
                now: t0)
        }
        await #expect(throws: FolioError.self) {
            _ = try await store.addVersion(
                fileID: file.id, blob: blob2, info: info, conditions: .init(lock: .wopi("L"), expectedVersion: 1),
                now: t0)
        }
        // Times only move forward, even when the clock does not.
        let again = try await store.addVersion(
            fileID: file.id, blob: blob2, info: info, conditions: .init(lock: .wopi("L"), unmodifiedSince: t0 + 10),
            now: t0)
        #expect(again.version == 3 && again.modifiedAt == t0 + 11)
    }

    /// A save brings the basis it was decided on (read before its content came in); whatever
    /// moved since, the store decides on what is in force when it writes.
    @Test(arguments: StoreKind.allCases) func aSaveDecidesOnWhatIsInForceWhateverItsBasis(kind: StoreKind)
        async throws
    {
        let (stores, alice, file) = try await twins(kind)
        let (store, other) = (stores[0], stores[1])
        let info = VersionInfo(authorID: alice.id, source: .wopi)
        func save(_ lock: String, basis: SaveBasis) async throws -> StoredFile {
            try await store.addVersion(
                fileID: file.id, blob: fakeBlob, info: info, conditions: .init(lock: .wopi(lock)), now: t0, note: nil,
                basis: basis)
        }
        _ = try await other.applyLock(fileID: file.id, operation: .lock("L"), now: t0)
        let basis = try await store.saveBasis(fileID: file.id, now: t0)
        #expect(basis.file == (try await store.file(id: file.id)) && basis.lock?.id == "L")
        // The lock moved on: refused with the lock in force.
        _ = try await other.applyLock(fileID: file.id, operation: .unlockAndRelock(old: "L", new: "M"), now: t0)
        await #expect(throws: FolioError.lockMismatch(current: "M")) { _ = try await save("L", basis: basis) }
        // Another save landed: this one comes after it, not in its place.
        let before = try await store.saveBasis(fileID: file.id, now: t0)
        _ = try await other.addVersion(
            fileID: file.id, blob: fakeBlob, info: info, conditions: .init(lock: .wopi("M")), now: t0)
        #expect(try await save("M", basis: before).version == 3)
        // A basis the save would be refused on, given the lock since: it lands.
        let refusing = try await store.saveBasis(fileID: file.id, now: t0)
        _ = try await other.applyLock(fileID: file.id, operation: .unlockAndRelock(old: "M", new: "N"), now: t0)
        #expect(try await save("N", basis: refusing).version == 4)
        #expect(try await store.versions(fileID: file.id).map(\.number) == [1, 2, 3, 4])
        // The lock expired while the content came in: the file is unlocked and not empty.
        let expiring = try await store.saveBasis(fileID: file.id, now: t0)
        let expired = try #require(expiring.lock).expiresAt
        await #expect(throws: FolioError.lockConflict(current: "", reason: "the file is not locked")) {
            _ = try await store.addVersion(
                fileID: file.id, blob: fakeBlob, info: info, conditions: .init(lock: .wopi("N")), now: expired,
                note: nil, basis: expiring)
        }
        // Unlocked and gone: said so.
        _ = try await other.applyLock(fileID: file.id, operation: .unlock("N"), now: t0)
        #expect(try await store.saveBasis(fileID: file.id, now: t0).lock == nil)
        try await other.deleteFile(id: file.id, now: t0)
        await #expect(throws: FolioError.notFound("no such file")) {
            _ = try await store.saveBasis(fileID: file.id, now: t0)
        }
        await #expect(throws: FolioError.notFound("no such file")) { _ = try await save("N", basis: refusing) }
    }

    /// A WOPI save's one read gives what `access` and `saveBasis` give, in every state of the
    /// lock and the user's role.
    @Test(arguments: StoreKind.allCases) func aSavesOneReadIsAccessAndBasis(kind: StoreKind) async throws {
        let (store, alice, file) = try await fixture(kind)
        let bob = try await store.createUser(
            login: "bob", displayName: "Bob", isAdmin: false, passwordHash: nil, now: t0)
        func agrees(_ user: User, now: Int64, _ comment: Comment) async throws {
            let both = try #require(try await store.saveAccess(fileID: file.id, userID: user.id, now: now), comment)
            #expect(both.0 == (try await store.access(fileID: file.id, userID: user.id)), comment)
            #expect(both.1 == (try await store.saveBasis(fileID: file.id, now: now)), comment)
        }
        try await agrees(alice, now: t0, "unlocked")
        try await agrees(bob, now: t0, "no role")
        try await store.setGrant(resourceID: alice.rootFolderID, userID: bob.id, role: .comment)
        _ = try await store.applyLock(fileID: file.id, operation: .lock("L"), now: t0)
        try await agrees(alice, now: t0, "locked")
        try await agrees(bob, now: t0, "locked, a role through the folder")
        let expiry = try #require(try await store.currentLock(fileID: file.id, now: t0)).expiresAt
        try await agrees(alice, now: expiry, "the lock expired")
        #expect(try await store.saveAccess(fileID: file.id, userID: alice.id, now: expiry)?.1.lock == nil)
        #expect(try await store.saveAccess(fileID: file.id, userID: "nobody", now: t0) == nil)
        #expect(try await store.saveAccess(fileID: "nothing", userID: alice.id, now: t0) == nil)
        try await store.deleteFile(id: file.id, now: expiry)
        #expect(try await store.saveAccess(fileID: file.id, userID: alice.id, now: expiry) == nil)
    }

    @Test(arguments: StoreKind.allCases) func emptyFilesTakeAnUnlockedWrite(kind: StoreKind) async throws {
        let (store, alice, _) = try await fixture(kind)
        let empty = try await store.createFile(
            folderID: alice.rootFolderID, name: "new.docx", ownerID: alice.id,
            blob: StoredBlob(key: "empty", size: 0, sha256: []), info: VersionInfo(authorID: alice.id, source: .upload),
            now: t0)
        let saved = try await store.addVersion(
            fileID: empty.id, blob: fakeBlob, info: VersionInfo(authorID: alice.id, source: .wopi),
            conditions: .init(lock: .wopi(nil)), now: t0)
        #expect(saved.version == 2)
    }

    @Test(arguments: StoreKind.allCases) func locksFollowTheTableAndExpire(kind: StoreKind) async throws {
        let (store, _, file) = try await fixture(kind)
        #expect(
            try await store.applyLock(fileID: file.id, operation: .lock("A"), now: t0).decision == .allow(.set("A")))
        #expect(
            try await store.applyLock(fileID: file.id, operation: .lock("B"), now: t0).decision
                == .conflict(current: "A"))
        let relock = try await store.applyLock(
            fileID: file.id, operation: .unlockAndRelock(old: "A", new: "B"), now: t0 + 1)
        #expect(relock.decision == .allow(.set("B")) && relock.lock?.expiresAt == t0 + 1 + 1_800_000_000)
        #expect(try await store.currentLock(fileID: file.id, now: t0 + 2)?.id == "B")
        // Thirty minutes after the last lock operation it is gone.
        #expect(try await store.currentLock(fileID: file.id, now: t0 + 1 + 1_800_000_000) == nil)
        #expect(
            try await store.applyLock(fileID: file.id, operation: .refresh("B"), now: t0 + 1_800_000_001).decision
                == .conflict(current: ""))
        #expect(
            try await store.applyLock(fileID: file.id, operation: .lock("C"), now: t0 + 1_800_000_001).decision
                == .allow(.set("C")))
        #expect(
            try await store.applyLock(fileID: file.id, operation: .unlock("C"), now: t0 + 1_800_000_002).decision
                == .allow(.release))
        #expect(try await store.currentLock(fileID: file.id, now: t0 + 1_800_000_003) == nil)
        await #expect(throws: FolioError.self) {
            _ = try await store.applyLock(fileID: "no-such-file", operation: .lock("A"), now: t0)
        }
    }

    /// Two store objects on one database stand for two Folio processes; requests alternate.
    func twins(_ kind: StoreKind) async throws -> ([any MetadataStore], User, StoredFile) {
        let (a, b) = try await kind.makeTwins()
        let alice = try await a.createUser(
            login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil, now: t0)
        let file = try await b.createFile(
            folderID: alice.rootFolderID, name: "report.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        return ([a, b], alice, file)
    }

    /// What `folio lock list`, the API and people who must break a lock see: live files' locks
    /// in force, by name, with the holder's login; one file's only when asked.
    @Test(arguments: StoreKind.allCases) func locksInForceAreListedWithTheirHolder(kind: StoreKind) async throws {
        let (store, alice, file) = try await fixture(kind)
        let other = try await store.createFile(
            folderID: alice.rootFolderID, name: "agenda.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        let gone = try await store.createFile(
            folderID: alice.rootFolderID, name: "old.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        #expect(try await store.currentLocks(now: t0, fileID: nil).isEmpty)
        _ = try await store.applyLock(
            fileID: file.id, operation: .lock("L1"), now: t0, holder: LockHolder(userID: alice.id))
        _ = try await store.applyLock(fileID: other.id, operation: .lock("L2"), now: t0 + 5)
        _ = try await store.applyLock(
            fileID: gone.id, operation: .lock("L3"), now: t0, holder: LockHolder(userID: alice.id))
        _ = try await store.applyLock(
            fileID: gone.id, operation: .unlock("L3"), now: t0, holder: LockHolder(userID: alice.id))
        let all = try await store.currentLocks(now: t0 + 10, fileID: nil)
        #expect(
            all == [
                LockEntry(
                    fileID: other.id, fileName: "agenda.docx", lockID: "L2", expiresAt: t0 + 5 + 1_800_000_000,
                    holder: nil, takenAt: t0 + 5),
                LockEntry(
                    fileID: file.id, fileName: "report.docx", lockID: "L1", expiresAt: t0 + 1_800_000_000,
                    holder: "alice", takenAt: t0),
            ])
        #expect(try await store.currentLocks(now: t0 + 10, fileID: file.id).map(\.lockID) == ["L1"])
        // Expired locks are not in force.
        #expect(try await store.currentLocks(now: t0 + 1_800_000_001, fileID: nil).map(\.lockID) == ["L2"])
    }

    /// Lock changes racing a save and a delete through two stores (two instances): a save lands
    /// only under the lock in force when it commits, and a deleted file keeps no lock (on
    /// PostgreSQL a lock change is a compare-and-set statement holding the file row shared).
    @Test(arguments: StoreKind.allCases) func lockChangesRacingSavesAndADeleteStayConsistent(kind: StoreKind)
        async throws
    {
        let (stores, alice, file) = try await twins(kind)
        _ = try await stores[0].applyLock(fileID: file.id, operation: .lock("A"), now: t0)
        let saved = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<40 {
                group.addTask {
                    let store = stores[i % 2]
                    do {
                        switch i % 4 {
                        case 0:
                            _ = try await store.applyLock(
                                fileID: file.id, operation: .unlockAndRelock(old: "A", new: "B"), now: t0 + 1)
                        case 1:
                            _ = try await store.applyLock(
                                fileID: file.id, operation: .unlockAndRelock(old: "B", new: "A"), now: t0 + 1)
                        default:
                            _ = try await store.addVersion(
                                fileID: file.id, blob: fakeBlob, info: VersionInfo(authorID: alice.id, source: .wopi),
                                conditions: .init(lock: .wopi(i % 4 == 2 ? "A" : "B")), now: t0 + Int64(i))
                            return 1
                        }
                    } catch is FolioError {}
                    return 0
                }
            }
            return try await group.reduce(0, +)
        }
        // Every accepted save is a version, numbered without gaps.
        #expect(try await stores[1].versions(fileID: file.id).map(\.number) == Array(1...Int64(1 + saved)))
        let lock = try #require(try await stores[0].currentLock(fileID: file.id, now: t0 + 2))
        #expect(["A", "B"].contains(lock.id))

        // A delete racing lock attempts: once the file is in the trash it holds no lock.
        _ = try await stores[0].applyLock(fileID: file.id, operation: .unlock(lock.id), now: t0 + 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<20 {
                group.addTask {
                    do {
                        if i == 10 {
                            try await stores[0].deleteFile(id: file.id, now: t0 + 3)
                        } else {
                            _ = try await stores[i % 2].applyLock(
                                fileID: file.id, operation: .lock("C\(i)"), now: t0 + 3)
                            _ = try await stores[i % 2].applyLock(
                                fileID: file.id, operation: .unlock("C\(i)"), now: t0 + 3)
                        }
                    } catch is FolioError {}
                }
            }
            try await group.waitForAll()
        }
        if try await stores[1].file(id: file.id) == nil {
            // The lock row itself, not only the listing of live files' locks.
            #expect(try await stores[1].currentLock(fileID: file.id, now: t0 + 4) == nil)
        }
    }

    @Test(arguments: StoreKind.allCases) func concurrentLocksHaveExactlyOneWinner(kind: StoreKind) async throws {
        let (stores, _, file) = try await twins(kind)
        let store = stores[0]
        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let result = try await stores[i % 2].applyLock(
                        fileID: file.id, operation: .lock("lock-\(i)"), now: t0)
                    return result.decision == .allow(.set("lock-\(i)"))
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(winners == 1)
        #expect(try await store.currentLock(fileID: file.id, now: t0)?.id.hasPrefix("lock-") == true)
    }

    @Test(arguments: StoreKind.allCases) func concurrentWritesLoseNoVersion(kind: StoreKind) async throws {
        let (stores, alice, file) = try await twins(kind)
        let store = stores[1]
        _ = try await stores[0].applyLock(fileID: file.id, operation: .lock("L"), now: t0)
        let numbers = try await withThrowingTaskGroup(of: Int64.self) { group in
            for i in 0..<40 {
                group.addTask {
                    try await stores[i % 2].addVersion(
                        fileID: file.id, blob: StoredBlob(key: "b\(i)", size: Int64(i), sha256: []),
                        info: VersionInfo(authorID: alice.id, source: .wopi), conditions: .init(lock: .wopi("L")),
                        now: t0
                    ).version
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(numbers) == Set(2...41))
        let versions = try await store.versions(fileID: file.id)
        #expect(versions.count == 41 && Set(versions.map(\.blobKey)).count == 41)
    }

    /// Ids come from requests; one with a NUL character (which PostgreSQL text cannot hold)
    /// names nothing: the lookup finds nothing or says not found, never a server error.
    @Test(arguments: StoreKind.allCases) func idsWithNULFindNothing(kind: StoreKind) async throws {
        let (store, alice, _) = try await fixture(kind)
        let odd = "a\u{0}b"
        func nothing<T>(_ lookup: () async throws -> T?) async -> Bool {
            do { return try await lookup() == nil } catch let error as FolioError {
                if case .notFound = error { return true }
                return false
            } catch { return false }
        }
        #expect(await nothing { try await store.file(id: odd) })
        #expect(await nothing { try await store.folder(id: odd) })
        #expect(await nothing { try await store.user(id: odd) })
        #expect(await nothing { try await store.access(fileID: odd, userID: alice.id) })
        await #expect(throws: FolioError.self) {
            _ = try await store.createFolder(parentID: odd, name: "x", ownerID: alice.id, now: t0)
        }
    }

    @Test(arguments: StoreKind.allCases) func renameAndDeleteRespectLocks(kind: StoreKind) async throws {
        let (store, alice, file) = try await fixture(kind)
        _ = try await store.createFile(
            folderID: alice.rootFolderID, name: "taken.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        _ = try await store.applyLock(fileID: file.id, operation: .lock("L"), now: t0)
        await #expect(throws: FolioError.lockConflict(current: "L", reason: "the file is locked with another id")) {
            _ = try await store.renameFile(id: file.id, name: "x.docx", lock: "M", checkLock: true, now: t0)
        }
        await #expect(throws: FolioError.nameTaken(suggestion: "Taken (2).docx")) {
            _ = try await store.renameFile(id: file.id, name: "Taken.docx", lock: "L", checkLock: true, now: t0)
        }
        #expect(
            try await store.renameFile(id: file.id, name: "final.docx", lock: "L", checkLock: true, now: t0).name
                == "final.docx")
        #expect(try await store.file(id: file.id)?.name == "final.docx")
        await #expect(throws: FolioError.lockConflict(current: "L", reason: "the file is locked")) {
            try await store.deleteFile(id: file.id, now: t0)
        }
        _ = try await store.applyLock(fileID: file.id, operation: .unlock("L"), now: t0)
        try await store.deleteFile(id: file.id, now: t0)
        #expect(try await store.file(id: file.id) == nil)
        #expect(try await store.access(fileID: file.id, userID: alice.id) == nil)
        #expect(try await !store.nameExists(inFolder: alice.rootFolderID, name: "final.docx"))
    }
}
