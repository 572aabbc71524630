import FolioCore
import FolioSQLite
import FolioTestSupport
import Foundation
import Testing

/// Garbage collection and readiness.
@Suite struct MaintenanceTests {
    @Test func garbageCollectionRemovesOnlyOldOrphans() async throws {
        let install = try Installation()
        let folio = install.folio
        let alice = try await folio.addUser(login: "alice", displayName: nil, isAdmin: false, passwordHash: nil)
        let kept = try await folio.createFile(
            Chunks("keep me"), expectedSize: 7, name: "a.docx", folderID: alice.rootFolderID, owner: alice,
            source: .upload, uniqueName: true)
        // Blobs no version refers to: what a crash between blob and commit leaves.
        let old = try await folio.blobs.write(Chunks("old orphan"), maxBytes: 100, expectedSize: nil)
        let young = try await folio.blobs.write(Chunks("young orphan"), maxBytes: 100, expectedSize: nil)
        let root = install.path + "/blobs"
        let past = Date().addingTimeInterval(-7200)
        try FileManager.default.setAttributes(
            [.modificationDate: past], ofItemAtPath: root + "/" + old.key.prefix(2) + "/" + old.key)
        // Staged writes a crash left: beside the blobs, and where older versions staged.
        let staged = root + "/incoming/crashed.part"
        let prefix = String(kept.blobKey.prefix(2))
        let beside = root + "/" + prefix + "/" + prefix + "crashed.part"
        for path in [staged, beside] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data("half".utf8)))
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: path)
        }

        let dry = try await folio.collectGarbage(dryRun: true)
        #expect(dry.orphansRemoved == 1 && dry.stagedRemoved == 2 && dry.youngOrphansKept == 1)
        #expect(try await folio.blobs.inventory().blobs.count == 3)
        var lines: [String] = []
        let report = try await folio.collectGarbage { lines.append($0) }
        #expect(report.orphansRemoved == 1 && report.bytesFreed == 10 + 4 + 4 && report.blobsScanned == 3)
        #expect(!lines.isEmpty)
        let left = Set(try await folio.blobs.inventory().blobs.map(\.name))
        #expect(left == [kept.blobKey, young.key])
        #expect(!FileManager.default.fileExists(atPath: staged) && !FileManager.default.fileExists(atPath: beside))
        #expect(try await install.read(kept) == Array("keep me".utf8))
        try await folio.checkReady()
    }

    @Test func backupIsASnapshotAndRestoreChecksEveryBlob() async throws {
        let install = try Installation()
        let folio = install.folio
        let alice = try await folio.addUser(login: "alice", displayName: nil, isAdmin: false, passwordHash: nil)
        let file = try await folio.createFile(
            Chunks("first"), expectedSize: 5, name: "a.docx", folderID: alice.rootFolderID, owner: alice,
            source: .upload, uniqueName: true)
        let backupPath = try temporaryFolder() + "/backup"
        let report = try Backup(source: DataFolder(path: install.path)).run(to: backupPath, verify: true)
        #expect(report.versions == 1 && report.blobs == 1 && report.bytes == 5)
        // Later changes are not in it.
        _ = try await folio.createFile(
            Chunks("later"), expectedSize: 5, name: "b.docx", folderID: alice.rootFolderID, owner: alice,
            source: .upload, uniqueName: true)
        #expect(throws: FolioError.self) {
            _ = try Backup(source: DataFolder(path: install.path)).run(to: backupPath, verify: false)
        }
        let restoredPath = try temporaryFolder() + "/restored"
        _ = try Backup.restore(from: backupPath, into: restoredPath)
        let restored = try DataFolder(path: restoredPath).open()
        let back = try #require(try await restored.files.file(id: file.id))
        var bytes: [UInt8] = []
        try await restored.readContent(of: back) { bytes += Array(buffer: $0) }
        #expect(bytes == Array("first".utf8))
        #expect(try await restored.files.children(ofFolder: alice.rootFolderID).files.map(\.name) == ["a.docx"])
        // A damaged backup is refused and leaves nothing behind.
        let blob = backupPath + "/blobs/" + file.blobKey.prefix(2) + "/" + file.blobKey
        try FileManager.default.removeItem(atPath: blob)
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: blob))
        let failedPath = try temporaryFolder() + "/failed"
        #expect(throws: FolioError.self) { _ = try Backup.restore(from: backupPath, into: failedPath) }
        #expect(!FileManager.default.fileExists(atPath: failedPath))
    }
}
