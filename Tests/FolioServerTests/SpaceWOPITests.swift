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

/// WOPI on a document of a folder space: saves land in the storage, a change made outside is
/// taken in, and a save over such a change becomes a conflict copy instead of overwriting it.
@Suite struct SpaceWOPITests {
    struct Fixture {
        let folio: Folio
        let root: String
        let alice: User
        let file: StoredFile
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, publicURL: "http://folio.test")

        static func make(content: String = "original") async throws -> Fixture {
            let base = try temporaryFolder()
            let root = base + "/space"
            try FileManager.default.createDirectory(atPath: root + "/Reports", withIntermediateDirectories: true)
            try Data(content.utf8).write(to: URL(fileURLWithPath: root + "/Reports/q3.docx"))
            var logger = Logger(label: "folio-test")
            logger.logLevel = .critical
            let folio = try await DataFolder(path: base + "/data").open(
                database: try testDatabase(), spaces: [try SpaceLocation("docs=folder:" + root)], logger: logger)
            try await folio.loadSpaces()
            let alice = try await folio.addUser(login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil)
            let file = try await folio.spaceFile(space: "docs", path: try SpacePath("/Reports/q3.docx"))
            try await folio.sharing.setGrant(resourceID: file.id, userID: alice.id, role: .edit)
            return Fixture(folio: folio, root: root, alice: alice, file: file)
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

        func onDisk(_ path: String = "/Reports/q3.docx") throws -> String {
            try String(contentsOfFile: root + path, encoding: .utf8)
        }

        func changeOutside(_ text: String) throws {
            // As editors and sync clients do: a new file renamed over the old one.
            let temporary = root + "/Reports/.outside.tmp"
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            _ = rename(temporary, root + "/Reports/q3.docx")
        }
    }

    static func wopi(_ override: String, lock: String? = nil, extra: [String: String] = [:]) -> HTTPFields {
        var pairs = ["X-WOPI-Override": override]
        if let lock { pairs["X-WOPI-Lock"] = lock }
        return headers(pairs.merging(extra) { a, _ in a })
    }

    static func isNotFound(_ error: any Error) -> Bool {
        if case FolioError.notFound = error { return true }
        return false
    }

    @Test func theSameDocumentKeepsItsFile() async throws {
        let f = try await Fixture.make()
        let again = try await f.folio.spaceFile(space: "docs", path: try SpacePath("/Reports/q3.docx"))
        #expect(again.id == f.file.id)
        #expect(f.folio.isSpaceFile(f.file))
        await expectFailure(Self.isNotFound) {
            _ = try await f.folio.spaceFile(space: "docs", path: try SpacePath("/Reports/none.docx"))
        }
        await expectFailure(Self.isNotFound) {
            _ = try await f.folio.spaceFile(space: "nope", path: try SpacePath("/Reports/q3.docx"))
        }
    }

    @Test func savesLandInTheStorage() async throws {
        let f = try await Fixture.make()
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
                #expect(try f.onDisk() == text)
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

    @Test func aChangeMadeOutsideIsSeenAtCheckFileInfo() async throws {
        let f = try await Fixture.make()
        try f.changeOutside("changed by someone else")
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

    @Test func aSaveOverAnOutsideChangeBecomesAConflictCopy() async throws {
        let f = try await Fixture.make()
        try await f.app.test(.router) { client in
            try await client.execute(uri: f.uri(), method: .post, headers: Self.wopi("LOCK", lock: "L1")) {
                #expect($0.status == .ok)
            }
            try f.changeOutside("their change")
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
            }
            #expect(try f.onDisk() == "their change")
            let names = try FileManager.default.contentsOfDirectory(atPath: f.root + "/Reports").sorted()
            let copy = try #require(names.first { $0.hasPrefix("q3 (conflict ") && $0.hasSuffix(" alice).docx") })
            #expect(try f.onDisk("/Reports/" + copy) == "my save")
            // Collabora, which sends the time it loaded, gets its "changed in storage" answer.
            try await client.execute(
                uri: f.uri("/contents"), method: .post,
                headers: Self.wopi(
                    "PUT", lock: "L1", extra: ["X-COOL-WOPI-Timestamp": "2026-12-04T09:16:07.6238250Z"]),
                body: ByteBuffer(string: "collabora save")
            ) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains("1010"))
            }
            #expect(try f.onDisk() == "their change")
            // No second copy: the stale timestamp is refused before anything is written.
            #expect(try FileManager.default.contentsOfDirectory(atPath: f.root + "/Reports").count == 2)
        }
        // Neither refused save became a version.
        #expect(try await f.folio.files.versions(fileID: f.file.id).map(\.source) == [.outside, .outside])
    }

    @Test func anApplicationOpensASpaceDocumentByItsPath() async throws {
        let f = try await Fixture.make()
        let (_, key) = try await f.folio.createAPIKey(name: "app", scopes: [.sessions])
        var configuration = f.configuration
        configuration.editors = [.microsoft: "https://office.test/hosting/discovery"]
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let app = FolioApplication.make(
            folio: f.folio, configuration: configuration, logger: logger, fetcher: StaticDiscovery())
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
}
