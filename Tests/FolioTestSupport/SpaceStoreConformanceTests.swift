import FolioCore
import Foundation
import Testing

/// The link between files and the documents of spaces, the same on every store: one file per
/// path of a space, found both ways, kept across moves, and two stores on one database (two
/// Folio processes) never link one path twice.
@Suite struct SpaceStoreConformanceTests {
    static func file(_ store: any MetadataStore, name: String) async throws -> StoredFile {
        let owner = try await store.createUser(
            login: "space:" + Identifier.random().prefix(8).lowercased(), displayName: "space", isAdmin: false,
            passwordHash: nil, now: 1)
        let blob = StoredBlob(key: Identifier.random(), size: 1, sha256: Array(repeating: 1, count: 32))
        return try await store.createFile(
            folderID: owner.rootFolderID, name: name, ownerID: owner.id, blob: blob,
            info: VersionInfo(authorID: owner.id, source: .upload), now: 2)
    }

    @Test(arguments: StoreKind.allCases) func documentsAreFoundBothWaysAndMove(kind: StoreKind) async throws {
        let store = try await kind.make()
        let file = try await Self.file(store, name: "q3.docx")
        let document = SpaceDocument(fileID: file.id, space: "reports", path: "/2026/Q3 Отчёт.docx", tag: "t1")
        try await store.linkSpaceDocument(document)
        #expect(try await store.spaceDocument(fileID: file.id) == document)
        #expect(try await store.spaceDocument(space: "reports", path: "/2026/Q3 Отчёт.docx") == document)
        // Paths are case-sensitive, as the storages behind them are; spaces are apart.
        #expect(try await store.spaceDocument(space: "reports", path: "/2026/q3 отчёт.docx") == nil)
        #expect(try await store.spaceDocument(space: "other", path: "/2026/Q3 Отчёт.docx") == nil)
        var moved = document
        moved.path = "/2027/q1.docx"
        moved.tag = "t2"
        try await store.updateSpaceDocument(moved)
        #expect(try await store.spaceDocument(fileID: file.id) == moved)
        #expect(try await store.spaceDocument(space: "reports", path: "/2026/Q3 Отчёт.docx") == nil)
        try await store.unlinkSpaceDocument(fileID: file.id)
        #expect(try await store.spaceDocument(fileID: file.id) == nil)
        #expect(try await store.spaceDocument(space: "reports", path: "/2027/q1.docx") == nil)
    }

    @Test(arguments: StoreKind.allCases) func aPathIsLinkedOnceAcrossInstances(kind: StoreKind) async throws {
        let (one, two) = try await kind.makeTwins()
        let a = try await Self.file(one, name: "a.docx")
        let b = try await Self.file(one, name: "b.docx")
        try await one.linkSpaceDocument(SpaceDocument(fileID: a.id, space: "s", path: "/same.docx", tag: "x"))
        await expectFailure(Failed.conflict) {
            try await two.linkSpaceDocument(SpaceDocument(fileID: b.id, space: "s", path: "/same.docx", tag: "y"))
        }
        #expect(try await two.spaceDocument(space: "s", path: "/same.docx")?.fileID == a.id)
    }

    @Test(arguments: StoreKind.allCases) func everyonesRoleIsSetPerSpaceAndSeenByEveryInstance(kind: StoreKind)
        async throws
    {
        let (one, two) = try await kind.makeTwins()
        #expect(try await one.spaceEveryoneRole(space: "reports") == nil)
        try await one.setSpaceEveryoneRole(space: "reports", role: .view)
        #expect(try await two.spaceEveryoneRole(space: "reports") == .view)
        #expect(try await two.spaceEveryoneRole(space: "other") == nil)
        try await two.setSpaceEveryoneRole(space: "reports", role: .edit)
        #expect(try await one.spaceEveryoneRole(space: "reports") == .edit)
        try await one.setSpaceEveryoneRole(space: "reports", role: nil)
        #expect(try await two.spaceEveryoneRole(space: "reports") == nil)
    }

    @Test(arguments: StoreKind.allCases) func aStorageLockIsSeenByEveryInstanceAndSurvivesUpdates(kind: StoreKind)
        async throws
    {
        let (one, two) = try await kind.makeTwins()
        let file = try await Self.file(one, name: "locked.docx")
        let document = SpaceDocument(fileID: file.id, space: "dav", path: "/locked.docx", tag: "t1")
        try await one.linkSpaceDocument(document)
        #expect(try await two.spaceDocument(fileID: file.id)?.storageLock == nil)
        let lock = SpaceLock(token: "opaquelocktoken:1234", expiresAt: 1_900_000_000_000_000)
        try await one.setSpaceStorageLock(fileID: file.id, lock: lock)
        #expect(try await two.spaceDocument(space: "dav", path: "/locked.docx")?.storageLock == lock)
        // A save recording its new tag leaves the lock alone.
        var saved = document
        saved.tag = "t2"
        try await two.updateSpaceDocument(saved)
        #expect(
            try await one.spaceDocument(fileID: file.id)
                == SpaceDocument(
                    fileID: file.id, space: "dav", path: "/locked.docx", tag: "t2", storageLock: lock))
        try await two.setSpaceStorageLock(fileID: file.id, lock: nil)
        #expect(try await one.spaceDocument(fileID: file.id)?.storageLock == nil)
    }
}
