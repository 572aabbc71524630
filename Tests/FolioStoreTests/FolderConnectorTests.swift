import FolioCore
import FolioSpaces
import FolioTestSupport
import Foundation
import Testing

/// What only a folder space has: symlinks, the staging files, a root that can vanish.
@Suite struct FolderConnectorTests {
    /// A space with a secret beside it and links that try to reach it.
    static func hostileTree() throws -> (space: FolderConnector, root: String, outside: String) {
        let base = try temporaryFolder()
        let root = base + "/space"
        let outside = base + "/outside"
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/inner", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try Data("secret".utf8).write(to: URL(fileURLWithPath: outside + "/secret.txt"))
        try Data("fine".utf8).write(to: URL(fileURLWithPath: root + "/inner/fine.txt"))
        try fm.createSymbolicLink(atPath: root + "/out-file.txt", withDestinationPath: outside + "/secret.txt")
        try fm.createSymbolicLink(atPath: root + "/out-dir", withDestinationPath: outside)
        try fm.createSymbolicLink(atPath: root + "/up", withDestinationPath: "..")
        try fm.createSymbolicLink(atPath: root + "/in-link.txt", withDestinationPath: "inner/fine.txt")
        try fm.createSymbolicLink(atPath: root + "/dangling.txt", withDestinationPath: outside + "/nothing.txt")
        return (try FolderConnector(root: root), root, outside)
    }

    static func isRefused(_ error: any Error) -> Bool {
        if case FolioError.badRequest(let message) = error { return message.contains("outside the space") }
        return false
    }

    @Test func linksOutOfTheTreeAreRefusedAndTouchNothing() async throws {
        let (space, _, outside) = try Self.hostileTree()
        for text in ["/out-file.txt", "/out-dir/secret.txt", "/up/outside/secret.txt", "/dangling.txt"] {
            let path = try SpacePath(text)
            await expectFailure(Self.isRefused, "\(text)") { _ = try await space.read(path, range: nil) }
            await expectFailure(Self.isRefused, "\(text)") {
                _ = try await space.write(path, content: spaceContent("pwned"), condition: .absent)
            }
            await expectFailure(Self.isRefused, "\(text)") { try await space.delete(path, tag: "x") }
        }
        await expectFailure(Self.isRefused) {
            _ = try await space.write(try SpacePath("/out-dir/new.txt"), content: spaceContent("x"), condition: .absent)
        }
        await expectFailure(Self.isRefused) { try await space.makeFolder(try SpacePath("/out-dir/made")) }
        await expectFailure(Self.isRefused) { _ = try await space.list(try SpacePath("/out-dir")) }
        let fine = try #require(try await space.stat(try SpacePath("/inner/fine.txt")))
        await expectFailure(Self.isRefused) {
            _ = try await space.move(
                try SpacePath("/inner/fine.txt"), to: try SpacePath("/out-dir/stolen.txt"), tag: fine.tag)
        }
        #expect(try String(contentsOfFile: outside + "/secret.txt", encoding: .utf8) == "secret")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside) == ["secret.txt"])
    }

    @Test func linksInsideAreFollowedAndListingsHideTheRest() async throws {
        let (space, _, _) = try Self.hostileTree()
        #expect(try await readSpace(space, try SpacePath("/in-link.txt")) == Array("fine".utf8))
        let names = Set(try await space.list(.root).map(\.path.name))
        #expect(names == ["inner", "in-link.txt"])
    }

    @Test func stagingFilesNeverShowAndNeverStay() async throws {
        let (space, root, _) = try Self.hostileTree()
        let path = try SpacePath("/inner/doc.txt")
        let first = try await space.write(path, content: spaceContent("one"), condition: .absent)
        await #expect(throws: SpaceError.self) {
            _ = try await space.write(path, content: spaceContent("two"), condition: .matches("stale"))
        }
        _ = try await space.write(path, content: spaceContent("three"), condition: .matches(first.tag))
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/inner").sorted()
        #expect(files == ["doc.txt", "fine.txt"])
    }

    @Test func writesKeepTheDocumentsPermissions() async throws {
        let (space, root, _) = try Self.hostileTree()
        let path = try SpacePath("/inner/fine.txt")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: root + "/inner/fine.txt")
        let seen = try #require(try await space.stat(path))
        _ = try await space.write(path, content: spaceContent("better"), condition: .matches(seen.tag))
        let mode = try FileManager.default.attributesOfItem(atPath: root + "/inner/fine.txt")[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o640)
    }

    @Test func aVanishedRootIsUnavailable() async throws {
        let root = try temporaryFolder() + "/gone"
        let space = try FolderConnector(root: root)
        await expectFailure(Failed.unavailable) {
            _ = try await space.stat(try SpacePath("/x.txt"))
        }
    }
}
