import AsyncHTTPClient
import Crypto
import FolioCore
import FolioSpaces
import FolioTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// What only an `http` space has: the signature (a wrong secret, an old or replayed request, a
/// body that is not the signed one), the application's own path checks, and an application
/// that stops answering. Raw requests go to the example application that
/// tests/spaces/connector.sh started (skipped when it did not).
@Suite struct HTTPConnectorTests {
    static let environment = ProcessInfo.processInfo.environment
    static let appRunning = SpaceKind.httpTestLocation != nil
    static let noApp: Comment = "FOLIO_TEST_CONNECTOR_URL is not set: tests/spaces/connector.sh starts the example app"
    static var secret: String { environment["FOLIO_TEST_CONNECTOR_SECRET"] ?? "" }

    static func app() throws -> HTTPConnector { try HTTPConnector(try #require(SpaceKind.httpTestLocation)) }

    /// A fresh folder of the application's space, and a connector rooted there.
    static func freshFolder() async throws -> (folder: SpacePath, space: HTTPConnector) {
        let folder = try SpacePath("/raw-" + Identifier.random())
        let app = try app()
        try await app.makeFolder(folder)
        return (folder, app.rooted(at: folder))
    }

    // MARK: Without an application

    @Test func signsTheDocumentedVectorOverTheEncodedTarget() throws {
        let location = try HTTPSpaceLocation("http:https://app.example/folio/?secret=s3cret-for-docs")
        let target = location.target(try SpacePath("/Reports 2026/q3.xlsx"), action: "meta")
        #expect(target == "/folio/Reports%202026/q3.xlsx?meta")
        #expect(location.target(.root, action: "list") == "/folio/?list")
        #expect(
            location.target(try SpacePath("/a b+c&d'e [1] #2 ?.txt"))
                == "/folio/a%20b%2Bc%26d%27e%20%5B1%5D%20%232%20%3F.txt")
        let signature = HTTPSpaceSigner(secret: "s3cret-for-docs").signature(
            method: "GET", target: target, timestamp: 1_767_225_600, contentSHA256: HTTPSpaceSigner.emptySHA256)
        // The value docs/connector-contract.md prints.
        #expect(signature == "v1=6e9e0f7aa397791102eaff99efdf8c985ef00b16fbc3e44b0275fd0bd4e945e6")
    }

    @Test func locationsKeepTheSecretOutOfSight() throws {
        let connector = try HTTPConnector("http:https://app.example:8443/api/spaces/?secret=very%2Fsecret%20words")
        #expect(connector.description == "http https://app.example:8443/api/spaces/")
        #expect(!connector.description.contains("secret"))
        #expect(try HTTPConnector("http:http://127.0.0.1:9/").description == "http http://127.0.0.1:9/ (unsigned)")
        for bad in [
            "https://app.example/", "http:ftp://app.example/", "http:https://user:pw@app.example/",
            "http:https://app.example/?other=1", "http:https://app.example/?secret=", "http:https:///nohost",
            "http:https://app.example/?secret=a&secret=b",
        ] {
            #expect(throws: FolioError.self, "\(bad)") { _ = try HTTPSpaceLocation(bad) }
        }
    }

    /// A refused connection fails a call at once (the client does not retry it: with a pool of
    /// a thousand connections per host, retries of a dead host took up to 36 s under load).
    @Test func anUnreachableAppIsUnavailableWithinSeconds() async throws {
        let space = try HTTPConnector("http:http://127.0.0.1:\(try closedLoopbackPort())/?secret=whatever-0123456789")
        // The bound leaves room for a loaded machine and stays under a hang.
        try await Self.expectUnavailableSoon(space, within: 25)
    }

    // MARK: Against the example application

    @Test(.enabled(if: appRunning, noApp)) func aWrongSecretIsAClearError() async throws {
        let right = try Self.app()
        let wrong = try HTTPConnector(
            "http:\(right.location.origin)\(right.location.basePath)/?secret=not-the-secret-0123456789")
        await expectFailure(Self.isBadSignature) { _ = try await wrong.list(.root) }
        let unsigned = try HTTPConnector("http:\(right.location.origin)\(right.location.basePath)/")
        await expectFailure(Self.isUnsigned) { _ = try await unsigned.list(.root) }
    }

    static func isBadSignature(_ error: any Error) -> Bool {
        guard case FolioError.storage(let message) = error else { return false }
        return message.contains("401 badSignature") && message.contains("check the space's secret")
    }

    static func isUnsigned(_ error: any Error) -> Bool {
        guard case FolioError.storage(let message) = error else { return false }
        return message.contains("401 unauthenticated")
    }

    @Test(.enabled(if: appRunning, noApp)) func oldTimestampsAreRefusedAndReplaysChangeNothing() async throws {
        let (folder, space) = try await Self.freshFolder()
        let target = try Self.app().location.target(try folder.appending("replayed.txt"))
        let now = Int(Date().timeIntervalSince1970)
        let body = Array("first".utf8)
        for old in [now - 301, now - 3600, now + 400] {
            let answer = try await Self.raw(.PUT, target, body: body, timestamp: old, headers: [("If-None-Match", "*")])
            #expect(answer.status == 401 && answer.code == "staleTimestamp", "\(old - now) s: \(answer)")
        }
        #expect(try await space.stat(try SpacePath("/replayed.txt")) == nil)
        // The same signed request sent twice: the create is conditional, so its replay fails.
        let created = try await Self.raw(.PUT, target, body: body, timestamp: now, headers: [("If-None-Match", "*")])
        #expect(created.status == 201, "\(created)")
        let written = try #require(try await space.stat(try SpacePath("/replayed.txt")))
        _ = try await space.write(
            try SpacePath("/replayed.txt"), content: spaceContent("second"), condition: .matches(written.tag))
        let replayed = try await Self.raw(.PUT, target, body: body, timestamp: now, headers: [("If-None-Match", "*")])
        #expect(replayed.status == 412 && replayed.code == "changed", "\(replayed)")
        #expect(try await readSpace(space, try SpacePath("/replayed.txt")) == Array("second".utf8))
    }

    @Test(.enabled(if: appRunning, noApp)) func aBodyThatIsNotTheSignedOneWritesNothing() async throws {
        let (folder, space) = try await Self.freshFolder()
        let path = try SpacePath("/forged.docx")
        let target = try Self.app().location.target(try folder.appending("forged.docx"))
        let signed = HTTPSpaceSigner.hex(SHA256.hash(data: Array("the signed content".utf8)))
        let answer = try await Self.raw(
            .PUT, target, body: Array("a forged content!!".utf8), signedSHA256: signed,
            headers: [("If-None-Match", "*")])
        #expect(answer.status == 400 && answer.code == "digestMismatch", "\(answer)")
        #expect(try await space.stat(path) == nil)
        #expect(try await space.list(.root).isEmpty)
        // Over a document that exists, too: it keeps its content and tag.
        let original = try await space.write(path, content: spaceContent("original"), condition: .absent)
        let replaced = try await Self.raw(
            .PUT, target, body: Array("a forged content!!".utf8), signedSHA256: signed,
            headers: [("If-Match", original.tag)])
        #expect(replaced.status == 400 && replaced.code == "digestMismatch", "\(replaced)")
        #expect(try await space.stat(path)?.tag == original.tag)
        #expect(try await readSpace(space, path) == Array("original".utf8))
    }

    @Test(.enabled(if: appRunning, noApp)) func pathAttacksAreRefusedByTheAppToo() async throws {
        let (folder, space) = try await Self.freshFolder()
        let base = try Self.app().location.target(folder) + "/"
        let root = Self.environment["FOLIO_TEST_CONNECTOR_ROOT"]
        let attacks = [
            "%2e%2e/%2e%2e/escape.txt", "%2E%2E/%2E%2E/%2E%2E/escape.txt", "..%2f..%2fescape.txt",
            "inner%2fescape.txt", "%2e%2e%2f%2e%2e%2fescape.txt", "a%5c..%5c..%5cescape.txt", "%00escape.txt",
            "x//escape.txt", ".folio-staged.part",
        ]
        for attack in attacks {
            for method in [HTTPMethod.GET, .PUT] {
                let answer = try await Self.raw(
                    method, base + attack, body: method == .PUT ? Array("pwned".utf8) : [],
                    headers: method == .PUT ? [("If-None-Match", "*")] : [])
                #expect(answer.status == 400 && answer.code == "badPath", "\(method) \(attack): \(answer)")
            }
        }
        let mkdir = try await Self.raw(.POST, base + "%2e%2e/%2e%2e/escaped?mkdir")
        #expect(mkdir.status == 400 && mkdir.code == "badPath", "\(mkdir)")
        #expect(try await space.list(.root).isEmpty)
        if let root {
            let above = URL(fileURLWithPath: root).deletingLastPathComponent().path
            for name in ["escape.txt", "escaped"] {
                #expect(!FileManager.default.fileExists(atPath: above + "/" + name), "\(name) was made above the root")
                #expect(!FileManager.default.fileExists(atPath: root + "/" + name), "\(name) was made in the root")
            }
        }
    }

    /// tests/spaces/connector.sh runs this once with the app frozen (SIGSTOP: connections are
    /// accepted, nothing answers) and once with it stopped (connections refused).
    @Test(
        .enabled(
            if: environment["FOLIO_TEST_CONNECTOR_STATE"] != nil,
            "FOLIO_TEST_CONNECTOR_STATE is not set: tests/spaces/connector.sh sets it after freezing or stopping the app"
        ))
    func anAppThatDoesNotAnswerIsUnavailable() async throws {
        var space = try HTTPConnector(try #require(SpaceKind.httpTestLocation))
        let frozen = Self.environment["FOLIO_TEST_CONNECTOR_STATE"] == "frozen"
        // A frozen app fails a call at its deadline; a stopped one at the refused connection.
        space.timeout = .seconds(3)
        space.transferTimeout = .seconds(3)
        try await Self.expectUnavailableSoon(space, within: frozen ? 8 : 10)
    }

    // MARK: Helpers

    static func expectUnavailableSoon(_ space: HTTPConnector, within seconds: Double) async throws {
        let path = try SpacePath("/doc.txt")
        let calls: [@Sendable () async throws -> Void] = [
            { _ = try await space.stat(path) },
            { _ = try await space.read(path, range: nil) },
            { _ = try await space.write(path, content: spaceContent("x"), condition: .absent) },
            { _ = try await space.list(.root) },
            { try await space.delete(path, tag: "\"t\"") },
        ]
        let started = Date()
        await withTaskGroup(of: Void.self) { group in
            for call in calls {
                group.addTask { await expectFailure(Failed.unavailable) { try await call() } }
            }
        }
        #expect(Date().timeIntervalSince(started) < seconds)
    }

    struct Answer: CustomStringConvertible {
        var status: Int
        var code: String?
        var text: String
        var description: String { "\(status) \(text)" }
    }

    /// One request signed by hand with the app's secret: `signedSHA256` stands in for the
    /// body's hash, `timestamp` for now.
    static func raw(
        _ method: HTTPMethod, _ target: String, body: [UInt8] = [], signedSHA256: String? = nil,
        timestamp: Int? = nil, headers: [(String, String)] = []
    ) async throws -> Answer {
        let location = try app().location
        var request = HTTPClientRequest(url: location.origin + target)
        request.method = method
        let sha = signedSHA256 ?? HTTPSpaceSigner.hex(SHA256.hash(data: body))
        let signing = HTTPSpaceSigner(secret: secret).headers(
            method: method.rawValue, target: target, contentSHA256: sha,
            timestamp: timestamp ?? Int(Date().timeIntervalSince1970))
        for (name, value) in signing + headers { request.headers.add(name: name, value: value) }
        if !body.isEmpty || method == .PUT || method == .POST { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        let code = (json?["error"] as? [String: Any])?["code"] as? String
        return Answer(status: Int(response.status.code), code: code, text: text)
    }

}
