import FolioCore
import FolioPostgres
import FolioSQLite
import FolioStores
import FolioTestSupport
import Foundation
import Synchronization
import Testing
import WOPI

/// `folio migrate`: everything a SQLite installation holds reads back the same from PostgreSQL.
@Suite(.enabled(if: StoreKind.postgresURL != nil, "needs FOLIO_TEST_POSTGRES_URL (the postgres stage sets it)"))
struct StoreMigrationTests {
    let t0: Int64 = 1_800_000_000_000_000

    @Test func everythingArrivesWithItsHistory() async throws {
        let sqlite = try SQLiteMetadataStore(path: try temporaryFolder() + "/folio.sqlite")
        let alice = try await sqlite.createUser(
            login: "alice", displayName: "Alice", isAdmin: true, passwordHash: "$2b$hash", now: t0)
        let bob = try await sqlite.createUser(
            login: "bob", displayName: "Bob", isAdmin: false, passwordHash: nil, now: t0)
        let folder = try await sqlite.createFolder(
            parentID: alice.rootFolderID, name: "Plans", ownerID: alice.id, now: t0)
        let inner = try await sqlite.createFolder(parentID: folder.id, name: "2027", ownerID: alice.id, now: t0)
        let file = try await sqlite.createFile(
            folderID: inner.id, name: "Budget.xlsx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        for i in 0..<3 {
            _ = try await sqlite.addVersion(
                fileID: file.id,
                blob: StoredBlob(key: "v\(i)", size: Int64(i), sha256: Array(repeating: UInt8(i), count: 32)),
                info: VersionInfo(
                    authorID: bob.id, source: .wopi, flags: SaveFlags(isAutosave: i == 0, isExitSave: i == 2),
                    editors: [alice.id, bob.id]),
                conditions: .init(lock: .mustBeUnlocked), now: t0 + Int64(i))
        }
        let trashed = try await sqlite.createFile(
            folderID: alice.rootFolderID, name: "old.docx", ownerID: alice.id, blob: fakeBlob,
            info: VersionInfo(authorID: alice.id, source: .upload), now: t0)
        try await sqlite.deleteFile(id: trashed.id, now: t0 + 5, deletedBy: alice.id)
        try await sqlite.setGrant(resourceID: folder.id, userID: bob.id, role: .edit)
        _ = try await sqlite.applyLock(
            fileID: file.id, operation: .lock("L1"), now: t0, holder: LockHolder(userID: bob.id))
        try await sqlite.setEditorChoice(userID: bob.id, fileExtension: "xlsx", editor: "collabora")
        try await sqlite.createWebSession(
            WebSession(idHash: "sess", userID: alice.id, csrfToken: "c", createdAt: t0, expiresAt: t0 + 1_000_000_000))
        let link = ShareLink(
            id: "link1", resourceID: file.id, role: .view, createdBy: alice.id, createdAt: t0, expiresAt: nil,
            passwordHash: nil, revokedAt: nil)
        try await sqlite.createLink(link)
        let guest = try await sqlite.createGuest(link: link, displayName: "Guest", now: t0)
        try await sqlite.createAPIKey(APIKey(id: "k1", name: "crm", secretHash: "h", scopes: [.read], createdAt: t0))
        let app = try await sqlite.upsertExternalUser(externalID: "crm-1", displayName: "Carol", now: t0)
        try await sqlite.createWebhook(
            Webhook(id: "w1", url: "https://x/h", events: [.fileSaved], secret: "s", createdAt: t0))
        try await sqlite.enqueueDeliveries(event: .fileSaved, payload: "{\"a\":1}", now: t0)
        let officeKey = try await sqlite.officeKey(fileID: file.id, version: 4, now: t0)

        let url = try #require(StoreKind.postgresURL)
        let location = try PostgresLocation(url: url + "?schema=m_" + StoreKind.schemaSuffix())
        let postgres = try await PostgresMetadataStore.open(location, maximumConnections: 4)
        let lines = LineLog()
        let report = try await StoreMigration(source: sqlite, target: postgres).run { lines.add($0) }
        #expect(report.rows["users"] == 4 && report.rows["versions"] == 5 && report.rows["files"] == 2)
        #expect(lines.count >= 13)

        // Everything reads back the same through the protocol.
        #expect(try await postgres.user(login: "ALICE") == alice)
        #expect(try await postgres.user(id: guest.id) == guest)
        #expect(try await postgres.user(externalID: "crm-1") == app)
        #expect(try await postgres.folderPath(id: inner.id).map(\.name) == ["alice", "Plans", "2027"])
        #expect(try await postgres.versions(fileID: file.id) == (try await sqlite.versions(fileID: file.id)))
        #expect(try await postgres.file(id: file.id) == (try await sqlite.file(id: file.id)))
        #expect(try await postgres.trash(ownerID: alice.id) == (try await sqlite.trash(ownerID: alice.id)))
        #expect(try await postgres.access(fileID: file.id, userID: bob.id)?.role == .edit)
        #expect(
            try await postgres.currentLock(fileID: file.id, now: t0)
                == FileLock(id: "L1", expiresAt: t0 + 1_800_000_000))
        #expect(try await postgres.editorChoice(userID: bob.id, fileExtension: "xlsx") == "collabora")
        #expect(try await postgres.webSession(idHash: "sess", now: t0)?.1 == alice)
        #expect(try await postgres.link(id: "link1") == link)
        #expect(try await postgres.apiKey(id: "k1") == (try await sqlite.apiKey(id: "k1")))
        #expect(try await postgres.webhooks() == (try await sqlite.webhooks()))
        #expect(
            try await postgres.deliveries(webhookID: nil, limit: 10)
                == (try await sqlite.deliveries(webhookID: nil, limit: 10)))
        #expect(try await postgres.officeKey(officeKey.key) == officeKey)
        #expect(try await postgres.referencedBlobs() == (try await sqlite.referencedBlobs()))
        let page = try await postgres.listFolder(
            id: inner.id, order: .name, descending: false, nameContains: nil, offset: 0, limit: 10, now: t0)
        #expect(page.items.first?.lockedBy == "Bob")

        // A second run finds the target in use and changes nothing.
        await #expect(throws: FolioError.self) { _ = try await StoreMigration(source: sqlite, target: postgres).run() }
        #expect(try await postgres.users().count == 3)
    }
}

extension StoreMigrationTests {
    /// More rows than a page in several tables, and a folder chain deeper than a page whose
    /// parents land in other pages than their children.
    @Test func pagesOfRowsArriveWhole() async throws {
        let sqlite = try SQLiteMetadataStore(path: try temporaryFolder() + "/folio.sqlite")
        let alice = try await sqlite.createUser(
            login: "alice", displayName: "Alice", isAdmin: false, passwordHash: nil, now: t0)
        var parent = alice.rootFolderID
        for i in 0..<700 {
            parent = try await sqlite.createFolder(parentID: parent, name: "level \(i)", ownerID: alice.id, now: t0).id
        }
        for i in 0..<1_100 {
            _ = try await sqlite.createFile(
                folderID: alice.rootFolderID, name: "file \(i).txt", ownerID: alice.id,
                blob: StoredBlob(key: "b\(i)", size: Int64(i), sha256: Array(repeating: 7, count: 32)),
                info: VersionInfo(authorID: alice.id, source: .upload), now: t0 + Int64(i))
        }
        let url = try #require(StoreKind.postgresURL)
        let postgres = try await PostgresMetadataStore.open(
            PostgresLocation(url: url + "?schema=m_" + StoreKind.schemaSuffix()), maximumConnections: 2)
        let lines = LineLog()
        let report = try await StoreMigration(source: sqlite, target: postgres).run { lines.add($0) }
        #expect(report.rows["folders"] == 701 && report.rows["files"] == 1_100 && report.rows["versions"] == 1_100)
        #expect(try await postgres.folderPath(id: parent).count == 701)
        #expect(try await postgres.folderPath(id: parent) == (try await sqlite.folderPath(id: parent)))
        let page = try await postgres.listFolder(
            id: alice.rootFolderID, order: .name, descending: false, nameContains: "file 10", offset: 0, limit: 100,
            now: t0)
        #expect(page.total == 111)
        #expect(try await postgres.referencedBlobs().count == 1_100)
    }
}

/// Progress lines, collected from a @Sendable closure.
final class LineLog: Sendable {
    private let lines = Mutex<[String]>([])
    func add(_ line: String) { lines.withLock { $0.append(line) } }
    var count: Int { lines.withLock { $0.count } }
}
