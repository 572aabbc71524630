import FolioCore
import Foundation
import Testing
import WOPI

/// The application API's part of the store: keys, users by external id, webhooks and their
/// deliveries, ONLYOFFICE keys, and the reads of gc, readiness and metrics.
@Suite struct APIStoreConformanceTests {
    let t0: Int64 = 1_800_000_000_000_000

    @Test(arguments: StoreKind.allCases) func apiKeysAreStoredAndRevokedOnce(kind: StoreKind) async throws {
        let store = try await kind.make()
        let key = APIKey(id: "k1", name: "portal", secretHash: "h", scopes: [.read, .sessions], createdAt: t0)
        try await store.createAPIKey(key)
        #expect(try await store.apiKey(id: "k1") == key)
        try await store.revokeAPIKey(id: "k1", now: t0 + 1)
        #expect(try await store.apiKey(id: "k1")?.revokedAt == t0 + 1)
        await #expect(throws: FolioError.self) { try await store.revokeAPIKey(id: "k1", now: t0 + 2) }
        #expect(try await store.apiKeys().map(\.id) == ["k1"])
    }

    @Test(arguments: StoreKind.allCases) func externalUsersAreMadeOnceAndRenamed(kind: StoreKind) async throws {
        let (a, b) = try await kind.makeTwins()
        // Both "instances" make the same user at once: one user comes out.
        let made = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask {
                    try await (i % 2 == 0 ? a : b).upsertExternalUser(externalID: "crm-7", displayName: "Ann", now: t0)
                        .id
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(made.count == 1)
        let renamed = try await a.upsertExternalUser(externalID: "crm-7", displayName: "Ann Lee", now: t0)
        #expect(renamed.id == made.first && renamed.displayName == "Ann Lee")
        #expect(try await b.user(externalID: "crm-7")?.displayName == "Ann Lee")
        #expect(try await b.folder(id: renamed.rootFolderID)?.ownerID == renamed.id)
    }

    @Test(arguments: StoreKind.allCases) func webhookDeliveriesQueueAndRecord(kind: StoreKind) async throws {
        let store = try await kind.make()
        try await store.createWebhook(
            Webhook(id: "w1", url: "https://app/hook", events: [.fileSaved], secret: "s", createdAt: t0))
        try await store.createWebhook(
            Webhook(id: "w2", url: "https://app/other", events: [.lockChanged], secret: "s", createdAt: t0 + 1))
        #expect(try await store.webhooks().map(\.id) == ["w1", "w2"])
        #expect(try await store.enqueueDeliveries(event: .fileSaved, payload: "{}", now: t0) == 1)
        let due = try await store.dueDeliveries(now: t0, limit: 10)
        #expect(due.count == 1 && due[0].1.url == "https://app/hook" && due[0].0.event == .fileSaved)
        var delivery = due[0].0
        delivery.attempts = 1
        delivery.lastStatus = 500
        delivery.lastError = "server error"
        delivery.nextAttemptAt = t0 + 1_000_000
        try await store.recordDeliveryAttempt(delivery)
        #expect(try await store.dueDeliveries(now: t0, limit: 10).isEmpty)
        #expect(try await store.deliveries(webhookID: "w1", limit: 10) == [delivery])
        #expect(try await store.deliveries(webhookID: nil, limit: 10).count == 1)
        #expect(try await store.dueDeliveries(now: t0 + 1_000_000, limit: 10).map(\.0) == [delivery])
        // Handed out and never recorded (its instance died): due again within 30 seconds.
        #expect(try await store.dueDeliveries(now: t0 + 31_000_000, limit: 10).map(\.0.id) == [delivery.id])
        try await store.deleteWebhook(id: "w1")
        #expect(try await store.dueDeliveries(now: t0 + 100_000_000, limit: 10).isEmpty)
        await #expect(throws: FolioError.self) { try await store.deleteWebhook(id: "w1") }
    }

    /// The outbox: a change's event is written in the change's own transaction, for each webhook
    /// listening, with the file as the change left it; a change refused writes none.
    @Test(arguments: StoreKind.allCases) func eventsAreWrittenWithTheirChange(kind: StoreKind) async throws {
        let store = try await kind.make()
        let alice = try await store.createUser(
            login: "alice", displayName: "A", isAdmin: false, passwordHash: nil, now: t0)
        // Before any webhook listens, notes write nothing.
        let file = try await store.createFile(
            folderID: alice.rootFolderID, name: "d.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0, note: WebhookNote(.fileCreated))
        #expect(try await store.deliveries(webhookID: nil, limit: 10).isEmpty)
        for (id, events) in [("saves", [WebhookEvent.fileSaved]), ("all", Set(WebhookEvent.allCases))] {
            try await store.createWebhook(
                Webhook(id: id, url: "https://app/\(id)", events: Set(events), secret: "s", createdAt: t0))
        }
        let saved = try await store.addVersion(
            fileID: file.id, blob: fakeBlob, info: VersionInfo(authorID: alice.id, source: .wopi),
            conditions: WriteConditions(lock: .none), now: t0 + 1, note: WebhookNote(.fileSaved, details: ["by": "a"]))
        let deliveries = try await store.deliveries(webhookID: nil, limit: 10)
        #expect(Set(deliveries.map(\.webhookID)) == ["saves", "all"] && Set(deliveries.map(\.id)).count == 2)
        let payload = try #require(deliveries.first?.payload.data(using: .utf8))
        let body = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
        let data = try #require(body["data"] as? [String: String])
        #expect(body["event"] as? String == "file.saved" && data["fileId"] == file.id && data["by"] == "a")
        #expect(data["version"] == String(saved.version) && saved.version == 2)
        // A refused change (a lock it does not hold) leaves no event; a refresh is no event.
        _ = try await store.applyLock(
            fileID: file.id, operation: .lock("L"), now: t0 + 2, holder: nil,
            note: WebhookNote(.lockChanged, file: file))
        await #expect(throws: FolioError.self) {
            _ = try await store.addVersion(
                fileID: file.id, blob: fakeBlob, info: VersionInfo(authorID: alice.id, source: .wopi),
                conditions: WriteConditions(lock: .wopi("other")), now: t0 + 3, note: WebhookNote(.fileSaved))
        }
        _ = try await store.applyLock(
            fileID: file.id, operation: .refresh("L"), now: t0 + 4, holder: nil,
            note: WebhookNote(.lockChanged, file: file))
        let events = try await store.deliveries(webhookID: "all", limit: 10).map(\.event)
        #expect(events.sorted { $0.rawValue < $1.rawValue } == [.fileSaved, .lockChanged])
    }

    @Test(arguments: StoreKind.allCases) func officeKeysAreSharedPerVersion(kind: StoreKind) async throws {
        let (a, b) = try await kind.makeTwins()
        let alice = try await a.createUser(login: "alice", displayName: "A", isAdmin: false, passwordHash: nil, now: t0)
        let file = try await a.createFile(
            folderID: alice.rootFolderID, name: "d.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for i in 0..<8 {
                group.addTask { try await (i % 2 == 0 ? a : b).officeKey(fileID: file.id, version: 1, now: t0).key }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys.count == 1)
        var key = try #require(try await b.officeKey(keys.first!))
        key.editors = [alice.id]
        try await a.updateOfficeKey(key)
        #expect(try await b.activity(now: t0).officeSessions == 1)
        key.retiredAt = t0 + 1
        try await b.updateOfficeKey(key)
        #expect(try await a.officeKey(fileID: file.id, version: 1, now: t0 + 2).key != key.key)
        #expect(try await a.referencedBlobs() == [fakeBlob.key])
        try await b.ping()
    }
}
