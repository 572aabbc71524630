import Crypto
import FolioCore
import FolioTestSupport
import Foundation
import NIOCore
import Synchronization
import Testing

@testable import FolioS3

/// What only a bucket space has: other programs write the same objects, folders are only key
/// prefixes, RGW's own reading of `If-Match`, S3's single-PUT size limit. Against the real
/// gateway tests/spaces/s3.sh starts (FOLIO_TEST_S3_GATEWAY=rgw says it is Ceph RGW).
@Suite(.enabled(if: BlobStoreKind.bucketURL != nil, "needs FOLIO_TEST_S3_URL (tests/spaces/s3.sh sets it)"))
struct S3SpaceConnectorTests {
    static let onRGW = ProcessInfo.processInfo.environment["FOLIO_TEST_S3_GATEWAY"] == "rgw"

    static func isTooLarge(_ error: any Error) -> Bool {
        error as? FolioError == .tooLarge(limit: S3SpaceConnector.maxWriteSize)
    }

    static func isTruncated(_ error: any Error) -> Bool {
        error as? FolioError == .truncated(expected: 100, received: 12)
    }

    static func isPreconditionFailed(_ error: any Error) -> Bool {
        if case S3Error.status(_, 412, _, _) = error { return true }
        return false
    }

    /// A fresh space and a plain S3 client on the same prefix: "another program".
    static func spaceAndOutsider() throws -> (S3SpaceConnector, S3Client) {
        let space = try makeS3Space()
        return (space, space.client)
    }

    static func text(_ space: S3SpaceConnector, _ path: String) async throws -> String {
        String(decoding: try await readSpace(space, try SpacePath(path)), as: UTF8.self)
    }

    @Test func objectsWrittenOutsideAppear() async throws {
        let (space, outsider) = try Self.spaceAndOutsider()
        try await outsider.putObject("outside.txt", body: ByteBuffer(string: "from elsewhere"))
        try await outsider.putObject("deep/inner/notes.md", body: ByteBuffer(string: "# notes"))
        let root = try await space.list(.root).sorted { $0.path < $1.path }
        #expect(root.map(\.path.description) == ["/deep", "/outside.txt"])
        #expect(root.map(\.isFolder) == [true, false])
        let head = try #require(try await outsider.headObject("outside.txt"))
        let seen = try #require(try await space.stat(try SpacePath("/outside.txt")))
        #expect(seen.size == 14 && seen.tag == ObjectHead.canonical(head.etag) && !seen.isFolder)
        #expect(root.last?.tag == seen.tag)
        #expect(try await space.stat(try SpacePath("/deep/inner"))?.isFolder == true)
        #expect(try await space.list(try SpacePath("/deep/inner")).map(\.path.name) == ["notes.md"])
        #expect(try await Self.text(space, "/deep/inner/notes.md") == "# notes")
    }

    @Test func anOutsideOverwriteBetweenStatAndWriteWins() async throws {
        let (space, outsider) = try Self.spaceAndOutsider()
        let path = try SpacePath("/report.docx")
        _ = try await space.write(path, content: spaceContent("folio's first"), condition: .absent)
        let seen = try #require(try await space.stat(path))
        try await outsider.putObject("report.docx", body: ByteBuffer(string: "someone else's"))
        do {
            _ = try await space.write(path, content: spaceContent("folio's second"), condition: .matches(seen.tag))
            Issue.record("a write over an outside change succeeded")
        } catch SpaceError.changed(_, let current) {
            let outside = try #require(try await outsider.headObject("report.docx"))
            #expect(current?.tag == ObjectHead.canonical(outside.etag))
        }
        #expect(try await Self.text(space, "/report.docx") == "someone else's")
        // Nor may a delete or a move take it away.
        await expectFailure(Failed.changed) { try await space.delete(path, tag: seen.tag) }
        await expectFailure(Failed.changed) {
            _ = try await space.move(path, to: try SpacePath("/moved.docx"), tag: seen.tag)
        }
        #expect(try await space.stat(try SpacePath("/moved.docx")) == nil)
        #expect(try await Self.text(space, "/report.docx") == "someone else's")
    }

    /// RGW compares `If-Match` without quotes: the connector finds that out and writes anyway,
    /// still atomically.
    @Test func ifMatchIsSpelledTheWayTheGatewayTakesIt() async throws {
        let (space, outsider) = try Self.spaceAndOutsider()
        let path = try SpacePath("/spelling.txt")
        let first = try await space.write(path, content: spaceContent("one"), condition: .absent)
        if Self.onRGW {
            // The quirk itself, as a plain client meets it.
            await expectFailure(Self.isPreconditionFailed) {
                _ = try await outsider.send(
                    .PUT, key: "spelling.txt", headers: [("if-match", IfMatchForm.quoted.header(first.tag))],
                    body: ByteBuffer(string: "quoted"), operation: "quoted If-Match")
            }
            #expect(try await Self.text(space, "/spelling.txt") == "one")
        }
        let second = try await space.write(path, content: spaceContent("two"), condition: .matches(first.tag))
        let third = try await space.write(path, content: spaceContent("three"), condition: .matches(second.tag))
        #expect(try await Self.text(space, "/spelling.txt") == "three")
        #expect(try await space.stat(path)?.tag == third.tag)
        if Self.onRGW {
            #expect(IfMatchForm.preferred(at: space.client.location.endpoint.absoluteString) == .unquoted)
        }
        await expectFailure(Failed.changed) {
            _ = try await space.write(path, content: spaceContent("stale"), condition: .matches(first.tag))
        }
    }

    /// RGW reads the copy condition under the name `x-amz-copy-if-match` (and ignores the
    /// standard `x-amz-copy-source-if-match`): a move checks the source atomically with it.
    @Test(.enabled(if: S3SpaceConnectorTests.onRGW, "RGW's own header name")) func copyConditionHoldsOnRGW()
        async throws
    {
        let (space, outsider) = try Self.spaceAndOutsider()
        try await outsider.putObject("source.txt", body: ByteBuffer(string: "v1"))
        let stale = try #require(try await outsider.headObject("source.txt")).etag
        try await outsider.putObject("source.txt", body: ByteBuffer(string: "v2"))
        await expectFailure(Self.isPreconditionFailed) {
            _ = try await outsider.copyObject(
                from: "source.txt", to: "copy.txt",
                headers: [("x-amz-copy-source-if-match", stale), ("x-amz-copy-if-match", stale)])
        }
        #expect(try await outsider.headObject("copy.txt") == nil)
        let current = try #require(try await space.stat(try SpacePath("/source.txt")))
        let moved = try await space.move(try SpacePath("/source.txt"), to: try SpacePath("/copy.txt"), tag: current.tag)
        #expect(moved.tag == current.tag)
        #expect(try await Self.text(space, "/copy.txt") == "v2")
        #expect(try await outsider.headObject("source.txt") == nil)
    }

    @Test func unusualKeysRoundTrip() async throws {
        let (space, outsider) = try Self.spaceAndOutsider()
        let names = [
            "two  spaces .docx", "ünïcödé – ✓.xlsx", "1+1=2.txt", "Tom & Jerry.odt", "#hash.txt", "what?.txt",
            "all +&#?%s.txt".replacingOccurrences(of: "%s", with: " é"), "日本語/深い/文書.docx",
        ]
        try await space.makeFolder(try SpacePath("/日本語"))
        try await space.makeFolder(try SpacePath("/日本語/深い"))
        for name in names {
            let path = try SpacePath("/" + name)
            let written = try await space.write(path, content: spaceContent(name), condition: .absent)
            #expect(try await Self.text(space, "/" + name) == name, "\(name)")
            #expect(try await space.stat(path)?.tag == written.tag, "\(name)")
            // The object's key is the name itself, as any other client sees it.
            #expect(try await outsider.headObject(name)?.size == Int64(name.utf8.count), "\(name)")
        }
        let listed = Set(try await space.list(.root).map(\.path.name))
        #expect(listed == Set(names.filter { !$0.contains("/") } + ["日本語"]))
        #expect(try await space.list(try SpacePath("/日本語/深い")).map(\.path.name) == ["文書.docx"])
        let from = try SpacePath("/Tom & Jerry.odt")
        let to = try SpacePath("/日本語/Tom + Jerry? #2.odt")
        let tag = try #require(try await space.stat(from)).tag
        _ = try await space.move(from, to: to, tag: tag)
        #expect(try await Self.text(space, to.description) == "Tom & Jerry.odt")
        #expect(try await space.stat(from) == nil)
        try await space.delete(to, tag: tag)
        #expect(try await space.stat(to) == nil)
    }

    @Test func foldersByMarkerAndByPrefix() async throws {
        let (space, outsider) = try Self.spaceAndOutsider()
        // A folder no one made: only a key under it.
        try await outsider.putObject("implicit/doc.txt", body: ByteBuffer(string: "x"))
        let implicit = try SpacePath("/implicit")
        #expect(try await space.stat(implicit)?.isFolder == true)
        #expect(try await outsider.headObject("implicit/") == nil)
        await expectFailure(Failed.exists) { try await space.makeFolder(implicit) }
        // A folder Folio made: an empty marker object, never listed itself.
        let marked = try SpacePath("/marked")
        try await space.makeFolder(marked)
        #expect(try await outsider.headObject("marked/")?.size == 0)
        #expect(try await space.stat(marked)?.isFolder == true)
        #expect(try await space.list(marked).isEmpty)
        await expectFailure(Failed.exists) { try await space.makeFolder(marked) }
        try await space.makeFolder(try marked.appending("sub"))
        #expect(try await space.list(marked).map(\.path) == [try SpacePath("/marked/sub")])
        #expect(try await space.list(marked).first?.isFolder == true)
        let root = try await space.list(.root)
        #expect(Set(root.map(\.path.name)) == ["implicit", "marked"] && root.allSatisfy(\.isFolder))
        // A folder by prefix alone is gone with its last document; a made one stays.
        let doc = try #require(try await space.stat(try SpacePath("/implicit/doc.txt")))
        try await space.delete(doc.path, tag: doc.tag)
        #expect(try await space.stat(implicit) == nil)
        #expect(try await space.stat(marked)?.isFolder == true)
        // A document is not a folder to write into.
        _ = try await space.write(try SpacePath("/plain.txt"), content: spaceContent("p"), condition: .absent)
        await expectFailure(Failed.missing) {
            _ = try await space.write(try SpacePath("/plain.txt/x.txt"), content: spaceContent("x"), condition: .absent)
        }
        // Nor is a folder a place for a new document of the same name.
        await expectFailure(Failed.changed) {
            _ = try await space.write(marked, content: spaceContent("x"), condition: .absent)
        }
    }

    /// Conditions hold only on a single PUT, which S3 caps at 5 GiB: a larger write is refused
    /// before its content is even opened.
    @Test func writesOverFiveGiBAreRefusedWithoutSending() async throws {
        let (space, _) = try Self.spaceAndOutsider()
        let opened = Mutex(false)
        let huge = SpaceContent(size: S3SpaceConnector.maxWriteSize + 1, sha256: Array(repeating: 0, count: 32)) {
            opened.withLock { $0 = true }
            throw FolioError.storage("this content must not be read")
        }
        let path = try SpacePath("/huge.iso")
        for condition in [SpaceWriteCondition.absent, .matches("\"whatever\"")] {
            await expectFailure(Self.isTooLarge) {
                _ = try await space.write(path, content: huge, condition: condition)
            }
        }
        #expect(opened.withLock { $0 } == false)
        #expect(try await space.stat(path) == nil)
    }

    /// A blob that gives fewer bytes than it promised fails as itself, and nothing is written.
    @Test func aShortContentFailsAndWritesNothing() async throws {
        let (space, _) = try Self.spaceAndOutsider()
        let bytes = Array("twelve bytes".utf8)
        let short = SpaceContent(size: 100, sha256: Array(SHA256.hash(data: bytes))) {
            BlobReader { body in try await body(ByteBuffer(bytes: bytes)) }
        }
        let path = try SpacePath("/short.txt")
        await expectFailure(Self.isTruncated) {
            _ = try await space.write(path, content: short, condition: .absent)
        }
        #expect(try await space.stat(path) == nil)
    }
}

/// No gateway at all: every call fails as `unavailable` (a refused connection at once, an
/// unanswered one at the 5 s connect timeout), never hangs.
@Suite struct S3SpaceUnreachableTests {

    @Test func aGatewayThatDoesNotAnswerIsUnavailable() async throws {
        let space = try S3SpaceConnector(
            url: "s3:s3://nobody/space?endpoint=http://127.0.0.1:1",
            environment: ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "not-a-secret"])
        #expect(!space.description.contains("not-a-secret"))
        let path = try SpacePath("/doc.txt")
        let calls: [@Sendable () async throws -> Void] = [
            { _ = try await space.stat(path) },
            { _ = try await space.read(path, range: nil) },
            { _ = try await space.list(.root) },
            { _ = try await space.write(path, content: spaceContent("x"), condition: .absent) },
        ]
        for (index, call) in calls.enumerated() {
            let took = await ContinuousClock().measure {
                await expectFailure(Failed.unavailable) { try await call() }
            }
            #expect(took < .seconds(15), "call \(index) took \(took)")
        }
    }
}
