import FolioCore
import FolioServer
import HummingbirdTesting
import Logging
import Testing

/// Per-role print, export and copy settings and the watermark reach the editors.
@Suite struct EditorPolicyTests {
    @Test func collaboraGetsTheRolesRestrictions() async throws {
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .comment)
        var configuration = f.configuration
        // A Collabora whose discovery publishes no proof key: tokens bound to it need no proof.
        configuration.editors = [.collabora: ["https://cool.test/hosting/discovery"]]
        configuration.policy = EditorPolicy(
            hidePrint: [.view, .comment], hideExport: [.comment], disableCopy: [.view], watermark: "Confidential {user}"
        )
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        let app = FolioApplication.make(
            folio: f.folio, configuration: configuration, logger: logger, fetcher: StaticDiscovery())
        try await app.test(.router) { client in
            let bob = f.folio.issueToken(.file(f.file.id), userID: f.bob.id, role: .comment, editor: .collabora).token
            let info = try await client.execute(uri: f.uri(token: bob), method: .get).json()
            #expect(info["UserCanOnlyComment"] as? Bool == true && info["UserCanWrite"] as? Bool == false)
            #expect(info["HidePrintOption"] as? Bool == true && info["DisablePrint"] as? Bool == true)
            #expect(info["HideExportOption"] as? Bool == true && info["DisableExport"] as? Bool == true)
            #expect(info["DisableCopy"] == nil)
            #expect(info["WatermarkText"] as? String == "Confidential Bob")
            #expect(info["EnableOwnerTermination"] as? Bool == false)
            let alice = f.folio.issueToken(.file(f.file.id), userID: f.alice.id, role: .edit, editor: .collabora).token
            let owner = try await client.execute(uri: f.uri(token: alice), method: .get).json()
            #expect(owner["HidePrintOption"] == nil && owner["DisablePrint"] == nil)
            #expect(owner["EnableOwnerTermination"] as? Bool == true)
            #expect(owner["PostMessageOrigin"] as? String == "http://folio.test")
            // Tokens not bound to an editor get none of the editor extensions.
            let plain = try await client.execute(uri: f.uri(), method: .get).json()
            #expect(plain["WatermarkText"] == nil && plain["PostMessageOrigin"] == nil)
            // A token for an editor that is not configured fails closed.
            let office = f.folio.issueToken(.file(f.file.id), userID: f.alice.id, role: .edit, editor: .microsoft).token
            try await client.execute(uri: f.uri(token: office), method: .get) {
                #expect($0.status == .internalServerError)
            }
        }
    }
}
