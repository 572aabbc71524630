import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FolioServer

/// Locks left behind, through the router: the file's page says who holds the lock, since when
/// and through which editor; its owner breaks it there; the editor's next save is answered 409
/// with the reason and kept as a conflict copy. And the versions page folds a session's saves.
@Suite struct LockRecoveryTests {
    let pages = WebPagesTests()

    @Test func theOwnerBreaksALockOnTheFilesPageAndTheLateSaveBecomesAConflictCopy() async throws {
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .edit)
        let alice = try await pages.signIn(f, f.alice)
        let bob = try await pages.signIn(f, f.bob)
        let token = f.folio.issueToken(.file(f.file.id), userID: f.bob.id, role: .edit, editor: .microsoft).token
        try await appWithMicrosoftEditor(f.folio, configuration: f.configuration).test(.router) { client in
            func wopi(_ override: String, _ body: String = "", lock: String = "bobs-lock") async throws -> TestResponse
            {
                let path = override == "PUT" ? "/contents" : ""
                return try await client.execute(
                    uri: f.uri(nil, path, token: token), method: .post,
                    headers: headers(["X-WOPI-Override": override, "X-WOPI-Lock": lock]),
                    body: ByteBuffer(string: body))
            }
            #expect(try await wopi("LOCK").status == .ok)
            // Bob's editor holds the lock: alice (the owner) sees who, since when, which editor.
            let page = try await client.execute(
                uri: "/files/\(f.file.id)/versions", method: .get, headers: alice.headers)
            #expect(page.text.contains("class=\"lock-panel\"") && page.text.contains("<strong>bob</strong>"))
            #expect(page.text.contains("Microsoft") && page.text.contains("Since <time"))
            #expect(page.text.contains("action=\"/files/\(f.file.id)/lock/break\""))
            // Bob sees the lock but no button, and may not break it.
            let bobs = try await client.execute(uri: "/files/\(f.file.id)/versions", method: .get, headers: bob.headers)
            #expect(bobs.text.contains("class=\"lock-panel\"") && !bobs.text.contains("/lock/break"))
            var (fields, body) = bob.form([:])
            let refused = try await client.execute(
                uri: "/files/\(f.file.id)/lock/break", method: .post, headers: fields, body: body)
            #expect(refused.status == .forbidden)
            (fields, body) = alice.form([:])
            let broken = try await client.execute(
                uri: "/files/\(f.file.id)/lock/break", method: .post, headers: fields, body: body)
            #expect(broken.status == .seeOther)
            #expect(try await f.folio.locksInForce(fileID: f.file.id).isEmpty)
            // Bob's editor saves under the broken lock: 409, the reason, the lock in force (none).
            let late = try await wopi("PUT", "bob's late work")
            #expect(late.status == .conflict)
            #expect(late.header("X-WOPI-Lock") == "")
            let reason = try #require(late.header("X-WOPI-LockFailureReason"))
            #expect(reason.contains("broken by alice") && reason.contains("conflict copy"), "\(reason)")
            #expect(try await f.read(f.file.id) == "hello")
            let folder = f.file.folderID
            let copy = try #require(
                try await f.folio.files.children(ofFolder: folder).files.first {
                    $0.name.contains("conflict copy, bob")
                })
            #expect(try await f.read(copy.id) == "bob's late work")
            // A wrong lock that was never broken is refused as always, and nothing is kept.
            #expect(try await wopi("LOCK", lock: "new-lock").status == .ok)
            #expect(try await wopi("PUT", "stale", lock: "unknown").status == .conflict)
            #expect(try await f.folio.files.children(ofFolder: folder).files.count == 2)
        }
    }

    @Test func theVersionsPageFoldsEachEditingSessionsEarlierSaves() async throws {
        let f = try await ServerFixture.make()
        let alice = try await pages.signIn(f, f.alice)
        let session = try await f.folio.fileAccess(f.file.id, user: f.alice)
        for (lock, count) in [("L1", 3), ("L2", 2), ("L3", 1)] {
            _ = try await f.folio.lock(.lock(lock), session: session)
            for i in 0..<count {
                _ = try await f.folio.saveContent(
                    BufferSequence([ByteBuffer(string: "\(lock)-\(i)")]), expectedSize: nil, session: session,
                    conditions: WriteConditions(lock: .wopi(lock)), flags: SaveFlags(isAutosave: true))
            }
            _ = try await f.folio.lock(.unlock(lock), session: session)
        }
        try await f.app.test(.router) { client in
            let page = try await client.execute(
                uri: "/files/\(f.file.id)/versions", method: .get, headers: alice.headers)
            let html = page.text
            // Seven versions, all listed; L1's first two and L2's first under a fold each.
            #expect(html.components(separatedBy: "data-version=").count == 8)
            #expect(html.components(separatedBy: "<details>").count == 3)
            #expect(html.contains("Earlier saves of this editing session: 2"))
            #expect(html.contains("Earlier saves of this editing session: 1"))
            let firstFold = try #require(html.range(of: "<details>"))
            let top = html[..<firstFold.lowerBound]
            // Shown before any fold: 7 (L3), 6 (L2's last).
            #expect(top.contains("data-version=\"7\"") && top.contains("data-version=\"6\""))
            #expect(!top.contains("data-version=\"5\"") && !html.contains("lock-panel"))
        }
    }
}
