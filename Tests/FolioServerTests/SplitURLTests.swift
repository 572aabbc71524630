import Crypto
import FolioCore
import FolioServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import _CryptoExtras

/// `wopi_url`: editors reach Folio by another name than people do (an editor inside a cluster,
/// Folio behind a TLS proxy). Everything given to editors starts with the WOPI URL; everything
/// given to people with the public one; proofs verify for the URL the editor was given.
@Suite struct SplitURLTests {
    static let publicBase = "https://files.example.test"
    static let wopiBase = "http://folio.internal:8080"

    func app(_ f: ServerFixture, fetcher: any DiscoveryFetching) -> some ApplicationProtocol {
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, publicURL: Self.publicBase)
        configuration.wopiURL = Self.wopiBase
        configuration.editors = [.collabora: ["http://cool.test/hosting/discovery"]]
        configuration.answersImmediately = false
        return FolioApplication.make(folio: f.folio, configuration: configuration, logger: logger, fetcher: fetcher)
    }

    func field(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test func editorsGetTheWOPIURLAndPeopleThePublicOne() async throws {
        let f = try await ServerFixture.make()
        let keys = ProofTestKeys()
        try await app(f, fetcher: keys).test(.router) { client in
            // The host page: the form posts WOPISrc on the WOPI URL into the editor's frame.
            let ticket = f.folio.issueToken(.page(f.file.id), userID: f.alice.id, role: .edit).token
            let page = try await client.execute(uri: "/files/\(f.file.id)/edit?ticket=\(ticket)", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("WOPISrc=http%3A%2F%2Ffolio.internal%3A8080%2Fwopi%2Ffiles%2F\(f.file.id)"))
            #expect(!page.text.contains("WOPISrc=https%3A%2F%2Ffiles.example.test"))
            let token = try #require(field("access_token", in: page.text))

            // CheckFileInfo, signed for the URL the editor was given: people's URLs are public.
            let uri = "/wopi/files/\(f.file.id)?access_token=\(token)"
            let info = try await client.execute(
                uri: uri, method: .get,
                headers: keys.proofHeaders(token: token, url: Self.wopiBase + uri, key: keys.current))
            #expect(info.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(info.text.utf8)) as? [String: Any])
            #expect(json["PostMessageOrigin"] as? String == Self.publicBase)
            #expect((json["FileSharingUrl"] as? String)?.hasPrefix(Self.publicBase + "/share/file/") == true)

            // GetShareUrl gives people a link on the public URL.
            var headers = keys.proofHeaders(token: token, url: Self.wopiBase + uri, key: keys.current)
            headers[HTTPField.Name("X-WOPI-Override")!] = "GET_SHARE_URL"
            headers[HTTPField.Name("X-WOPI-UrlType")!] = "ReadOnly"
            let share = try await client.execute(uri: uri, method: .post, headers: headers)
            #expect(share.status == .ok, "\(share.text)")
            #expect((share.json()["ShareUrl"] as? String)?.hasPrefix(Self.publicBase + "/s/") == true)
        }
    }

    @Test func proofsVerifyForTheWOPIURLAndThePublicOneOnly() async throws {
        let f = try await ServerFixture.make()
        let keys = ProofTestKeys()
        let token = f.folio.issueToken(.file(f.file.id), userID: f.alice.id, role: .edit, editor: .collabora).token
        let uri = "/wopi/files/\(f.file.id)?access_token=\(token)"
        try await app(f, fetcher: keys).test(.router) { client in
            var statuses: [Int] = []
            for base in [Self.wopiBase, Self.publicBase, "http://somewhere.else.test"] {
                let headers = keys.proofHeaders(token: token, url: base + uri, key: keys.current)
                statuses.append(Int(try await client.execute(uri: uri, method: .get, headers: headers).status.code))
            }
            // A proof signed for any other URL is refused (500, as the validator expects).
            #expect(statuses == [200, 200, 500])
        }
    }

    @Test func theApplicationAPIGivesEditorsTheWOPIURL() async throws {
        let f = try await ServerFixture.make()
        let keys = ProofTestKeys()
        let (_, secret) = try await f.folio.createAPIKey(name: "split", scopes: Set(APIScope.allCases))
        let user = try await f.folio.upsertExternalUser(externalID: "u7", displayName: "Uma")
        try await f.folio.share(resourceID: f.file.id, with: user, role: .edit)
        try await app(f, fetcher: keys).test(.router) { client in
            let r = try await client.execute(
                uri: "/api/v1/files/\(f.file.id)/sessions", method: .post,
                headers: headers(["Authorization": "Bearer \(secret)", "Content-Type": "application/json"]),
                body: ByteBuffer(string: #"{"user":"u7","editor":"collabora"}"#))
            #expect(r.status == .created, "\(r.text)")
            #expect(r.json()["wopiSrc"] as? String == Self.wopiBase + "/wopi/files/" + f.file.id)
        }
    }
}
