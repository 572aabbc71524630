import Crypto
import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import FolioServer

/// The application API through the router, and webhook deliveries to a live receiver.
@Suite struct APITests {
    func key(_ f: ServerFixture, _ scopes: Set<APIScope> = Set(APIScope.allCases)) async throws -> HTTPFields {
        let (_, token) = try await f.folio.createAPIKey(name: "app", scopes: scopes)
        return headers(["Authorization": "Bearer \(token)"])
    }

    @Test func keysAndScopesGuardEveryRoute() async throws {
        let f = try await ServerFixture.make()
        let reader = try await key(f, [.read])
        try await f.app.test(.router) { client in
            let none = try await client.execute(uri: "/api/v1/files/\(f.file.id)", method: .get)
            #expect(none.status == .unauthorized)
            #expect((none.json()["error"] as? [String: Any])?["code"] as? String == "unauthorized")
            #expect(
                try await client.execute(uri: "/api/v1/files/\(f.file.id)", method: .get, headers: reader).status == .ok
            )
            let write = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)", method: .delete, headers: reader)
            #expect(
                write.status == .forbidden
                    && (write.json()["error"] as? [String: Any])?["code"] as? String == "missing_scope")
            #expect(try await f.folio.files.file(id: f.file.id) != nil)
            let description = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
            #expect(description.status == .ok && (description.json()["openapi"] as? String)?.hasPrefix("3.") == true)
        }
        // A revoked key stops at once.
        let (created, token) = try await f.folio.createAPIKey(name: "old", scopes: [.read])
        try await f.folio.revokeAPIKey(id: created.id)
        await #expect(throws: FolioError.self) { _ = try await f.folio.authenticateAPIKey(token) }
    }

    @Test func usersFilesContentAndVersions() async throws {
        let f = try await ServerFixture.make()
        let auth = try await key(f)
        try await f.app.test(.router) { client in
            var h = auth
            h[.contentType] = "application/json"
            let user = try await client.execute(
                uri: "/api/v1/users/crm-42", method: .put, headers: h,
                body: ByteBuffer(string: #"{"displayName":"Dana"}"#))
            #expect(user.status == .ok && user.json()["externalId"] as? String == "crm-42")
            let root = try #require(user.json()["rootFolderId"] as? String)
            var upload = auth
            upload[HTTPField.Name("X-Folio-User")!] = "crm-42"
            let created = try await client.execute(
                uri: "/api/v1/folders/\(root)/files?name=plan.docx", method: .post, headers: upload,
                body: ByteBuffer(string: "0123456789"))
            #expect(created.status == .created)
            let id = try #require(created.json()["id"] as? String)
            #expect(created.json()["etag"] as? String == "\"v1\"")
            // A taken name is a conflict, not a silent rename.
            let again = try await client.execute(
                uri: "/api/v1/folders/\(root)/files?name=plan.docx", method: .post, headers: upload,
                body: ByteBuffer(string: "x"))
            #expect(again.status == .conflict)
            var ranged = auth
            ranged[.range] = "bytes=2-5"
            let part = try await client.execute(uri: "/api/v1/files/\(id)/content", method: .get, headers: ranged)
            #expect(part.status == .partialContent && part.text == "2345")
            #expect(part.headers[.contentRange] == "bytes 2-5/10")
            ranged[.range] = "bytes=20-"
            #expect(
                try await client.execute(uri: "/api/v1/files/\(id)/content", method: .get, headers: ranged).status
                    == .rangeNotSatisfiable)
            var cached = auth
            cached[.ifNoneMatch] = "\"v1\""
            #expect(
                try await client.execute(uri: "/api/v1/files/\(id)/content", method: .get, headers: cached).status
                    == .notModified)
            var stale = auth
            stale[.ifMatch] = "\"v7\""
            let refused = try await client.execute(
                uri: "/api/v1/files/\(id)/content", method: .put, headers: stale, body: ByteBuffer(string: "lost?"))
            #expect(refused.status == .preconditionFailed)
            var fresh = auth
            fresh[.ifMatch] = "\"v1\""
            let replaced = try await client.execute(
                uri: "/api/v1/files/\(id)/content", method: .put, headers: fresh, body: ByteBuffer(string: "new"))
            #expect(replaced.status == .ok && replaced.json()["version"] as? Int == 2)
            let versions = try await client.execute(uri: "/api/v1/files/\(id)/versions", method: .get, headers: auth)
            #expect((versions.json()["items"] as? [[String: Any]])?.count == 2)
            let first = try await client.execute(
                uri: "/api/v1/files/\(id)/versions/1/content", method: .get, headers: auth)
            #expect(first.text == "0123456789")
            // An editor's lock keeps the application's writes out.
            let session = try await f.folio.fileAccess(id, user: try await f.folio.requireExternalUser("crm-42"))
            _ = try await f.folio.lock(.lock("editor"), session: session)
            let locked = try await client.execute(
                uri: "/api/v1/files/\(id)/content", method: .put, headers: auth, body: ByteBuffer(string: "overwrite"))
            #expect(locked.status == .conflict)
            #expect(try await f.read(id) == "new")
        }
    }

    /// An editor's lock left behind: the API shows who holds it and breaks it; webhooks hear
    /// `lock.changed` saying it was broken, and by which key; the editor's next save is refused.
    @Test func aLockLeftBehindIsShownAndBroken() async throws {
        let f = try await ServerFixture.make()
        let auth = try await key(f)
        try await f.folio.webhooks.createWebhook(
            Webhook(id: "w1", url: "https://app.test/hook", events: [.lockChanged], secret: "s", createdAt: 1))
        let session = try await f.folio.fileAccess(f.file.id, user: f.alice)
        _ = try await f.folio.lock(.lock("crashed-editor"), session: session)
        try await f.app.test(.router) { client in
            let shown = try await client.execute(uri: "/api/v1/files/\(f.file.id)/lock", method: .get, headers: auth)
            #expect(shown.status == .ok)
            let body = shown.json()
            #expect(body["lockId"] as? String == "crashed-editor" && body["holder"] as? String == "alice")
            #expect((body["expiresAt"] as? String)?.hasSuffix("Z") == true)

            let reader = try await key(f, [.read])
            #expect(
                try await client.execute(uri: "/api/v1/files/\(f.file.id)/lock", method: .delete, headers: reader)
                    .status
                    == .forbidden)
            #expect(
                try await client.execute(uri: "/api/v1/files/\(f.file.id)/lock", method: .delete, headers: auth).status
                    == .noContent)
            #expect(try await f.folio.files.currentLock(fileID: f.file.id, now: f.folio.now()) == nil)
            #expect(
                try await client.execute(uri: "/api/v1/files/\(f.file.id)/lock", method: .get, headers: auth).status
                    == .notFound)
            #expect(
                try await client.execute(uri: "/api/v1/files/\(f.file.id)/lock", method: .delete, headers: auth).status
                    == .notFound)
        }
        // The crashed editor's next save finds no lock: refused (409), nothing written.
        await #expect(throws: FolioError.self) {
            _ = try await f.folio.files.addVersion(
                fileID: f.file.id, blob: StoredBlob(key: f.file.blobKey, size: f.file.size, sha256: f.file.sha256),
                info: VersionInfo(authorID: f.alice.id, source: .wopi),
                conditions: .init(lock: .wopi("crashed-editor")), now: f.folio.now())
        }
        #expect(try await f.folio.files.file(id: f.file.id)?.version == 1)
        // Two events: locked by alice, then broken by the key.
        let events = try await f.folio.webhooks.deliveries(webhookID: "w1", limit: 10).map(\.payload)
        #expect(events.count == 2)
        #expect(events.contains { $0.contains(#""broken":"true""#) && $0.contains(#""by":"api:app""#) })
        #expect(events.contains { $0.contains(#""locked":"false""#) })
    }

    @Test func grantsAndSessions() async throws {
        let f = try await ServerFixture.make()
        let auth = try await key(f)
        let app = appWithMicrosoftEditor(f.folio, configuration: f.configuration)
        _ = try await f.folio.upsertExternalUser(externalID: "u7", displayName: "Uma")
        try await app.test(.router) { client in
            var h = auth
            h[.contentType] = "application/json"
            let noRole = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)/sessions", method: .post, headers: h,
                body: ByteBuffer(string: #"{"user":"u7"}"#))
            #expect(noRole.status == .forbidden)
            let granted = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)/grants/u7", method: .put, headers: h,
                body: ByteBuffer(string: #"{"role":"comment"}"#))
            #expect(granted.status == .noContent)
            let session = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)/sessions", method: .post, headers: h,
                body: ByteBuffer(string: #"{"user":"u7","role":"edit","language":"ru-RU"}"#))
            #expect(session.status == .created)
            let body = session.json()
            #expect(body["editor"] as? String == "microsoft" && body["action"] as? String == "edit")
            #expect((body["actionUrl"] as? String)?.contains("ui=ru-RU") == true)
            #expect(body["wopiSrc"] as? String == "http://folio.test/wopi/files/\(f.file.id)")
            // The token carries the smaller of the asked and the held role.
            let grant = try #require(f.folio.signer.verify(body["accessToken"] as? String ?? ""))
            #expect(grant.role == .comment && grant.editor == .microsoft)
            #expect(
                (body["hostPageUrl"] as? String)?.hasPrefix("http://folio.test/files/\(f.file.id)/edit?ticket=") == true
            )
            let revoked = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)/grants/u7", method: .delete, headers: auth)
            #expect(revoked.status == .noContent)
            let info = try await client.execute(uri: f.uri(token: body["accessToken"] as? String), method: .get)
            #expect(info.status == .unauthorized)
        }
    }

    /// A receiver that answers 500 to the first delivery and 200 afterwards.
    final class Receiver: Sendable {
        let received = Mutex<[(signature: String, event: String, body: String)]>([])
    }

    @Test func webhooksAreSignedRetriedAndLogged() async throws {
        let f = try await ServerFixture.make()
        let receiver = Receiver()
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let count = receiver.received.withLock { list in
                list.append(
                    (
                        request.headers[HTTPField.Name("X-Folio-Signature")!] ?? "",
                        request.headers[HTTPField.Name("X-Folio-Event")!] ?? "", body
                    ))
                return list.count
            }
            return count == 1 ? .internalServerError : .ok
        }
        var quiet = Logger(label: "test")
        quiet.logLevel = .critical
        let logger = quiet
        try await Application(router: router, logger: logger).test(.live) { client in
            let port = try #require(client.port)
            let hook = try await f.folio.createWebhook(
                url: "http://127.0.0.1:\(port)/hook", events: [.fileRenamed, .fileSaved])
            let session = try await f.folio.fileAccess(f.file.id, user: f.alice)
            _ = try await f.folio.rename(session: session, requestedBase: "renamed", lock: nil)
            let dispatcher = WebhookDispatcher(folio: f.folio, logger: logger)
            var due = try await f.folio.webhooks.dueDeliveries(now: f.folio.now(), limit: 10)
            #expect(due.count == 1)
            await dispatcher.attempt(due[0].0, due[0].1)
            // The 500 schedules a retry a second later.
            let failed = try #require(try await f.folio.webhooks.deliveries(webhookID: hook.id, limit: 10).first)
            #expect(failed.attempts == 1 && failed.lastStatus == 500 && failed.deliveredAt == nil)
            #expect((failed.nextAttemptAt ?? 0) - failed.createdAt >= 1_000_000)
            due = try await f.folio.webhooks.dueDeliveries(now: f.folio.now() + 2_000_000, limit: 10)
            await dispatcher.attempt(due[0].0, due[0].1)
            let delivered = try #require(try await f.folio.webhooks.deliveries(webhookID: hook.id, limit: 10).first)
            #expect(delivered.attempts == 2 && delivered.deliveredAt != nil && delivered.lastStatus == 200)
            let got = receiver.received.withLock { $0 }
            #expect(got.count == 2 && got[1].event == "file.renamed")
            #expect(got[1].signature == WebhookDispatcher.signature(got[1].body, secret: hook.secret))
            let payload = try JSONSerialization.jsonObject(with: Data(got[1].body.utf8)) as? [String: Any]
            let data = payload?["data"] as? [String: Any]
            #expect(data?["name"] as? String == "renamed.docx" && data?["oldName"] as? String == "doc.docx")
            // Events nobody listens to queue nothing.
            _ = try await f.folio.lock(.lock("L"), session: try await f.folio.fileAccess(f.file.id, user: f.alice))
            #expect(try await f.folio.webhooks.deliveries(webhookID: hook.id, limit: 10).count == 1)
        }
    }
}
