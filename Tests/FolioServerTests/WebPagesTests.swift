import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import FolioServer

/// The web pages over HTTP: sign-in, CSRF, uploads, the trash, sharing. (The same pages in a
/// real browser: tests/browser.)
@Suite struct WebPagesTests {
    /// A signed-in browser: its cookie and CSRF token.
    struct Browser {
        var cookie: String
        var csrf: String
        var headers: HTTPFields { WebPagesTests.fields(["Cookie": cookie]) }
        func form(_ pairs: [String: String]) -> (HTTPFields, ByteBuffer) {
            var all = pairs
            all["csrf"] = csrf
            let body = all.map { "\($0.key)=\(ActionURLTestEncoding.encode($0.value))" }.joined(separator: "&")
            var headers = self.headers
            headers[.contentType] = "application/x-www-form-urlencoded"
            return (headers, ByteBuffer(string: body))
        }
    }

    static func fields(_ pairs: [String: String]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields[HTTPField.Name(name)!] = value }
        return fields
    }

    func signIn(_ f: ServerFixture, _ user: User) async throws -> Browser {
        let (secret, session) = try await f.folio.startWebSession(for: user, expiresAt: nil)
        return Browser(cookie: "\(WebAuth.sessionCookie)=\(secret)", csrf: session.csrfToken)
    }

    @Test func signInChecksThePasswordAndSetsASessionCookie() async throws {
        let f = try await ServerFixture.make()
        let hash = try PasswordHasher.hash("correct horse")
        _ = try await f.folio.accounts.updateUser(
            id: f.alice.id, displayName: nil, isAdmin: nil, isDisabled: nil, passwordHash: .some(hash), language: nil)
        try await f.app.test(.router) { client in
            let wrong = try await client.execute(
                uri: "/login", method: .post,
                headers: Self.fields(["Content-Type": "application/x-www-form-urlencoded"]),
                body: ByteBuffer(string: "login=alice&password=nope"))
            #expect(wrong.status == .unauthorized && wrong.headers[.setCookie] == nil)
            let right = try await client.execute(
                uri: "/login", method: .post,
                headers: Self.fields(["Content-Type": "application/x-www-form-urlencoded"]),
                body: ByteBuffer(string: "login=alice&password=correct%20horse&next=/browse"))
            #expect(right.status == .seeOther && right.headers[.location] == "/browse")
            let cookie = try #require(right.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            let page = try await client.execute(
                uri: "/browse", method: .get, headers: Self.fields(["Cookie": String(cookie.prefix { $0 != ";" })]))
            #expect(page.status == .ok && page.text.contains("doc.docx") == false)
            // Never off to another site after signing in ("/\\host" is "//host" to browsers).
            for next in ["//evil.test/x", "/\\evil.test/x", "https://evil.test/"] {
                let away = try await client.execute(
                    uri: "/login", method: .post,
                    headers: Self.fields(["Content-Type": "application/x-www-form-urlencoded"]),
                    body: ByteBuffer(
                        string: "login=alice&password=correct%20horse&next=" + ActionURLTestEncoding.encode(next)))
                #expect(away.headers[.location] == "/browse", "\(next)")
            }
            // Not signed in: to the sign-in page, coming back afterwards.
            let anonymous = try await client.execute(uri: "/browse/\(f.alice.rootFolderID)", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location]?.hasPrefix("/login?next=") == true)
        }
    }

    @Test func formsWithoutTheCSRFTokenChangeNothing() async throws {
        let f = try await ServerFixture.make()
        let browser = try await signIn(f, f.alice)
        try await f.app.test(.router) { client in
            var (headers, body) = browser.form(["name": "New"])
            let forged = ByteBuffer(string: "name=New&csrf=wrong")
            let refused = try await client.execute(
                uri: "/browse/\(f.alice.rootFolderID)/folders", method: .post, headers: headers, body: forged)
            #expect(refused.status == .forbidden)
            #expect(try await f.folio.files.nameExists(inFolder: f.alice.rootFolderID, name: "New") == false)
            let made = try await client.execute(
                uri: "/browse/\(f.alice.rootFolderID)/folders", method: .post, headers: headers, body: body)
            #expect(made.status == .seeOther)
            #expect(try await f.folio.files.nameExists(inFolder: f.alice.rootFolderID, name: "New"))
            // Uploads carry the token in a header.
            let upload = "/browse/\(f.alice.rootFolderID)/upload?name=notes.txt"
            let noToken = try await client.execute(
                uri: upload, method: .put, headers: browser.headers, body: ByteBuffer(string: "hello"))
            #expect(noToken.status == .forbidden)
            headers = browser.headers
            headers[HTTPField.Name("X-CSRF-Token")!] = browser.csrf
            let uploaded = try await client.execute(
                uri: upload, method: .put, headers: headers, body: ByteBuffer(string: "hello"))
            #expect(uploaded.status == .created)
            let id = try #require(uploaded.json()["id"] as? String)
            #expect(try await f.read(id) == "hello")
            // A second file of the same name gets a free name; nothing is overwritten.
            let again = try await client.execute(
                uri: upload, method: .put, headers: headers, body: ByteBuffer(string: "again"))
            #expect(again.json()["name"] as? String == "notes (2).txt")
            (headers, body) = browser.form([:])
            _ = body
        }
    }

    @Test func othersSeeNothingTheyHaveNoRoleOn() async throws {
        let f = try await ServerFixture.make()
        let bob = try await signIn(f, f.bob)
        try await f.app.test(.router) { client in
            let folder = try await client.execute(
                uri: "/browse/\(f.file.folderID)", method: .get, headers: bob.headers)
            #expect(folder.status == .forbidden && !folder.text.contains("doc.docx"))
            let (headers, body) = bob.form(["name": "stolen"])
            let rename = try await client.execute(
                uri: "/items/file/\(f.file.id)/rename", method: .post, headers: headers, body: body)
            #expect(rename.status == .forbidden)
            #expect(try await f.folio.files.file(id: f.file.id)?.name == "doc.docx")
            let versions = try await client.execute(
                uri: "/files/\(f.file.id)/versions", method: .get, headers: bob.headers)
            #expect(versions.status == .forbidden)
        }
    }

    @Test func trashRestoreAndVersionRestoreOverHTTP() async throws {
        let f = try await ServerFixture.make()
        let alice = try await signIn(f, f.alice)
        let session = try await f.folio.fileAccess(f.file.id, user: f.alice)
        _ = try await f.folio.lock(.lock("L"), session: session)
        _ = try await f.folio.saveContent(
            BufferSequence([ByteBuffer(string: "second")]), expectedSize: 6, session: session,
            conditions: WriteConditions(lock: .wopi("L")), source: .wopi, flags: .init(), editors: [])
        _ = try await f.folio.lock(.unlock("L"), session: session)
        try await f.app.test(.router) { client in
            var (headers, body) = alice.form([:])
            let restored = try await client.execute(
                uri: "/files/\(f.file.id)/versions/1/restore", method: .post, headers: headers, body: body)
            #expect(restored.status == .seeOther)
            let versions = try await f.folio.files.versions(fileID: f.file.id)
            #expect(versions.map(\.source) == [.upload, .wopi, .restore])
            #expect(try await f.read(f.file.id) == "hello")
            let page = try await client.execute(
                uri: "/files/\(f.file.id)/versions", method: .get, headers: alice.headers)
            #expect(page.text.components(separatedBy: "data-version=").count == 4)
            (headers, body) = alice.form(["back": "/browse"])
            _ = try await client.execute(
                uri: "/items/file/\(f.file.id)/delete", method: .post, headers: headers, body: body)
            #expect(try await f.folio.files.file(id: f.file.id) == nil)
            let trash = try await client.execute(uri: "/trash", method: .get, headers: alice.headers)
            #expect(trash.text.contains("doc.docx"))
            (headers, body) = alice.form([:])
            _ = try await client.execute(
                uri: "/trash/file/\(f.file.id)/restore", method: .post, headers: headers, body: body)
            #expect(try await f.folio.files.file(id: f.file.id)?.version == 3)
        }
    }

    @Test func linksLetGuestsInUntilRevoked() async throws {
        let f = try await ServerFixture.make()
        let alice = try await signIn(f, f.alice)
        try await f.app.test(.router) { client in
            var (headers, body) = alice.form(["role": "edit", "password": "open sesame"])
            _ = try await client.execute(
                uri: "/share/file/\(f.file.id)/links", method: .post, headers: headers, body: body)
            let link = try #require(try await f.folio.sharing.links(resourceID: f.file.id).first)
            let form = Self.fields(["Content-Type": "application/x-www-form-urlencoded"])
            let wrong = try await client.execute(
                uri: "/s/\(link.id)", method: .post, headers: form, body: ByteBuffer(string: "name=Eve&password=no"))
            #expect(wrong.status == .ok && wrong.headers[.setCookie] == nil && wrong.text.contains("Wrong password"))
            let joined = try await client.execute(
                uri: "/s/\(link.id)", method: .post, headers: form,
                body: ByteBuffer(string: "name=Visitor&password=open+sesame"))
            #expect(joined.status == .seeOther && joined.headers[.location] == "/files/\(f.file.id)/edit")
            let guestCookie = try #require(joined.headers[.setCookie]).prefix { $0 != ";" }
            let guest = try #require(try await f.folio.webSession(secret: String(guestCookie.split(separator: "=")[1])))
            #expect(guest.1.isGuest && guest.1.displayName == "Visitor")
            let token = f.folio.issueToken(.file(f.file.id), userID: guest.1.id, role: .edit).token
            let info = try await client.execute(uri: f.uri(token: token), method: .get)
            #expect(
                info.json()["IsAnonymousUser"] as? Bool == true
                    && info.json()["UserFriendlyName"] as? String == "Visitor")
            (headers, body) = alice.form([:])
            _ = try await client.execute(
                uri: "/share/links/\(link.id)/revoke", method: .post, headers: headers, body: body)
            #expect(try await client.execute(uri: f.uri(token: token), method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/s/\(link.id)", method: .get).status == .notFound)
        }
    }

    @Test func getShareUrlGivesALinkOfTheAskedKind() async throws {
        let f = try await ServerFixture.make()
        try await f.app.test(.router) { client in
            func ask(_ type: String, token: String? = nil) async throws -> TestResponse {
                try await client.execute(
                    uri: f.uri(token: token), method: .post,
                    headers: Self.fields(["X-WOPI-Override": "GET_SHARE_URL", "X-WOPI-UrlType": type]))
            }
            let readOnly = try await ask("ReadOnly")
            let url = try #require(readOnly.json()["ShareUrl"] as? String)
            #expect(url.hasPrefix("http://folio.test/s/"))
            #expect(try await ask("ReadOnly").json()["ShareUrl"] as? String == url)
            let links = try await f.folio.sharing.links(resourceID: f.file.id)
            #expect(links.map(\.role) == [.view])
            #expect(try await ask("ReadWrite").json()["ShareUrl"] as? String != url)
            #expect(try await ask("Anonymous").status == .notImplemented)
            try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .view)
            #expect(try await ask("ReadOnly", token: f.token(user: f.bob, role: .view)).status == .forbidden)
        }
    }

    @Test func disabledUsersLoseTheirTokensAtOnce() async throws {
        let f = try await ServerFixture.make()
        let admin = try await f.folio.addUser(login: "root", displayName: "Root", isAdmin: true, passwordHash: nil)
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .edit)
        let token = f.token(user: f.bob)
        try await f.app.test(.router) { client in
            #expect(try await client.execute(uri: f.uri(token: token), method: .get).status == .ok)
            try await f.folio.setDisabled(true, userID: f.bob.id, by: admin)
            #expect(try await client.execute(uri: f.uri(token: token), method: .get).status == .unauthorized)
            await #expect(throws: FolioError.self) {
                try await f.folio.setDisabled(true, userID: admin.id, by: f.alice)
            }
        }
    }
}

/// Form encoding for test bodies.
enum ActionURLTestEncoding {
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
