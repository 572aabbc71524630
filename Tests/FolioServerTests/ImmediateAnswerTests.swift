import CryptoExtras
import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing
import WOPI

@testable import FolioServer

/// CheckFileInfo answered on the event loop (`ImmediateCheckFileInfo`): it must answer exactly
/// what the router would, see every change at once, keep responses in order, and never skip a
/// proof check. The lane answers from the store's access cache: on SQLite a change is seen at
/// once (the shared counter), which the tests below check; on PostgreSQL (the postgres stage)
/// within a second (LISTEN/NOTIFY: AccessCacheTests and tests/scale check that), and one test
/// checks the lane answers there too.
@Suite struct ImmediateAnswerTests {
    static let onPostgres = ProcessInfo.processInfo.environment["FOLIO_TEST_STORE"] == "postgres"

    /// The lane an app was built with, caught when it is made.
    final class LaneBox: Sendable {
        let lane = Mutex<ImmediateCheckFileInfo?>(nil)
        var answered: Int { lane.withLock { $0?.answered.current ?? -1 } }
    }

    func app(
        _ f: ServerFixture, editors: [EditorKind: [String]] = [:], fetcher: any DiscoveryFetching = StaticDiscovery()
    )
        -> (some ApplicationProtocol, LaneBox)
    {
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        var configuration = f.configuration
        configuration.editors = editors
        let box = LaneBox()
        let app = FolioApplication.make(
            folio: f.folio, configuration: configuration, logger: logger, fetcher: fetcher,
            observe: { lane in box.lane.withLock { $0 = lane } })
        return (app, box)
    }

    /// Sends `request` until the lane answers it, for up to 20 s; nil if it never does. The
    /// access cache keeps an entry for a second, so on a loaded machine one warm-up may not be
    /// enough, and on PostgreSQL nothing is cached until the change feed listens (below).
    func onTheLane(_ box: LaneBox, _ request: () async throws -> TestResponse) async throws -> TestResponse? {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let before = box.answered
            let response = try await request()
            if box.answered > before { return response }
            try await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// On PostgreSQL the lane answers from the cache the change feed keeps (LISTEN/NOTIFY):
    /// once the notifications of the fixture's own writes have come by. Until the feed listens
    /// nothing is cached, which can take seconds while a hundred other tests open their own
    /// connections (CI once saw more than two).
    @Test(.enabled(if: onPostgres, "run by the postgres stage")) func onPostgreSQLTheLaneAnswersFromTheNotifiedCache()
        async throws
    {
        let f = try await ServerFixture.make()
        let (app, box) = app(f)
        try await app.test(.live) { client in
            let deadline = ContinuousClock.now + .seconds(20)
            while box.answered <= 0, ContinuousClock.now < deadline {
                #expect(try await client.execute(uri: f.uri(), method: .get).status == .ok)
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(box.answered > 0)
        }
    }

    @Test func targetsTheLaneTakes() {
        typealias Target = ImmediateCheckFileInfo.Target
        #expect(Target("/wopi/files/abc?access_token=T")?.token == .plain("T"))
        #expect(Target("/wopi/files/abc?access_token=T")?.fileID == "abc")
        #expect(Target("/wopi/files/abc?x=1&access_token_ttl=5&access_token=T")?.token == .plain("T"))
        #expect(Target("/wopi/files/abc")?.token == .absent)
        #expect(Target("/wopi/files/abc?access_token=")?.token == .absent)
        #expect(Target("/wopi/files/abc?access_token=T%2D")?.token == .unusual)
        #expect(Target("/wopi/files/abc?access_token=T+")?.token == .unusual)
        #expect(Target("/wopi/files/abc?access_token=T&access_token=U")?.token == .unusual)
        #expect(Target("/wopi/files/abc?access_token=&access_token=U")?.token == .unusual)
        for other in [
            "/wopi/files/abc/contents?access_token=T", "/wopi/files/?access_token=T", "/wopi/files/a%2Fb",
            "/wopi/filesabc", "/wopi/containers/abc?access_token=T", "/healthz",
        ] {
            #expect(Target(other) == nil, "\(other)")
        }
    }

    @Test(.disabled(if: onPostgres, "SQLite's cache feeds the lane"))
    func theSecondCheckFileInfoIsAnsweredOnTheEventLoopWithTheSameAnswer() async throws {
        let f = try await ServerFixture.make()
        let (app, box) = app(f)
        try await app.test(.live) { client in
            let first = try await client.execute(uri: f.uri(), method: .get)
            #expect(box.answered == 0)
            let second = try #require(try await onTheLane(box) { try await client.execute(uri: f.uri(), method: .get) })
            #expect(first.status == .ok && second.status == .ok)
            #expect(first.text == second.text)
            #expect(second.json()["BaseFileName"] as? String == "doc.docx")
            for name in ["Content-Type", "Content-Length", "Server"] {
                #expect(first.header(name) == second.header(name), "\(name)")
            }
            #expect(second.header("Date")?.hasSuffix(" GMT") == true)
            // Bearer tokens take the lane too.
            let bearer = try await onTheLane(box) {
                try await client.execute(
                    uri: "/wopi/files/\(f.file.id)", method: .get,
                    headers: headers(["Authorization": "Bearer \(f.token())"]))
            }
            #expect(bearer?.status == .ok)
        }
    }

    /// Log records kept in memory.
    final class Lines: Sendable {
        let records = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
        var access: [Logger.Metadata] { records.withLock { $0.filter { $0.message == "access" }.map(\.metadata) } }
    }

    struct Recorder: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.records.withLock { $0.append((event.message.description, event.metadata ?? [:])) }
        }
    }

    @Test(.disabled(if: onPostgres, "SQLite's cache feeds the lane")) func answersOnTheLaneAreAccessLogged()
        async throws
    {
        let f = try await ServerFixture.make()
        let lines = Lines()
        let logger = Logger(label: "folio-test") { _ in Recorder(lines: lines) }
        var configuration = f.configuration
        configuration.accessLog = true
        let box = LaneBox()
        let app = FolioApplication.make(
            folio: f.folio, configuration: configuration, logger: logger, fetcher: StaticDiscovery(),
            observe: { lane in box.lane.withLock { $0 = lane } })
        let token = f.token()
        try await app.test(.live) { client in
            let before = lines.access.count
            var sent = 0
            let answered = try await onTheLane(box) {
                sent += 1
                return try await client.execute(
                    uri: f.uri(token: token), method: .get, headers: headers(["X-WOPI-CorrelationId": "corr-42"]))
            }
            #expect(answered?.status == .ok)
            // One line per request, whichever lane answered it: every one of them is here.
            let access = Array(lines.access.dropFirst(before))
            #expect(access.count == sent && sent >= 2)
            let last = try #require(access.last)
            #expect(last["status"] == "200" && last["method"] == "GET" && last["correlation_id"] == "corr-42")
            #expect(last["file_id"] == .string(f.file.id))
            let path = last["path"]?.description ?? ""
            #expect(path.hasPrefix("/wopi/files/\(f.file.id)?access_token=sha256:") && !path.contains(token))
        }
    }

    @Test(.disabled(if: onPostgres, "SQLite's cache feeds the lane")) func changesAndWithdrawnGrantsAreSeenAtOnce()
        async throws
    {
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .edit)
        let (app, box) = app(f)
        let bobURI = f.uri(token: f.token(user: f.bob))
        try await app.test(.live) { client in
            // Each change comes right after the lane answered, so a stale cache would show.
            #expect(try await onTheLane(box) { try await client.execute(uri: bobURI, method: .get) }?.status == .ok)
            let renamed = try await client.execute(
                uri: f.uri(), method: .post,
                headers: headers(["X-WOPI-Override": "RENAME_FILE", "X-WOPI-RequestedName": "new"]))
            #expect(renamed.status == .ok)
            #expect(try await client.execute(uri: bobURI, method: .get).json()["BaseFileName"] as? String == "new.docx")
            #expect(try await onTheLane(box) { try await client.execute(uri: bobURI, method: .get) }?.status == .ok)
            try await f.folio.share(resourceID: f.file.id, with: f.bob, role: nil)
            #expect(try await client.execute(uri: bobURI, method: .get).status == .unauthorized)
            // A token that does not verify is never answered here.
            let token = f.token()
            let tampered = f.uri(token: String(token.dropLast()) + (token.hasSuffix("A") ? "B" : "A"))
            #expect(try await client.execute(uri: tampered, method: .get).status == .unauthorized)
        }
    }

    @Test(.disabled(if: onPostgres, "SQLite's cache feeds the lane")) func pipelinedRequestsAreAnsweredInOrder()
        async throws
    {
        let f = try await ServerFixture.make(content: "CONTENT-FIRST")
        let (app, box) = app(f)
        try await app.test(.live) { client in
            #expect(try await onTheLane(box) { try await client.execute(uri: f.uri(), method: .get) } != nil)
            let before = box.answered
            // GetFile then CheckFileInfo in one write: the second must not overtake the first.
            let request =
                "GET \(f.uri(nil, "/contents")) HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET \(f.uri()) HTTP/1.1\r\nHost: x\r\n\r\n"
            let answer = try await RawSocket.exchange(port: client.port!, request, until: "\"BaseFileName\"")
            let content = try #require(answer.range(of: "CONTENT-FIRST"))
            let info = try #require(answer.range(of: "\"BaseFileName\""))
            #expect(content.lowerBound < info.lowerBound)
            #expect(answer.components(separatedBy: "HTTP/1.1 200").count == 3)
            #expect(box.answered == before)
        }
    }

    @Test(.disabled(if: onPostgres, "SQLite's cache feeds the lane"))
    func proofsAreCheckedOnTheLaneAndFailuresTakeTheRouter() async throws {
        let f = try await ServerFixture.make()
        let keys = ProofTestKeys()
        let (app, box) = app(f, editors: [.collabora: ["http://cool.test/hosting/discovery"]], fetcher: keys)
        let token = f.folio.issueToken(.file(f.file.id), userID: f.alice.id, role: .edit, editor: .collabora).token
        let uri = f.uri(token: token)
        try await app.test(.live) { client in
            func signed(_ key: _RSA.Signing.PrivateKey) -> HTTPFields {
                keys.proofHeaders(token: token, url: "http://folio.test" + uri, key: key)
            }
            let first = try await client.execute(uri: uri, method: .get, headers: signed(keys.current))
            #expect(first.status == .ok)
            #expect(box.answered == 0)
            let onLane = try await onTheLane(box) {
                try await client.execute(uri: uri, method: .get, headers: signed(keys.current))
            }
            #expect(onLane?.status == .ok)
            // Right after that: a stranger's key (the router refuses it), the old key only (the
            // router accepts it after a refetch; the lane does not), no proof at all.
            let before = box.answered
            var statuses: [Int] = []
            for headers in [signed(keys.stranger), signed(keys.old), HTTPFields()] {
                statuses.append(Int(try await client.execute(uri: uri, method: .get, headers: headers).status.code))
            }
            #expect(statuses == [500, 200, 500])
            #expect(box.answered == before)
        }
    }
}

/// An editor's discovery with proof keys made in the test, and its way of signing.
struct ProofTestKeys: DiscoveryFetching {
    let current = TestRSAKeys.key(0)
    let old = TestRSAKeys.key(1)
    let stranger = TestRSAKeys.key(2)

    func fetch(_ url: String) async throws -> Data {
        func numbers(_ key: _RSA.Signing.PrivateKey) -> (String, String) {
            let primitives = try! key.publicKey.getKeyPrimitives()
            return (primitives.modulus.base64EncodedString(), primitives.publicExponent.base64EncodedString())
        }
        let (n, e) = numbers(current)
        let (oldN, oldE) = numbers(old)
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <wopi-discovery><net-zone name="external-http">
            <app name="writer"><action name="edit" ext="docx" urlsrc="http://cool.test/edit?"/></app>
            </net-zone><proof-key modulus="\(n)" exponent="\(e)" oldmodulus="\(oldN)" oldexponent="\(oldE)"/>
            </wopi-discovery>
            """
        return Data(xml.utf8)
    }

    func proofHeaders(token: String, url: String, key: _RSA.Signing.PrivateKey) -> HTTPFields {
        let ticks = ProofValidator.ticks(fromUnixMicroseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
        let message = ProofValidator.message(token: token, url: url, timestampTicks: ticks)
        let signature = try! key.signature(for: Data(message), padding: .insecurePKCS1v1_5).rawRepresentation
        return headers(["X-WOPI-TimeStamp": String(ticks), "X-WOPI-Proof": signature.base64EncodedString()])
    }
}
