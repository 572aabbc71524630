import FolioCore
import FolioServer
import FolioStores
import FolioTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import FolioServer

/// Spaces in the web pages, on every kind of space (each on its real server when scripts/test's
/// spaces stage started it): who sees a space, its folders listed live from the storage, and
/// each action done in the storage itself. (The same pages in a real browser: tests/browser.)
@Suite struct SpacePagesTests {
    struct Fixture {
        let folio: Folio
        let space: any SpaceConnector
        let admin: User
        let alice: User
        let bob: User
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, publicURL: "http://folio.test")

        /// A space "docs" of `kind` holding /Reports/q3.docx; nobody holds a role on it yet.
        static func make(_ kind: SpaceKind) async throws -> Fixture {
            let space = try await kind.make()
            try await space.makeFolder(try SpacePath("/Reports"))
            _ = try await space.write(
                try SpacePath("/Reports/q3.docx"), content: spaceContent("quarter three"), condition: .absent)
            var logger = Logger(label: "folio-test")
            logger.logLevel = .critical
            let folio = try await DataFolder(path: try temporaryFolder() + "/data").open(
                database: try testDatabase(), openSpaces: [try Space(name: "docs", connector: space)], logger: logger)
            try await folio.loadSpaces()
            let admin = try await folio.addUser(login: "root", displayName: "Root", isAdmin: true, passwordHash: nil)
            let alice = try await folio.addUser(login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil)
            let bob = try await folio.addUser(login: "bob", displayName: "Bob", isAdmin: false, passwordHash: nil)
            return Fixture(folio: folio, space: space, admin: admin, alice: alice, bob: bob)
        }

        var app: some ApplicationProtocol {
            var logger = Logger(label: "folio-test")
            logger.logLevel = .critical
            return FolioApplication.make(folio: folio, configuration: configuration, logger: logger)
        }

        func signIn(_ user: User) async throws -> WebPagesTests.Browser {
            let (secret, session) = try await folio.startWebSession(for: user, expiresAt: nil)
            return WebPagesTests.Browser(cookie: "\(WebAuth.sessionCookie)=\(secret)", csrf: session.csrfToken)
        }

        func stored(_ path: String) async throws -> String? {
            let at = try SpacePath(path)
            guard try await space.stat(at) != nil else { return nil }
            return String(decoding: try await readSpace(space, at), as: UTF8.self)
        }

        func names(_ folder: String) async throws -> [String] {
            try await space.list(try SpacePath(folder)).map(\.path.name).sorted()
        }
    }

    static func at(_ path: String, _ action: String = "") -> String {
        "/spaces/docs\(action.isEmpty ? "" : "/" + action)?path=" + ActionURLTestEncoding.encode(path)
    }

    static func uploadHeaders(_ browser: WebPagesTests.Browser) -> HTTPFields {
        var headers = browser.headers
        headers[HTTPField.Name("X-CSRF-Token")!] = browser.csrf
        return headers
    }

    @Test(arguments: SpaceKind.allCases) func onlyThoseWithARoleSeeASpace(kind: SpaceKind) async throws {
        let f = try await Fixture.make(kind)
        let alice = try await f.signIn(f.alice)
        let bob = try await f.signIn(f.bob)
        try await f.folio.grantSpace("docs", to: f.alice, role: .view)
        try await f.app.test(.router) { client in
            let list = try await client.execute(uri: "/spaces", method: .get, headers: alice.headers)
            #expect(list.status == .ok && list.text.contains("data-space=\"docs\""))
            let none = try await client.execute(uri: "/spaces", method: .get, headers: bob.headers)
            #expect(none.status == .ok && !none.text.contains("data-space=\"docs\""))
            let root = try await client.execute(uri: "/spaces/docs", method: .get, headers: alice.headers)
            #expect(root.status == .ok && root.text.contains("data-name=\"Reports\""))
            let reports = try await client.execute(uri: Self.at("/Reports"), method: .get, headers: alice.headers)
            #expect(reports.status == .ok && reports.text.contains("data-name=\"q3.docx\""))
            // A viewer gets no upload, rename or delete.
            #expect(!reports.text.contains("id=\"upload\"") && !reports.text.contains("data-rename"))
            let refused = try await client.execute(uri: Self.at("/Reports"), method: .get, headers: bob.headers)
            #expect(refused.status == .forbidden && !refused.text.contains("q3.docx"))
            let download = try await client.execute(
                uri: Self.at("/Reports/q3.docx", "download"), method: .get, headers: bob.headers)
            #expect(download.status == .forbidden)
            // Everyone signed in: bob too, until it is taken back.
            try await f.folio.grantSpaceToEveryone("docs", role: .view)
            let now = try await client.execute(uri: Self.at("/Reports"), method: .get, headers: bob.headers)
            #expect(now.status == .ok && now.text.contains("q3.docx"))
            try await f.folio.grantSpaceToEveryone("docs", role: nil)
            let again = try await client.execute(uri: Self.at("/Reports"), method: .get, headers: bob.headers)
            #expect(again.status == .forbidden)
            // Paths are checked at the door.
            for bad in ["/../etc", "/Reports/%2e%2e", "Reports", "/a\\b"] {
                let answer = try await client.execute(uri: Self.at(bad), method: .get, headers: alice.headers)
                #expect(answer.status == .badRequest, "\(bad)")
            }
            let missing = try await client.execute(uri: Self.at("/Nowhere"), method: .get, headers: alice.headers)
            #expect(missing.status == .notFound)
        }
    }

    @Test(arguments: SpaceKind.allCases) func actionsHappenInTheStorage(kind: SpaceKind) async throws {
        let f = try await Fixture.make(kind)
        try await f.folio.grantSpace("docs", to: f.alice, role: .edit)
        let alice = try await f.signIn(f.alice)
        try await f.app.test(.router) { client in
            // Upload: the bytes go into the storage; a taken name gets a free one.
            let upload = Self.at("/Reports", "upload") + "&name=notes.txt"
            let uploaded = try await client.execute(
                uri: upload, method: .put, headers: Self.uploadHeaders(alice), body: ByteBuffer(string: "first"))
            #expect(uploaded.status == .created)
            #expect(try await f.stored("/Reports/notes.txt") == "first")
            let id = try #require(uploaded.json()["id"] as? String)
            let versions = try await f.folio.files.versions(fileID: id)
            #expect(versions.map(\.authorID) == [f.alice.id] && versions.map(\.source) == [.upload])
            let second = try await client.execute(
                uri: upload, method: .put, headers: Self.uploadHeaders(alice), body: ByteBuffer(string: "second"))
            #expect(second.json()["name"] as? String == "notes (2).txt")
            #expect(try await f.stored("/Reports/notes.txt") == "first")
            #expect(try await f.stored("/Reports/notes (2).txt") == "second")
            // Without the CSRF header nothing is written.
            let forged = try await client.execute(
                uri: Self.at("/Reports", "upload") + "&name=forged.txt", method: .put, headers: alice.headers,
                body: ByteBuffer(string: "x"))
            #expect(forged.status == .forbidden)
            #expect(try await f.stored("/Reports/forged.txt") == nil)

            // A new folder, then a new document from a template in it.
            var (headers, body) = alice.form(["name": "Drafts"])
            let folder = try await client.execute(
                uri: Self.at("/", "folders"), method: .post, headers: headers, body: body)
            #expect(folder.status == .seeOther && folder.headers[.location] == Self.at("/Drafts"))
            #expect(try await f.space.stat(try SpacePath("/Drafts"))?.isFolder == true)
            (headers, body) = alice.form(["name": "Plan", "template": "docx"])
            let made = try await client.execute(
                uri: Self.at("/Drafts", "new"), method: .post, headers: headers, body: body)
            #expect(made.status == .seeOther)
            let plan = try #require(try await f.space.stat(try SpacePath("/Drafts/Plan.docx")))
            #expect(plan.size == Int64(DocumentTemplate.docx.content?.count ?? -1))

            // Download streams what the storage holds now, even after a change made outside.
            let seen = try #require(try await f.space.stat(try SpacePath("/Reports/q3.docx")))
            _ = try await f.space.write(
                try SpacePath("/Reports/q3.docx"), content: spaceContent("changed outside"),
                condition: .matches(seen.tag))
            let download = try await client.execute(
                uri: Self.at("/Reports/q3.docx", "download"), method: .get, headers: alice.headers)
            #expect(download.status == .ok && download.text == "changed outside")
            #expect(download.headers[.contentDisposition]?.contains("q3.docx") == true)

            // Opening makes (or finds) the document's file and goes to its editor page.
            let open = try await client.execute(
                uri: Self.at("/Reports/q3.docx", "open") + "&action=edit", method: .get, headers: alice.headers)
            let file = try await f.folio.spaceFile(space: "docs", path: try SpacePath("/Reports/q3.docx"))
            #expect(open.status == .seeOther && open.headers[.location] == "/files/\(file.id)/edit")
            let history = try await client.execute(
                uri: Self.at("/Reports/q3.docx", "versions"), method: .get, headers: alice.headers)
            #expect(history.headers[.location] == "/files/\(file.id)/versions")
            let page = try await client.execute(
                uri: "/files/\(file.id)/versions", method: .get, headers: alice.headers)
            #expect(page.status == .ok && page.text.contains("href=\"\(Self.at("/Reports"))\""))

            // Rename: in the storage, the file keeps its id; a taken name is refused.
            (headers, body) = alice.form(["name": "q3 final.docx"])
            let renamed = try await client.execute(
                uri: Self.at("/Reports/q3.docx", "rename"), method: .post, headers: headers, body: body)
            #expect(renamed.status == .seeOther)
            #expect(try await f.names("/Reports") == ["notes (2).txt", "notes.txt", "q3 final.docx"])
            let moved = try await f.folio.spaceFile(space: "docs", path: try SpacePath("/Reports/q3 final.docx"))
            #expect(moved.id == file.id)
            (headers, body) = alice.form(["name": "notes.txt"])
            let taken = try await client.execute(
                uri: Self.at("/Reports/notes (2).txt", "rename"), method: .post, headers: headers, body: body)
            #expect(taken.status == .conflict)
            #expect(try await f.stored("/Reports/notes.txt") == "first")

            // Delete: refused while an editor holds the document, then done in the storage.
            _ = try await f.folio.files.applyLock(
                fileID: file.id, operation: .lock("editor-lock"), now: f.folio.now(),
                holder: LockHolder(userID: f.alice.id))
            (headers, body) = alice.form([:])
            let locked = try await client.execute(
                uri: Self.at("/Reports/q3 final.docx", "delete"), method: .post, headers: headers, body: body)
            #expect(locked.status == .conflict)
            #expect(try await f.stored("/Reports/q3 final.docx") == "changed outside")
            _ = try await f.folio.files.applyLock(
                fileID: file.id, operation: .unlock("editor-lock"), now: f.folio.now(),
                holder: LockHolder(userID: f.alice.id))
            let deleted = try await client.execute(
                uri: Self.at("/Reports/q3 final.docx", "delete"), method: .post, headers: headers, body: body)
            #expect(deleted.status == .seeOther)
            #expect(try await f.names("/Reports") == ["notes (2).txt", "notes.txt"])
            // Its file is in alice's trash with its versions, but cannot be restored into Folio.
            let trashed = try await f.folio.trash(of: f.alice)
            #expect(trashed.map(\.id) == [file.id])
            (headers, body) = alice.form([:])
            let restore = try await client.execute(
                uri: "/trash/file/\(file.id)/restore", method: .post, headers: headers, body: body)
            #expect(restore.status == .conflict)
        }
    }

    @Test(arguments: SpaceKind.allCases) func everyonesRoleReachesTheEditors(kind: SpaceKind) async throws {
        let f = try await Fixture.make(kind)
        let file = try await f.folio.spaceFile(space: "docs", path: try SpacePath("/Reports/q3.docx"))
        let token = f.folio.issueToken(.file(file.id), userID: f.bob.id, role: .edit).token
        let uri = "/wopi/files/\(file.id)?access_token=\(token)"
        try await f.app.test(.router) { client in
            #expect(try await client.execute(uri: uri, method: .get).status == .unauthorized)
            try await f.folio.grantSpaceToEveryone("docs", role: .view)
            let viewer = try await client.execute(uri: uri, method: .get)
            #expect(viewer.status == .ok && viewer.json()["UserCanWrite"] as? Bool == false)
            try await f.folio.grantSpaceToEveryone("docs", role: .edit)
            #expect(try await client.execute(uri: uri, method: .get).json()["UserCanWrite"] as? Bool == true)
            try await f.folio.grantSpaceToEveryone("docs", role: nil)
            #expect(try await client.execute(uri: uri, method: .get).status == .unauthorized)
        }
    }

    @Test func administratorsGiveRolesOnTheSpacesPage() async throws {
        let f = try await Fixture.make(.folder)
        let admin = try await f.signIn(f.admin)
        let alice = try await f.signIn(f.alice)
        try await f.app.test(.router) { client in
            let refused = try await client.execute(uri: "/admin/spaces", method: .get, headers: alice.headers)
            #expect(refused.status == .forbidden)
            let page = try await client.execute(uri: "/admin/spaces", method: .get, headers: admin.headers)
            #expect(page.status == .ok && page.text.contains("data-space=\"docs\""))
            var (headers, body) = admin.form(["login": "alice", "role": "edit"])
            let granted = try await client.execute(
                uri: "/admin/spaces/docs/grants", method: .post, headers: headers, body: body)
            #expect(granted.status == .ok && granted.text.contains("data-login=\"alice\""))
            #expect(try await f.folio.spaceRole(try f.folio.space(named: "docs"), user: f.alice) == .edit)
            (headers, body) = admin.form(["role": "comment"])
            _ = try await client.execute(
                uri: "/admin/spaces/docs/everyone", method: .post, headers: headers, body: body)
            #expect(try await f.folio.spaceRole(try f.folio.space(named: "docs"), user: f.bob) == .comment)
            // An unknown user, a space's own account and a forged form change nothing.
            for login in ["nobody", "space:docs"] {
                (headers, body) = admin.form(["login": login, "role": "edit"])
                let answer = try await client.execute(
                    uri: "/admin/spaces/docs/grants", method: .post, headers: headers, body: body)
                #expect(answer.text.contains("class=\"error\""), "\(login)")
            }
            let forged = try await client.execute(
                uri: "/admin/spaces/docs/everyone", method: .post,
                headers: WebPagesTests.fields([
                    "Cookie": admin.cookie, "Content-Type": "application/x-www-form-urlencoded",
                ]), body: ByteBuffer(string: "role=edit&csrf=wrong"))
            #expect(forged.status == .forbidden)
            #expect(try await f.folio.spaceRole(try f.folio.space(named: "docs"), user: f.bob) == .comment)
            (headers, body) = admin.form(["login": "alice", "role": "none"])
            _ = try await client.execute(uri: "/admin/spaces/docs/grants", method: .post, headers: headers, body: body)
            #expect(try await f.folio.spaceRole(try f.folio.space(named: "docs"), user: f.alice) == .comment)
            // Grants on a space are not "shared with me" folders; Folio's bookkeeping folders
            // lead to the space.
            try await f.folio.grantSpace("docs", to: f.alice, role: .view)
            let shared = try await client.execute(uri: "/shared", method: .get, headers: alice.headers)
            #expect(shared.status == .ok && !shared.text.contains("/browse/"))
            let file = try await f.folio.spaceFile(space: "docs", path: try SpacePath("/Reports/q3.docx"))
            let inner = try await client.execute(uri: "/browse/\(file.folderID)", method: .get, headers: alice.headers)
            #expect(inner.status == .seeOther && inner.headers[.location] == "/spaces/docs")
        }
    }
}
