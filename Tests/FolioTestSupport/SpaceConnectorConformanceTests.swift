import Crypto
import FolioCore
import FolioSpaces
import Foundation
import NIOCore
import Testing

/// A kind of space the conformance suite runs against: a name and a maker of fresh, empty
/// spaces (each test gets a root of its own). The folder always runs; the others join when
/// scripts/test has started their real server (see `SpaceKind+*.swift`).
package struct SpaceKind: Sendable, CustomStringConvertible {
    package let description: String
    package let make: @Sendable () async throws -> any SpaceConnector

    package init(_ name: String, make: @escaping @Sendable () async throws -> any SpaceConnector) {
        self.description = name
        self.make = make
    }

    package static let folder = SpaceKind("folder") { try FolderConnector(root: try temporaryFolder()) }

    package static var allCases: [SpaceKind] { [folder] + [webdav, s3, http].compactMap { $0 } }
}

/// Content for a write: the bytes, sized and hashed, openable as often as asked.
package func spaceContent(_ bytes: [UInt8], chunk: Int = 65_536) -> SpaceContent {
    SpaceContent(size: Int64(bytes.count), sha256: Array(SHA256.hash(data: bytes))) {
        BlobReader { body in
            var offset = 0
            repeat {
                let end = min(offset + chunk, bytes.count)
                try await body(ByteBuffer(bytes: bytes[offset..<end]))
                offset = end
            } while offset < bytes.count
        }
    }
}

package func spaceContent(_ text: String) -> SpaceContent { spaceContent(Array(text.utf8)) }

/// What is at `path` now, read whole.
package func readSpace(_ space: any SpaceConnector, _ path: SpacePath, range: Range<Int64>? = nil) async throws
    -> [UInt8]
{
    var bytes: [UInt8] = []
    try await space.read(path, range: range).content.read { bytes += Array(buffer: $0) }
    return bytes
}

/// One suite every `SpaceConnector` passes against its real server: documents come back byte
/// for byte; every write is compare-and-set, so a stale tag or a taken name changes nothing;
/// racing writers on one tag have exactly one winner; moves never replace; folders list.
@Suite struct SpaceConnectorConformanceTests {

    static func pattern(_ count: Int, seed: Int = 7) -> [UInt8] {
        patternBytes(count, seed: seed, shift: 11)
    }

    @Test(arguments: SpaceKind.allCases) func createsStatsReadsAndLists(kind: SpaceKind) async throws {
        let space = try await kind.make()
        let path = try SpacePath("/report.docx")
        #expect(try await space.stat(path) == nil)
        let written = try await space.write(path, content: spaceContent("first"), condition: .absent)
        #expect(written.path == path && written.size == 5 && !written.isFolder && !written.tag.isEmpty)
        let seen = try #require(try await space.stat(path))
        #expect(seen.tag == written.tag && seen.size == 5)
        let opened = try await space.read(path, range: nil)
        #expect(opened.entry.tag == written.tag)
        #expect(try await readSpace(space, path) == Array("first".utf8))
        #expect(try await readSpace(space, path, range: 1..<3) == Array("ir".utf8))
        #expect(try await readSpace(space, path, range: 3..<100) == Array("st".utf8))
        let listed = try await space.list(.root)
        #expect(listed.map(\.path) == [path] && listed.first?.tag == written.tag)
    }

    @Test(arguments: SpaceKind.allCases) func createNeverReplaces(kind: SpaceKind) async throws {
        let space = try await kind.make()
        let path = try SpacePath("/taken.txt")
        _ = try await space.write(path, content: spaceContent("original"), condition: .absent)
        await expectFailure(Failed.changed) {
            _ = try await space.write(path, content: spaceContent("intruder"), condition: .absent)
        }
        #expect(try await readSpace(space, path) == Array("original".utf8))
    }

    @Test(arguments: SpaceKind.allCases) func writesOnlyOverWhatWasSeen(kind: SpaceKind) async throws {
        let space = try await kind.make()
        let path = try SpacePath("/doc.txt")
        let first = try await space.write(path, content: spaceContent("one"), condition: .absent)
        let second = try await space.write(path, content: spaceContent("two"), condition: .matches(first.tag))
        #expect(second.tag != first.tag)
        // A writer still holding the first tag (Folio, after a change made outside) changes nothing.
        await expectFailure(Failed.changed) {
            _ = try await space.write(path, content: spaceContent("stale"), condition: .matches(first.tag))
        }
        #expect(try await readSpace(space, path) == Array("two".utf8))
        await expectFailure(Failed.changed) {
            _ = try await space.write(
                try SpacePath("/missing.txt"), content: spaceContent("x"), condition: .matches(first.tag))
        }
        #expect(try await space.stat(try SpacePath("/missing.txt")) == nil)
    }

    /// Autosaves come seconds apart, sometimes less: a tag handed back by a write must be good
    /// for the next write at once (mod_dav's weak ETags within a second are the trap).
    @Test(arguments: SpaceKind.allCases) func rewritesAtOnceWithTheTagItGot(kind: SpaceKind) async throws {
        let space = try await kind.make()
        let path = try SpacePath("/fast.txt")
        var entry = try await space.write(path, content: spaceContent("v0"), condition: .absent)
        for n in 1...4 {
            entry = try await space.write(path, content: spaceContent("v\(n)"), condition: .matches(entry.tag))
        }
        #expect(try await readSpace(space, path) == Array("v4".utf8))
        #expect(try await space.stat(path)?.tag == entry.tag)
    }

    @Test(arguments: SpaceKind.allCases) func racersOnOneTagHaveOneWinner(kind: SpaceKind) async throws {
        let space = try await kind.make()
        let path = try SpacePath("/contended.txt")
        let base = try await space.write(path, content: spaceContent("base"), condition: .absent)
        let winners = try await withThrowingTaskGroup(of: String?.self) { group in
            for n in 0..<8 {
                group.addTask {
                    do {
                        _ = try await space.write(
                            path, content: spaceContent("racer \(n)"), condition: .matches(base.tag))
                        return "racer \(n)"
                    } catch let error where Failed.changed(error) {
                        return nil
                    }
                }
            }
            var winners: [String] = []
            for try await winner in group { if let winner { winners.append(winner) } }
            return winners
        }
        #expect(winners.count == 1)
        #expect(try await readSpace(space, path) == Array((winners.first ?? "").utf8))
    }

    @Test(arguments: SpaceKind.allCases) func movesNeverReplace(kind: SpaceKind) async throws {
        let space = try await kind.make()
        let a = try SpacePath("/a.txt")
        let b = try SpacePath("/b.txt")
        let c = try SpacePath("/c.txt")
        let written = try await space.write(a, content: spaceContent("alpha"), condition: .absent)
        _ = try await space.write(b, content: spaceContent("beta"), condition: .absent)
        await expectFailure(Failed.exists) {
            _ = try await space.move(a, to: b, tag: written.tag)
        }
        #expect(try await readSpace(space, a) == Array("alpha".utf8))
        #expect(try await readSpace(space, b) == Array("beta".utf8))
        await expectFailure(Failed.changed) { _ = try await space.move(a, to: c, tag: "stale-tag") }
        let moved = try await space.move(a, to: c, tag: written.tag)
        #expect(moved.path == c)
        #expect(try await space.stat(a) == nil)
        #expect(try await readSpace(space, c) == Array("alpha".utf8))
    }

    @Test(arguments: SpaceKind.allCases) func deletesOnlyWhatWasSeen(kind: SpaceKind) async throws {
        let space = try await kind.make()
        let path = try SpacePath("/gone.txt")
        let first = try await space.write(path, content: spaceContent("one"), condition: .absent)
        let second = try await space.write(path, content: spaceContent("two"), condition: .matches(first.tag))
        await expectFailure(Failed.changed) { try await space.delete(path, tag: first.tag) }
        #expect(try await readSpace(space, path) == Array("two".utf8))
        try await space.delete(path, tag: second.tag)
        #expect(try await space.stat(path) == nil)
        await expectFailure(Failed.missing) { _ = try await space.read(path, range: nil) }
    }

    @Test(arguments: SpaceKind.allCases) func foldersHoldDocuments(kind: SpaceKind) async throws {
        let space = try await kind.make()
        let folder = try SpacePath("/Reports 2026")
        try await space.makeFolder(folder)
        await expectFailure(Failed.exists) {
            try await space.makeFolder(folder)
        }
        let inside = try folder.appending("q3.xlsx")
        _ = try await space.write(inside, content: spaceContent("numbers"), condition: .absent)
        let root = try await space.list(.root)
        #expect(root.count == 1 && root.first?.path == folder && root.first?.isFolder == true)
        #expect(try await space.stat(folder)?.isFolder == true)
        let listed = try await space.list(folder)
        #expect(listed.map(\.path) == [inside] && listed.first?.size == 7)
        await expectFailure(Failed.missing) { _ = try await space.list(try SpacePath("/no such folder")) }
        await expectFailure(Failed.missing) {
            _ = try await space.write(
                try SpacePath("/no such folder/x.txt"), content: spaceContent("x"), condition: .absent)
        }
    }

    /// Two dozen documents opened by slow editors at once: each read holds its connection to
    /// the storage while it lasts, and none of them (nor a save meanwhile) waits on another.
    @Test(arguments: SpaceKind.allCases) func manySlowReadersAtOnceStarveNobody(kind: SpaceKind) async throws {
        let space = try await kind.make()
        let bytes = Self.pattern(16 * 1_048_576)
        let path = try SpacePath("/slow.pptx")
        _ = try await space.write(path, content: spaceContent(bytes, chunk: 1_048_576), condition: .absent)
        let held = try await holdSlowReaders(
            24, open: { try await space.read(path, range: nil).content },
            meanwhile: {
                let saved = try SpacePath("/saved.txt")
                _ = try await space.write(saved, content: spaceContent("a save"), condition: .absent)
                #expect(try await readSpace(space, saved) == Array("a save".utf8))
            })
        #expect(held.together == 24)
        for size in held.sizes { #expect(size == bytes.count) }
    }

    @Test(arguments: SpaceKind.allCases) func emptyLargeAndAwkwardNames(kind: SpaceKind) async throws {
        let space = try await kind.make()
        let empty = try SpacePath("/empty.docx")
        let written = try await space.write(empty, content: spaceContent([]), condition: .absent)
        #expect(written.size == 0)
        #expect(try await readSpace(space, empty) == [])
        let big = Self.pattern(12 * 1_048_576 + 17)
        let large = try SpacePath("/large.pptx")
        _ = try await space.write(large, content: spaceContent(big, chunk: 1_000_003), condition: .absent)
        #expect(try await space.stat(large)?.size == Int64(big.count))
        #expect(SHA256.hash(data: try await readSpace(space, large)) == SHA256.hash(data: big))
        for name in ["Отчёт за 3-й квартал.docx", "a b+c&d'e [1] #2 ?.txt", "日本語 ファイル.xlsx", "x=1;y=2,z.odt"] {
            let path = try SpacePath("/" + name)
            _ = try await space.write(path, content: spaceContent(name), condition: .absent)
            #expect(try await readSpace(space, path) == Array(name.utf8), "\(name)")
        }
        let names = Set(try await space.list(.root).map(\.path.name))
        #expect(names.contains("Отчёт за 3-й квартал.docx") && names.contains("a b+c&d'e [1] #2 ?.txt"))
        #expect(names.count == 6)
    }
}
