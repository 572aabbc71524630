import FolioCore
import FolioSQLite
import FolioTestSupport
import Testing

/// The CheckFileInfo cache must never serve a withdrawn grant or an old version, also when the
/// change comes from another process on the same data folder (the CLI).
@Suite struct AccessCacheTests {
    @Test func changesFromAnotherStoreAreSeenAtOnce() async throws {
        let path = try temporaryFolder() + "/folio.sqlite"
        let server = try SQLiteMetadataStore(path: path)
        let cli = try SQLiteMetadataStore(path: path)
        let t0: Int64 = 1_800_000_000_000_000
        let alice = try await cli.createUser(
            login: "alice", displayName: "A", isAdmin: false, passwordHash: nil, now: t0)
        let bob = try await cli.createUser(login: "bob", displayName: "B", isAdmin: false, passwordHash: nil, now: t0)
        let file = try await cli.createFile(
            folderID: alice.rootFolderID, name: "a.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        try await cli.setGrant(resourceID: file.id, userID: bob.id, role: .edit)
        for _ in 0..<3 { #expect(try await server.access(fileID: file.id, userID: bob.id)?.role == .edit) }

        try await cli.setGrant(resourceID: file.id, userID: bob.id, role: nil)
        #expect(try await server.access(fileID: file.id, userID: bob.id)?.role == nil)

        // A refused write changes nothing the cache could miss.
        await #expect(throws: FolioError.self) {
            _ = try await cli.addVersion(
                fileID: file.id, blob: fakeBlob, info: VersionInfo(authorID: alice.id, source: .upload),
                conditions: .init(lock: .wopi(nil)), now: t0 + 1)
        }
        #expect(try await server.access(fileID: file.id, userID: alice.id)?.file.version == 1)
        _ = try await cli.applyLock(fileID: file.id, operation: .lock("L"), now: t0)
        _ = try await cli.addVersion(
            fileID: file.id, blob: fakeBlob, info: VersionInfo(authorID: alice.id, source: .upload),
            conditions: .init(lock: .wopi("L")), now: t0 + 1)
        #expect(try await server.access(fileID: file.id, userID: alice.id)?.file.version == 2)
        _ = try await cli.applyLock(fileID: file.id, operation: .unlock("L"), now: t0)
        try await cli.deleteFile(id: file.id, now: t0 + 2)
        #expect(try await server.access(fileID: file.id, userID: alice.id) == nil)
    }
}
