import CryptoExtras
import FolioCore
import FolioServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import WOPI

/// Nodes of one editor, each with its own host in its action URLs and its own proof key; any
/// node can be taken down and brought back.
final class ClusterDiscovery: DiscoveryFetching {
    let keys: [String: _RSA.Signing.PrivateKey]
    let down = Mutex<Set<String>>([])

    /// Node `i` signs with `TestRSAKeys.key(firstKey + i)`.
    init(nodes: [String], firstKey: Int = 3) {
        keys = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1, TestRSAKeys.key(firstKey + $0)) })
    }

    /// `http://cool-a.test/hosting/discovery` → `cool-a.test`.
    static func host(_ url: String) -> String { URL(string: url)!.host! }

    func fetch(_ url: String) async throws -> Data {
        guard !down.withLock({ $0.contains(url) }), let key = keys[url] else {
            throw FolioError.unavailable("\(url) is down")
        }
        let primitives = try key.publicKey.getKeyPrimitives()
        let (n, e) = (primitives.modulus.base64EncodedString(), primitives.publicExponent.base64EncodedString())
        let xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <wopi-discovery><net-zone name="external-http">
            <app name="writer"><action name="edit" ext="docx" urlsrc="http://\(Self.host(url))/edit?"/></app>
            </net-zone><proof-key modulus="\(n)" exponent="\(e)" oldmodulus="\(n)" oldexponent="\(e)"/>
            </wopi-discovery>
            """
        return Data(xml.utf8)
    }

    func sign(token: String, url: String, node: String) -> HTTPFields {
        let ticks = ProofValidator.ticks(fromUnixMicroseconds: Int64(Date().timeIntervalSince1970 * 1_000_000))
        let message = ProofValidator.message(token: token, url: url, timestampTicks: ticks)
        let signature = try! keys[node]!.signature(for: Data(message), padding: .insecurePKCS1v1_5).rawRepresentation
        return headers(["X-WOPI-TimeStamp": String(ticks), "X-WOPI-Proof": signature.base64EncodedString()])
    }
}

@Suite struct EditorClusterTests {
    static let nodes = ["a", "b", "c"].map { "http://cool-\($0).test/hosting/discovery" }

    func registry(_ fetcher: ClusterDiscovery, nodes: [String] = nodes) async -> EditorRegistry {
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        let registry = EditorRegistry(
            editors: [.collabora: nodes], fetcher: fetcher, logger: logger, refetchSpacing: .zero)
        await registry.refetch(.collabora)
        return registry
    }

    func placement(_ registry: EditorRegistry, _ ids: [String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: ids.map { ($0, registry.node(for: .collabora, fileID: $0)!.0.url) })
    }

    @Test func everyInstancePutsADocumentOnTheSameNodeAndDocumentsSpread() async throws {
        let fetcher = ClusterDiscovery(nodes: Self.nodes)
        let ids = (0..<600).map { _ in Identifier.random() }
        let first = placement(await registry(fetcher), ids)
        // Another Folio instance (another registry, nodes listed in another order) agrees.
        #expect(placement(await registry(fetcher, nodes: Self.nodes.reversed()), ids) == first)
        let counts = Dictionary(grouping: first.values, by: { $0 }).mapValues(\.count)
        #expect(counts.count == 3)
        #expect(counts.values.allSatisfy { $0 >= 140 }, "600 documents over 3 nodes: \(counts)")
    }

    @Test func aNodeThatFailsMovesOnlyItsOwnDocumentsAndTheyComeBack() async throws {
        let fetcher = ClusterDiscovery(nodes: Self.nodes)
        let registry = await registry(fetcher)
        let ids = (0..<300).map { _ in Identifier.random() }
        let before = placement(registry, ids)
        let failing = Self.nodes[1]
        fetcher.down.withLock { _ = $0.insert(failing) }
        await registry.refetch(.collabora)
        #expect(registry.health().map(\.1) == [true, false, true])
        let during = placement(registry, ids)
        for id in ids {
            if before[id] == failing {
                #expect(during[id] != failing)
            } else {
                #expect(during[id] == before[id])
            }
        }
        fetcher.down.withLock { $0.removeAll() }
        await registry.refetch(.collabora)
        #expect(placement(registry, ids) == before)
        // Every node down: documents stay where they were rather than open nowhere.
        fetcher.down.withLock { $0.formUnion(Self.nodes) }
        await registry.refetch(.collabora)
        #expect(placement(registry, ids) == before)
    }

    @Test func coEditorsGetOneNodeThroughTheHostPageAndAnyNodesProofIsAccepted() async throws {
        let f = try await ServerFixture.make()
        try await f.folio.share(resourceID: f.file.id, with: f.bob, role: .edit)
        let nodes = Array(Self.nodes.prefix(2))
        let fetcher = ClusterDiscovery(nodes: nodes)
        var configuration = f.configuration
        configuration.editors = [.collabora: nodes]
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        let app = FolioApplication.make(folio: f.folio, configuration: configuration, logger: logger, fetcher: fetcher)
        let expected = await registry(fetcher, nodes: nodes).node(for: .collabora, fileID: f.file.id)!.0.url
        let host = ClusterDiscovery.host(expected)
        try await app.test(.router) { client in
            for user in [f.alice, f.bob] {
                let ticket = f.folio.issueToken(.page(f.file.id), userID: user.id, role: .edit).token
                let page = try await client.execute(uri: "/files/\(f.file.id)/edit?ticket=\(ticket)", method: .get)
                #expect(page.status == .ok)
                #expect(page.text.contains("action=\"http://\(host)/edit?WOPISrc="), "\(user.login)")
            }
            // Each node signs with its own key; a token for Collabora is accepted from either.
            let token = f.folio.issueToken(.file(f.file.id), userID: f.alice.id, role: .edit, editor: .collabora)
            let uri = f.uri(token: token.token)
            for node in nodes {
                let signed = fetcher.sign(token: token.token, url: "http://folio.test" + uri, node: node)
                #expect(try await client.execute(uri: uri, method: .get, headers: signed).status == .ok)
            }
            let stranger = ClusterDiscovery(nodes: ["http://x.test/"], firstKey: 6)
            let forged = stranger.sign(token: token.token, url: "http://folio.test" + uri, node: "http://x.test/")
            #expect(try await client.execute(uri: uri, method: .get, headers: forged).status == .internalServerError)
        }
    }
}
