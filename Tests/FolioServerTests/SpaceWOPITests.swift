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
import WOPI

@testable import FolioServer

/// WOPI on a document of a space of every kind (each on its real server when scripts/test's
/// spaces stage started it): saves land in the storage, a change made outside is taken in, and
/// a save over such a change becomes a conflict copy instead of overwriting it.
@Suite struct SpaceWOPITests {
    struct Fixture {
        let folio: Folio
        let space: any SpaceConnector
        let alice: User
        let file: StoredFile
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, publicURL: "http://folio.test")
        static let document = try! SpacePath("/Reports/q3.docx")

        /// A space of `kind` (its real server when scripts/test started one) holding
        /// /Reports/q3.docx, opened once so it has its file.
        static func make(_ kind: SpaceKind, content: String = "original", history: Space.History = .keep)
            async throws -> Fixture
        {
            let space = try await kind.make()
            try await space.makeFolder(document.parent)
            _ = try await space.write(document, content: spaceContent(content), condition: .absent)
            var logger = Logger(label: "folio-test")
            logger.logLevel = .critical
            let folio = try await DataFolder(path: try temporaryFolder() + "/data").open(
                database: try testDatabase(), openSpaces: [try Space(name: "docs", connector: space, history: history)],
                logger: logger)
            try await folio.loadSpaces()
            let alice = try await folio.addUser(login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil)
            let file = try await folio.spaceFile(space: "docs", path: document)
            try await folio.sharing.setGrant(resourceID: file.id, userID: alice.id, role: .edit)
            return Fixture(folio: folio, space: space, alice: alice, file: file)
        }

        var app: some ApplicationProtocol {
            var logger = Logger(label: "folio-test")
            logger.logLevel = .critical
            return FolioApplication.make(folio: folio, configuration: configuration, logger: logger)
        }

        func uri(_ suffix: String = "") -> String {
            let token = folio.issueToken(.file(file.id), userID: alice.id, role: .edit).token
            return "/wopi/files/\(file.id)\(suffix)?access_token=\(token)"
        }

        /// What the storage itself holds.
        func stored(_ path: SpacePath = document) async throws -> String {
            String(decoding: try await readSpace(space, path), as: UTF8.self)
        }

        /// Another program changing the document, as the storage's other clients do.
        func changeOutside(_ text: String) async throws {
            let seen = try #require(try await space.stat(Self.document))
            _ = try await space.write(Self.document, content: spaceContent(text), condition: .matches(seen.tag))
        }

        func names() async throws -> [String] {
            try await space.list(Self.document.parent).map(\.path.name).sorted()
        }
    }

    static func wopi(_ override: String, lock: String? = nil, extra: [String: String] = [:]) -> HTTPFields {
        var pairs = ["X-WOPI-Override": override]
        if let lock { pairs["X-WOPI-Lock"] = lock }
        return headers(pairs.merging(extra) { a, _ in a })
    }

    @Test(arguments: SpaceKind.allCases) func theSameDocumentKeepsItsFile(kind: SpaceKind) async throws {
        let f = try await Fixture.make(kind)
        let again = try await f.folio.spaceFile(space: "docs", path: try SpacePath("/Reports/q3.docx"))
        #expect(again.id == f.file.id)
        #expect(f.folio.isSpaceFile(f.file))
        await expectFailure(Failed.notFound) {
            _ = try await f.folio.spaceFile(space: "docs", path: try SpacePath("/Reports/none.docx"))
        }
        await expectFailure(Failed.notFound) {
            _ = try await f.folio.spaceFile(space: "nope", path: try SpacePath("/Reports/q3.docx"))
        }
    }

    @Test(arguments: SpaceKind.allCases) func savesLandInTheStorage(kind: SpaceKind) async throws {
        let f = try await Fixture.make(kind)
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(), method: .get) { response in
                #expect(response.json()["Version"] as? String == "1" && response.json()["Size"] as? Int == 8)
            }
            try await client.execute(uri: f.uri(), method: .post, headers: Self.wopi("LOCK", lock: "L1")) {
                #expect($0.status == .ok)
            }
            for text in ["first save", "second save"] {
                try await client.execute(
                    uri: f.uri("/contents"), method: .post, headers: Self.wopi("PUT", lock: "L1"),
                    body: ByteBuffer(string: text)
                ) { #expect($0.status == .ok) }
                #expect(try await f.stored() == text)
            }
            try await client.execute(uri: f.uri("/contents"), method: .get) { response in
                #expect(String(buffer: response.body) == "second save")
                #expect(response.headers[HTTPField.Name("X-WOPI-ItemVersion")!] == "3")
            }
        }
        let versions = try await f.folio.files.versions(fileID: f.file.id)
        #expect(versions.map(\.source) == [.outside, .wopi, .wopi])
        #expect(versions.last?.authorID == f.alice.id)
    }

    @Test(arguments: SpaceKind.allCases) func aSpaceWithoutHistoryKeepsOnlyTheCurrentContent(kind: SpaceKind)
        async throws
    {
        let f = try await Fixture.make(kind, history: .currentOnly)
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(), method: .post, headers: Self.wopi("LOCK", lock: "L1")) {
                #expect($0.status == .ok)
            }
            for text in ["first save", "second save"] {
                try await client.execute(
                    uri: f.uri("/contents"), method: .post, headers: Self.wopi("PUT", lock: "L1"),
                    body: ByteBuffer(string: text)
                ) { #expect($0.status == .ok) }
                #expect(try await f.stored() == text)
            }
            try await client.execute(uri: f.uri(), method: .post, headers: Self.wopi("UNLOCK", lock: "L1")) {
                #expect($0.status == .ok)
            }
        }
        try await f.changeOutside("changed outside")
        let current = try await f.folio.refreshSpaceFile(try #require(try await f.folio.files.file(id: f.file.id)))
        // Every save is still recorded (who, source, size, hash); only the last keeps content.
        let versions = try await f.folio.files.versions(fileID: f.file.id)
        #expect(versions.map(\.source) == [.outside, .wopi, .wopi, .outside])
        #expect(versions.map(\.hasContent) == [false, false, false, true])
        #expect(versions.map(\.size) == [8, 10, 11, 15])
        var text = ""
        try await f.folio.readContent(of: current) { text += String(buffer: $0) }
        #expect(text == "changed outside")
        await expectFailure(Failed.notFound) { _ = try await f.folio.openVersion(versions[1]) }
        let session = try await f.folio.fileAccess(f.file.id, user: f.alice)
        await expectFailure(Failed.notFound) { _ = try await f.folio.restoreVersion(2, session: session) }
        // The content let go leaves at gc; the current version's stays.
        let report = try await f.folio.collectGarbage(minimumAge: 0)
        #expect(report.orphansRemoved == 3)
        text = ""
        try await f.folio.readContent(of: current) { text += String(buffer: $0) }
        #expect(text == "changed outside")
    }

    @Test(arguments: SpaceKind.allCases) func aChangeMadeOutsideIsSeenAtCheckFileInfo(kind: SpaceKind) async throws {
        let f = try await Fixture.make(kind)
        try await f.changeOutside("changed by someone else")
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(), method: .get) { response in
                #expect(response.json()["Version"] as? String == "2")
                #expect(response.json()["Size"] as? Int == 23)
            }
            try await client.execute(uri: f.uri("/contents"), method: .get) { response in
                #expect(String(buffer: response.body) == "changed by someone else")
            }
            // Seen once, recorded once.
            try await client.execute(uri: f.uri(), method: .get) { response in
                #expect(response.json()["Version"] as? String == "2")
            }
        }
        #expect(try await f.folio.files.versions(fileID: f.file.id).map(\.source) == [.outside, .outside])
    }

    @Test(arguments: SpaceKind.allCases)
    func aSaveOverAnOutsideChangeBecomesAConflictCopy(kind: SpaceKind) async throws {
        let f = try await Fixture.make(kind)
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(), method: .post, headers: Self.wopi("LOCK", lock: "L1")) {
                #expect($0.status == .ok)
            }
            try await f.changeOutside("their change")
            // Another viewer opens it meanwhile: the change is taken in, the editor's base stays.
            try await client.execute(uri: f.uri(), method: .get) { response in
                #expect(response.json()["Version"] as? String == "2")
            }
            try await client.execute(
                uri: f.uri("/contents"), method: .post, headers: Self.wopi("PUT", lock: "L1"),
                body: ByteBuffer(string: "my save")
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("conflict"))
                #expect(response.headers[HTTPField.Name("X-WOPI-Lock")!] == "L1")
            }
            #expect(try await f.stored() == "their change")
            let names = try await f.names()
            let copy = try #require(names.first { $0.hasPrefix("q3 (conflict ") && $0.hasSuffix(" alice).docx") })
            #expect(try await f.stored(try Fixture.document.parent.appending(copy)) == "my save")
            // Collabora, which sends the time it loaded, gets its "changed in storage" answer.
            try await client.execute(
                uri: f.uri("/contents"), method: .post,
                headers: Self.wopi(
                    "PUT", lock: "L1", extra: ["X-COOL-WOPI-Timestamp": "2026-12-04T09:16:07.6238250Z"]),
                body: ByteBuffer(string: "collabora save")
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("1010"))
                #expect(response.headers[HTTPField.Name("X-WOPI-Lock")!] == "L1")
            }
            #expect(try await f.stored() == "their change")
            // No second copy: the stale timestamp is refused before anything is written.
            #expect(try await f.names().count == 2)
        }
        // Neither refused save became a version.
        #expect(try await f.folio.files.versions(fileID: f.file.id).map(\.source) == [.outside, .outside])
    }

    /// Collabora's timestamp is checked against the storage too: a change made outside that
    /// Folio has not looked at yet is answered 1010 before anything is written, each time.
    @Test(arguments: SpaceKind.allCases)
    func collaboraHearsOfAnUnseenOutsideChangeBeforeAnythingIsWritten(kind: SpaceKind) async throws {
        let f = try await Fixture.make(kind)
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(), method: .post, headers: Self.wopi("LOCK", lock: "L1")) {
                #expect($0.status == .ok)
            }
            let loaded = WOPITime.format(microseconds: f.file.modifiedAt)
            var saved = ""
            try await client.execute(
                uri: f.uri("/contents"), method: .post,
                headers: Self.wopi("PUT", lock: "L1", extra: ["X-COOL-WOPI-Timestamp": loaded]),
                body: ByteBuffer(string: "autosave")
            ) { response in
                #expect(response.status == .ok)
                saved = response.json()["LastModifiedTime"] as? String ?? ""
            }
            try await f.changeOutside("their change")
            for _ in 0..<2 {
                try await client.execute(
                    uri: f.uri("/contents"), method: .post,
                    headers: Self.wopi("PUT", lock: "L1", extra: ["X-COOL-WOPI-Timestamp": saved]),
                    body: ByteBuffer(string: "next autosave")
                ) { response in
                    #expect(response.status == .conflict)
                    #expect(String(buffer: response.body).contains("1010"))
                }
            }
            #expect(try await f.stored() == "their change")
            #expect(try await f.names() == ["q3.docx"])
            // The user chooses to keep theirs: without a timestamp the save goes beside it.
            try await client.execute(
                uri: f.uri("/contents"), method: .post, headers: Self.wopi("PUT", lock: "L1"),
                body: ByteBuffer(string: "next autosave")
            ) { #expect($0.status == .conflict) }
            #expect(try await f.names().count == 2)
            #expect(try await f.stored() == "their change")
        }
    }

    /// Save As with a name a space's path refuses: in suggested mode Folio picks a legal one;
    /// in relative mode it answers 400 naming one.
    @Test(arguments: SpaceKind.allCases) func saveAsGetsALegalNameInTheSpace(kind: SpaceKind) async throws {
        let f = try await Fixture.make(kind)
        try await f.app.test(.router) { client in
            try await client.execute(
                uri: f.uri(), method: .post,
                headers: Self.wopi(
                    "PUT_RELATIVE", extra: ["X-WOPI-SuggestedTarget": UTF7.encode("My%20Report.pdf")]),
                body: ByteBuffer(string: "pdf bytes")
            ) { response in
                #expect(response.status == .ok)
                #expect(response.json()["Name"] as? String == "My_20Report.pdf")
            }
            #expect(try await f.stored(try SpacePath("/Reports/My_20Report.pdf")) == "pdf bytes")
            try await client.execute(
                uri: f.uri(), method: .post,
                headers: Self.wopi(
                    "PUT_RELATIVE", extra: ["X-WOPI-RelativeTarget": UTF7.encode("Other%2Fname.pdf")]),
                body: ByteBuffer(string: "pdf bytes")
            ) { response in
                #expect(response.status == .badRequest)
                let valid = response.headers[HTTPField.Name("X-WOPI-ValidRelativeTarget")!].map(UTF7.decode)
                #expect(valid == "Other_2Fname.pdf")
            }
            #expect(try await f.names() == ["My_20Report.pdf", "q3.docx"])
        }
    }

    @Test func anApplicationOpensASpaceDocumentByItsPath() async throws {
        let f = try await Fixture.make(.folder)
        let (_, key) = try await f.folio.createAPIKey(name: "app", scopes: [.sessions])
        let app = appWithMicrosoftEditor(f.folio, configuration: f.configuration)
        _ = try await f.folio.upsertExternalUser(externalID: "crm-7", displayName: "Uma")
        let h = headers(["Authorization": "Bearer \(key)", "Content-Type": "application/json"])
        try await app.test(.router) { client in
            let opened = try await client.execute(
                uri: "/api/v1/spaces/docs/sessions", method: .post, headers: h,
                body: ByteBuffer(string: #"{"path":"/Reports/q3.docx","user":"crm-7","role":"view"}"#))
            #expect(opened.status == .created)
            let body = opened.json()
            // The same file the document already has, whatever opens it.
            #expect(body["fileId"] as? String == f.file.id)
            #expect(body["wopiSrc"] as? String == "http://folio.test/wopi/files/\(f.file.id)")
            #expect(body["action"] as? String == "view")
            let grant = try #require(f.folio.signer.verify(body["accessToken"] as? String ?? ""))
            #expect(grant.role == .view)
            for (uri, json, status) in [
                (
                    "/api/v1/spaces/docs/sessions", #"{"path":"/Reports/../../etc/passwd","user":"crm-7"}"#,
                    HTTPResponse.Status.badRequest
                ),
                ("/api/v1/spaces/docs/sessions", #"{"path":"/Reports/none.docx","user":"crm-7"}"#, .notFound),
                ("/api/v1/spaces/nope/sessions", #"{"path":"/Reports/q3.docx","user":"crm-7"}"#, .notFound),
                (
                    "/api/v1/spaces/docs/sessions", #"{"path":"/Reports/q3.docx","user":"crm-7","role":"owner"}"#,
                    .badRequest
                ),
            ] {
                let refused = try await client.execute(
                    uri: uri, method: .post, headers: h, body: ByteBuffer(string: json))
                #expect(refused.status == status, "\(json)")
            }
        }
    }

    @Test func aRoleOnTheSpaceReachesEveryDocument() async throws {
        let f = try await Fixture.make(.folder)
        let bob = try await f.folio.addUser(login: "bob", displayName: "Bob", isAdmin: false, passwordHash: nil)
        await expectFailure(Failed.forbidden) { _ = try await f.folio.fileAccess(f.file.id, user: bob) }
        try await f.folio.grantSpace("docs", to: bob, role: .view)
        #expect(try await f.folio.fileAccess(f.file.id, user: bob).role == .view)
        // Documents opened later are covered too.
        _ = try await f.space.write(try SpacePath("/later.docx"), content: spaceContent("x"), condition: .absent)
        let later = try await f.folio.spaceFile(space: "docs", path: try SpacePath("/later.docx"))
        #expect(try await f.folio.fileAccess(later.id, user: bob).role == .view)
        try await f.folio.grantSpace("docs", to: bob, role: nil)
        await expectFailure(Failed.forbidden) { _ = try await f.folio.fileAccess(later.id, user: bob) }
    }

    @Test(arguments: SpaceKind.allCases) func aRestoreReachesTheStorageButNeverOverAnOutsideChange(kind: SpaceKind)
        async throws
    {
        let f = try await Fixture.make(kind)
        let session = try await f.folio.fileAccess(f.file.id, user: f.alice)
        _ = try await f.folio.lock(.lock("L"), session: session)
        _ = try await f.folio.saveContent(
            Chunks("second"), expectedSize: 6, session: session, conditions: WriteConditions(lock: .wopi("L")))
        _ = try await f.folio.lock(.unlock("L"), session: session)
        #expect(try await f.stored() == "second")
        let restored = try await f.folio.restoreVersion(
            1, session: try await f.folio.fileAccess(f.file.id, user: f.alice))
        #expect(restored.version == 3)
        #expect(try await f.stored() == "original")
        // Changed outside, not yet seen: the restore goes beside it, the change stays.
        try await f.changeOutside("their change")
        await expectFailure(Failed.conflict) {
            _ = try await f.folio.restoreVersion(2, session: try await f.folio.fileAccess(f.file.id, user: f.alice))
        }
        #expect(try await f.stored() == "their change")
        #expect(try await f.names().contains { $0.hasPrefix("q3 (conflict ") })
    }

    @Test(arguments: SpaceKind.allCases) func onlyOfficeSavesReachTheStorageButNeverOverAnOutsideChange(
        kind: SpaceKind
    ) async throws {
        let f = try await Fixture.make(kind)
        let key = try await f.folio.officeKeys.officeKey(fileID: f.file.id, version: 1, now: f.folio.now())
        let saved = try await f.folio.officeSave(
            Chunks("forcesaved"), expectedSize: 10, key: key.key, users: [f.alice.id], final: false)
        guard case .saved = saved else { throw FolioError.conflict("expected a save, got \(saved)") }
        #expect(try await f.stored() == "forcesaved")
        try await f.changeOutside("their change")
        let result = try await f.folio.officeSave(
            Chunks("final save"), expectedSize: 10, key: key.key, users: [f.alice.id], final: true)
        guard case .conflictCopy(let copy) = result else { throw FolioError.conflict("expected a copy, got \(result)") }
        #expect(try await f.stored() == "their change")
        #expect(copy.name.hasPrefix("q3 (conflict ") && copy.id != f.file.id)
        let copyPath = try Fixture.document.parent.appending(copy.name)
        #expect(try await f.stored(copyPath) == "final save")
    }

    @Test(arguments: SpaceKind.allCases) func theApplicationsRenameAndDeleteHappenInTheStorage(kind: SpaceKind)
        async throws
    {
        let f = try await Fixture.make(kind)
        let renamed = try await f.folio.appRenameFile(f.file.id, to: "q3 final.docx")
        #expect(renamed.name == "q3 final.docx" && renamed.id == f.file.id)
        #expect(try await f.names() == ["q3 final.docx"])
        #expect(try await f.stored(try Fixture.document.parent.appending("q3 final.docx")) == "original")
        await expectFailure(Failed.forbidden) {
            _ = try await f.folio.appMoveFile(f.file.id, to: f.alice.rootFolderID)
        }
        try await f.folio.appDeleteFile(f.file.id)
        #expect(try await f.names().isEmpty)
        #expect(try await f.folio.spaceDocs.spaceDocument(fileID: f.file.id) == nil)
    }
}
