import AsyncHTTPClient
import FolioCore
import FolioSQLite
import FolioSpaces
import FolioTestSupport
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What only a WebDAV space has, against the real server tests/spaces/webdav.sh starts (Apache
/// mod_dav): native locks seen by another WebDAV client, a wrong password, a server that stops,
/// names that must be percent-encoded. Skipped when FOLIO_TEST_WEBDAV_URL is not set.
@Suite(.enabled(if: webdavTestURL != nil, "FOLIO_TEST_WEBDAV_URL is not set (tests/spaces/webdav.sh sets it)"))
struct WebDAVConnectorTests {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static func space() async throws -> WebDAVConnector { try await freshWebDAVSpace(webdavTestURL!) }

    static func isLockedElsewhere(_ error: any Error) -> Bool {
        if case SpaceError.lockedElsewhere = error { return true }
        return false
    }

    /// 401 said plainly, without the (wrong) password of aWrongPasswordIsAClearErrorWithoutThePassword.
    static func isRefusedUser(_ error: any Error) -> Bool {
        "\(error)".contains("401") && !"\(error)".contains("not-the-password-4711")
    }

    /// Another WebDAV client (a desktop client, say): plain requests with the test user.
    struct OtherClient {
        let authorization: String

        init() throws {
            let url = try #require(URLComponents(string: webdavTestURL!))
            authorization = "Basic " + Data("\(url.user ?? ""):\(url.password ?? "")".utf8).base64EncodedString()
        }

        func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil)
            async throws -> (status: Int, headers: HTTPHeaders, body: String)
        {
            var request = HTTPClientRequest(url: url)
            request.method = method
            request.headers.add(name: "authorization", value: authorization)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            let text = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), response.headers, String(buffer: text))
        }

        /// An exclusive lock as a desktop client takes it; its token.
        func lock(_ url: String, owner: String) async throws -> String {
            let body = """
                <?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/>\
                </D:lockscope><D:locktype><D:write/></D:locktype><D:owner>\(owner)</D:owner></D:lockinfo>
                """
            let answer = try await send(.LOCK, url, headers: [("timeout", "Second-60"), ("depth", "0")], body: body)
            #expect(answer.status == 200 || answer.status == 201, "LOCK by the other client: \(answer.status)")
            return try #require(answer.headers.first(name: "lock-token")).trimmingCharacters(
                in: CharacterSet(charactersIn: "<>"))
        }
    }

    @Test func folioLockKeepsOtherClientsOutButNotFolio() async throws {
        let space = try await Self.space()
        #expect(space.hasNativeLocks)
        let path = try SpacePath("/Budget 2027.xlsx")
        let first = try await space.write(path, content: spaceContent("v1"), condition: .absent)
        let other = try OtherClient()
        let url = space.location.url(path)

        let lock = try await space.lock(path, seconds: 120)
        #expect(!lock.token.isEmpty)
        #expect(lock.expiresAt > Int64(Date().timeIntervalSince1970 * 1_000_000) + 100_000_000)
        // The other client is refused while Folio holds the lock...
        #expect(try await other.send(.PUT, url, body: "theirs").status == 423)
        #expect(try await other.send(.DELETE, url).status == 423)
        // ...and Folio's own writes carry the token, several in a row.
        var entry = try await space.write(path, content: spaceContent("v2"), condition: .matches(first.tag))
        entry = try await space.write(path, content: spaceContent("v3"), condition: .matches(entry.tag))
        #expect(try await readSpace(space, path) == Array("v3".utf8))
        // A stale tag is still refused under Folio's own lock.
        await expectFailure(Failed.changed) {
            _ = try await space.write(path, content: spaceContent("stale"), condition: .matches(first.tag))
        }
        // The other client sees who holds it.
        let seen = try await other.send(
            .PROPFIND, url, headers: [("depth", "0")],
            body: #"<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:lockdiscovery/></D:prop></D:propfind>"#)
        #expect(seen.body.contains(lock.token) && seen.body.contains("Folio"))

        let refreshed = try await space.refresh(path, lock: lock, seconds: 300)
        #expect(refreshed.token == lock.token && refreshed.expiresAt > lock.expiresAt)
        #expect(try await other.send(.PUT, url, body: "theirs").status == 423)
        entry = try await space.write(path, content: spaceContent("v4"), condition: .matches(entry.tag))

        try await space.unlock(path, lock: refreshed)
        // Given back: the other client writes again, and a second unlock is no error.
        let put = try await other.send(.PUT, url, body: "theirs")
        #expect(put.status == 204 || put.status == 201)
        try await space.unlock(path, lock: refreshed)
        // Folio's tag is stale now: the other client's change is never overwritten.
        await expectFailure(Failed.changed) {
            _ = try await space.write(path, content: spaceContent("v5"), condition: .matches(entry.tag))
        }
        #expect(try await readSpace(space, path) == Array("theirs".utf8))
    }

    @Test func anotherClientsLockIsLockedElsewhere() async throws {
        let space = try await Self.space()
        let path = try SpacePath("/report.docx")
        let written = try await space.write(path, content: spaceContent("text"), condition: .absent)
        let other = try OtherClient()
        let url = space.location.url(path)
        let token = try await other.lock(url, owner: "Alice on her desktop")

        await expectFailure(Self.isLockedElsewhere) { _ = try await space.lock(path, seconds: 60) }
        do {
            _ = try await space.lock(path, seconds: 60)
            Issue.record("Folio took a lock another client holds")
        } catch SpaceError.lockedElsewhere(_, let owner) {
            #expect(owner.contains("Alice on her desktop"))
        }
        // Folio's writes, moves and deletes wait for no one and change nothing.
        await expectFailure(Self.isLockedElsewhere) {
            _ = try await space.write(path, content: spaceContent("folio"), condition: .matches(written.tag))
        }
        await expectFailure(Self.isLockedElsewhere) {
            _ = try await space.move(path, to: try SpacePath("/moved.docx"), tag: written.tag)
        }
        await expectFailure(Self.isLockedElsewhere) { try await space.delete(path, tag: written.tag) }
        #expect(try await readSpace(space, path) == Array("text".utf8))

        #expect(try await other.send(.UNLOCK, url, headers: [("lock-token", "<\(token)>")]).status == 204)
        let lock = try await space.lock(path, seconds: 60)
        try await space.unlock(path, lock: lock)
    }

    @Test func aLockLostToAnotherClientIsTakenAgainOrRefused() async throws {
        let space = try await Self.space()
        let path = try SpacePath("/notes.odt")
        var entry = try await space.write(path, content: spaceContent("one"), condition: .absent)
        let other = try OtherClient()
        let url = space.location.url(path)
        let lock = try await space.lock(path, seconds: 60)
        // An administrator breaks Folio's lock (the token is in the lock discovery for all to see).
        #expect(try await other.send(.UNLOCK, url, headers: [("lock-token", "<\(lock.token)>")]).status == 204)
        // Folio's next save finds its token refused, and saves under a lock of its own.
        entry = try await space.write(path, content: spaceContent("two"), condition: .matches(entry.tag))
        #expect(try await readSpace(space, path) == Array("two".utf8))
        // Refreshing a lost lock takes a new one while no one else has it...
        let again = try await space.refresh(path, lock: lock, seconds: 60)
        #expect(again.token != lock.token)
        #expect(try await other.send(.PUT, url, body: "theirs").status == 423)
        #expect(try await other.send(.UNLOCK, url, headers: [("lock-token", "<\(again.token)>")]).status == 204)
        // ...and is lockedElsewhere when someone else has.
        let theirs = try await other.lock(url, owner: "Bob")
        await expectFailure(Self.isLockedElsewhere) { _ = try await space.refresh(path, lock: again, seconds: 60) }
        #expect(try await other.send(.UNLOCK, url, headers: [("lock-token", "<\(theirs)>")]).status == 204)
    }

    @Test func racingCreatorsHaveOneWinner() async throws {
        let space = try await Self.space()
        let path = try SpacePath("/new.docx")
        let winners = try await withThrowingTaskGroup(of: Int?.self) { group in
            for n in 0..<8 {
                group.addTask {
                    do {
                        _ = try await space.write(path, content: spaceContent("creator \(n)"), condition: .absent)
                        return n
                    } catch let error where Failed.changed(error) {
                        return nil
                    }
                }
            }
            var winners: [Int] = []
            for try await winner in group { if let winner { winners.append(winner) } }
            return winners
        }
        #expect(winners.count == 1)
        #expect(try await readSpace(space, path) == Array("creator \(winners.first ?? -1)".utf8))
        #expect(try await space.list(.root).map(\.path) == [path])
        // A document is no folder to list.
        await expectFailure(Failed.missing) { _ = try await space.list(path) }
    }

    @Test func aWrongPasswordIsAClearErrorWithoutThePassword() async throws {
        let good = try #require(URLComponents(string: webdavTestURL!))
        var bad = good
        bad.password = "not-the-password-4711"
        let location = try WebDAVLocation("webdav:" + bad.string!)
        #expect(!location.description.contains("not-the-password-4711"))
        #expect(location.description.contains(good.user ?? "?"))
        do {
            _ = try await WebDAVConnector.connect(location)
            Issue.record("a wrong password was accepted")
        } catch let error as FolioError {
            guard case .storage(let message) = error else {
                Issue.record("a wrong password gave \(error)")
                return
            }
            #expect(message.contains("401") && message.contains("password is wrong"), "\(message)")
            #expect(!message.contains("not-the-password-4711") && !message.contains(good.password ?? "?"))
        }
        // A connector made without asking the server says it at the first call.
        let unchecked = WebDAVConnector(location: location, hasNativeLocks: true)
        await expectFailure(Self.isRefusedUser) {
            _ = try await unchecked.stat(try SpacePath("/x.txt"))
        }
    }

    @Test func locationsKeepPasswordsOut() throws {
        let location = try WebDAVLocation("webdav:https://ann:s%40cret@dav.example.com:8443/remote.php/dav/files/ann")
        #expect(location.user == "ann")
        #expect(location.description == "webdav:https://ann@dav.example.com:8443/remote.php/dav/files/ann/")
        #expect(
            location.url(try SpacePath("/a b/c#d?.txt"))
                == "https://dav.example.com:8443/remote.php/dav/files/ann/a%20b/c%23d%3F.txt")
        do {
            _ = try WebDAVLocation("webdav:ftp://ann:hunter2@dav.example.com/")
            Issue.record("an ftp location was accepted")
        } catch {
            #expect(!"\(error)".contains("hunter2") && "\(error)".contains("ann:***@"))
        }
    }

    @Test func awkwardNamesArePercentEncodedAndLandAsThemselves() async throws {
        let space = try await Self.space()
        let names = [
            "a b.txt", "hash#tag.docx", "what?.xlsx", "plus+and&amp.odt", "日本語 ファイル.pptx", "Ünïcödé ß.txt",
            "semi;colon=equals,comma'quote [1].txt", "100% sure.txt".replacingOccurrences(of: "%", with: "pct"),
            "~tilde @at $dollar !bang (paren).txt",
        ]
        try await space.makeFolder(try SpacePath("/Folder with space & #"))
        for name in names {
            let path = try SpacePath("/Folder with space & #/" + name)
            let written = try await space.write(path, content: spaceContent(name), condition: .absent)
            #expect(try await space.stat(path)?.tag == written.tag, "\(name)")
            #expect(try await readSpace(space, path) == Array(name.utf8), "\(name)")
        }
        let listed = try await space.list(try SpacePath("/Folder with space & #"))
        #expect(Set(listed.map(\.path.name)) == Set(names))
        // On disk (when the script says where): every name exactly as given, nothing else.
        if let dir = Self.environment["FOLIO_TEST_WEBDAV_DIR"] {
            let collection = try #require(space.location.basePath.split(separator: "/").last)
            let folder = dir + "/" + collection + "/Folder with space & #"
            // .DAV is mod_dav_fs's own bookkeeping (lock-null resources, dead properties).
            let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != ".DAV" }
            #expect(Set(onDisk.map { $0.precomposedStringWithCanonicalMapping }) == Set(names))
            for name in names {
                #expect(FileManager.default.contents(atPath: folder + "/" + name) == Data(name.utf8), "\(name)")
            }
        }
        // A move between awkward names.
        let from = try SpacePath("/Folder with space & #/hash#tag.docx")
        let entry = try #require(try await space.stat(from))
        let moved = try await space.move(from, to: try SpacePath("/moved?#&+.docx"), tag: entry.tag)
        #expect(try await readSpace(space, moved.path) == Array("hash#tag.docx".utf8))
    }

    /// A second Apache, started for this test alone (FOLIO_TEST_WEBDAV_SPARE_URL and _PID), is
    /// stopped under a connector that has used it: calls fail as `unavailable`, within seconds.
    @Test func aStoppedServerIsUnavailableWithinSeconds() async throws {
        guard let url = Self.environment["FOLIO_TEST_WEBDAV_SPARE_URL"],
            let pid = Self.environment["FOLIO_TEST_WEBDAV_SPARE_PID"].flatMap({ pid_t($0) })
        else {
            Issue.record(
                "FOLIO_TEST_WEBDAV_SPARE_URL and FOLIO_TEST_WEBDAV_SPARE_PID are not set (webdav.sh sets them)")
            return
        }
        let space = try await freshWebDAVSpace(url)
        let path = try SpacePath("/doc.txt")
        let written = try await space.write(path, content: spaceContent("before"), condition: .absent)
        #expect(kill(pid, SIGTERM) == 0)
        let clock = ContinuousClock()
        let started = clock.now
        var unavailableAfter: Duration?
        while clock.now - started < .seconds(25) {
            let call = clock.now
            do {
                _ = try await space.write(path, content: spaceContent("after"), condition: .matches(written.tag))
                try await Task.sleep(for: .milliseconds(100))
            } catch FolioError.unavailable(let message) {
                // A write makes two requests (its short lock, then the PUT); an unanswered
                // connection waits for the 5 s connect timeout each. Still no hang.
                #expect(clock.now - call < .seconds(20), "one call took \(clock.now - call)")
                #expect(!message.contains(URLComponents(string: url)?.password ?? "?"))
                unavailableAfter = clock.now - started
                break
            }
        }
        let after = try #require(unavailableAfter, "the connector never said unavailable")
        #expect(after < .seconds(12))
        // With the port closed, AsyncHTTPClient tries to connect again until its connect
        // timeout (5 s): each call fails within that.
        for call in ["stat", "read", "list"] {
            let began = clock.now
            await expectFailure(Failed.unavailable, call) {
                switch call {
                case "stat": _ = try await space.stat(path)
                case "read": _ = try await readSpace(space, path)
                default: _ = try await space.list(.root)
                }
            }
            #expect(clock.now - began < .seconds(8), "\(call) took \(clock.now - began)")
        }
    }
}

/// Folio holding a WebDAV lock while an editor holds the WOPI lock, seen by another client.
@Suite(.enabled(if: webdavTestURL != nil, "FOLIO_TEST_WEBDAV_URL is not set (tests/spaces/webdav.sh sets it)"))
struct WebDAVSpaceLockTests {
    struct Fixture {
        let folio: Folio
        let session: FileSession
        let url: String
        let folder: DataFolder
        let connector: WebDAVConnector

        /// A second Folio process on the same database and WebDAV space: its own connector
        /// with its own lock tokens, as another process has. Its session is alice's.
        func secondProcess() async throws -> (Folio, FileSession) {
            var logger = Logger(label: "folio-test")
            logger.logLevel = .critical
            let other = WebDAVConnector(location: connector.location, hasNativeLocks: true, tokens: WebDAVLockTokens())
            let folio = try folder.folio(
                store: try SQLiteMetadataStore(path: folder.databasePath), settings: .init(),
                spaces: [try Space(name: "dav", connector: other)], logger: logger)
            try await folio.loadSpaces()
            return (folio, try await folio.fileAccess(session.file.id, user: session.user))
        }
    }

    static func fixture() async throws -> Fixture {
        let connector = try await WebDAVConnectorTests.space()
        let path = try SpacePath("/doc.docx")
        _ = try await connector.write(path, content: spaceContent("original"), condition: .absent)
        let folder = DataFolder(path: try temporaryFolder())
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        let folio = try folder.folio(
            store: try SQLiteMetadataStore(path: folder.databasePath), settings: .init(),
            spaces: [try Space(name: "dav", connector: connector)], logger: logger)
        let alice = try await folio.addUser(login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil)
        let file = try await folio.spaceFile(space: "dav", path: path)
        try await folio.sharing.setGrant(resourceID: file.id, userID: alice.id, role: .edit)
        return Fixture(
            folio: folio, session: try await folio.fileAccess(file.id, user: alice), url: connector.location.url(path),
            folder: folder, connector: connector)
    }

    @Test func everyFolioProcessSavesRenewsAndReleasesUnderTheStorageLock() async throws {
        let f = try await Self.fixture()
        let (second, session) = try await f.secondProcess()
        let other = try WebDAVConnectorTests.OtherClient()
        _ = try await f.folio.lock(.lock("L1"), session: f.session)
        #expect(try await other.send(.PUT, f.url, body: "from the desktop").status == 423)
        // The editor's next requests reach the other process: it saves under the same lock.
        _ = try await second.saveContent(
            Chunks("saved through the second"), expectedSize: 24, session: session,
            conditions: WriteConditions(lock: .wopi("L1")))
        #expect(try await other.send(.GET, f.url).body == "saved through the second")
        _ = try await second.lock(.refresh("L1"), session: session)
        #expect(try await other.send(.PUT, f.url, body: "from the desktop").status == 423)
        // And back on the first, then released by the second: the desktop may write again.
        let again = try await f.folio.fileAccess(f.session.file.id, user: f.session.user)
        _ = try await f.folio.saveContent(
            Chunks("saved through the first"), expectedSize: 23, session: again,
            conditions: WriteConditions(lock: .wopi("L1")))
        #expect(try await other.send(.GET, f.url).body == "saved through the first")
        _ = try await second.lock(.unlock("L1"), session: session)
        #expect(try await second.spaceDocs.spaceDocument(fileID: session.file.id)?.storageLock == nil)
        #expect((200..<300).contains(try await other.send(.PUT, f.url, body: "from the desktop").status))
    }

    @Test func anEditorsLockIsHeldInTheStorageToo() async throws {
        let f = try await Self.fixture()
        let other = try WebDAVConnectorTests.OtherClient()
        _ = try await f.folio.lock(.lock("L1"), session: f.session)
        #expect(try await other.send(.PUT, f.url, body: "from the desktop").status == 423)
        // The editor's own saves go through the lock Folio holds.
        _ = try await f.folio.saveContent(
            Chunks("saved by the editor"), expectedSize: 19, session: f.session,
            conditions: WriteConditions(lock: .wopi("L1")))
        _ = try await f.folio.lock(.refresh("L1"), session: f.session)
        #expect(try await other.send(.PUT, f.url, body: "from the desktop").status == 423)
        #expect(try await other.send(.GET, f.url).body == "saved by the editor")
        _ = try await f.folio.lock(.unlock("L1"), session: f.session)
        #expect((200..<300).contains(try await other.send(.PUT, f.url, body: "from the desktop").status))
    }

    static func isStorageLockConflict(_ error: any Error) -> Bool {
        guard case FolioError.lockConflict(_, let reason) = error else { return false }
        return reason.contains("locked in dav's storage") && reason.contains("Desk Top")
    }

    @Test func anotherClientsStorageLockRefusesTheEditor() async throws {
        let f = try await Self.fixture()
        let other = try WebDAVConnectorTests.OtherClient()
        _ = try await other.lock(f.url, owner: "Desk Top")
        await expectFailure(Self.isStorageLockConflict) { _ = try await f.folio.lock(.lock("L2"), session: f.session) }
        // Folio's own lock was undone with it.
        #expect(try await f.folio.files.currentLock(fileID: f.session.file.id, now: f.folio.now()) == nil)
    }
}
