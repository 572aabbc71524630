import FolioCore
import FolioSQLite
import FolioSpaces
import FolioTestSupport
import Foundation
import Logging
import Testing

/// A space's own retention policy wins over the installation's for the space's documents.
@Suite struct SpaceRetentionTests {
    @Test func eachSpaceThinsByItsOwnPolicy() async throws {
        let base = try temporaryFolder()
        var spaces: [Space] = []
        for (name, retention) in [
            ("docs", RetentionPolicy.keepEverything), ("wiki", try RetentionPolicy(parsing: ["hourly 1d"])),
        ] {
            let root = base + "/" + name
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try Data("hello".utf8).write(to: URL(fileURLWithPath: root + "/page.docx"))
            spaces.append(try Space(name: name, connector: try FolderConnector(root: root), retention: retention))
        }
        let clock = ManualClock()
        let folder = DataFolder(path: base + "/data")
        try FileManager.default.createDirectory(atPath: folder.path, withIntermediateDirectories: true)
        let folio = try folder.folio(
            store: try SQLiteMetadataStore(path: folder.databasePath), settings: .init(), clock: clock,
            spaces: spaces, logger: Logger(label: "folio"))
        try await folio.loadSpaces()
        let alice = try await folio.addUser(login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil)
        let own = try await folio.createFile(
            Chunks("mine"), expectedSize: 4, name: "own.docx", folderID: alice.rootFolderID, owner: alice,
            source: .upload, uniqueName: false)
        var files = [own]
        for name in ["docs", "wiki"] {
            files.append(try await folio.spaceFile(space: name, path: try SpacePath("/page.docx")))
        }
        // One session's six autosaves over three hours; two days later an upload (current).
        let start = clock.now() + 3_600_000_000
        let blob = StoredBlob(key: "shared-blob", size: 4, sha256: Array(repeating: 7, count: 32))
        for file in files {
            for i in 0..<6 {
                _ = try await folio.files.addVersion(
                    fileID: file.id, blob: blob,
                    info: VersionInfo(
                        authorID: alice.id, source: .wopi, flags: SaveFlags(isAutosave: true), session: "w:s"),
                    conditions: WriteConditions(lock: .none), now: start + Int64(i) * 1_800_000_000)
            }
        }
        clock.advance(seconds: 2 * 86400)
        for file in files {
            _ = try await folio.files.addVersion(
                fileID: file.id, blob: blob, info: VersionInfo(authorID: alice.id, source: .upload),
                conditions: WriteConditions(lock: .none), now: clock.now())
        }
        let report = try await folio.applyRetention(.standard)
        // Alice's file: the last of each of the three hours stays; docs keeps all; wiki's
        // "hourly 1d" removes every autosave older than a day.
        #expect(report.versionsRemoved == 3 + 0 + 6 && report.filesChecked == 3)
        var left: [Int] = []
        for file in files { left.append(try await folio.files.versions(fileID: file.id).count) }
        #expect(left == [1 + 3 + 1, 1 + 6 + 1, 1 + 0 + 1])
        // With the installation keeping everything, the spaces' own policies still apply.
        #expect(folio.retentionRemovesAnything(.keepEverything))
    }
}
