import FolioCore
import FolioServer
import Foundation
import Logging
import Synchronization
import Testing

/// The discovery registry's own rules, apart from clusters (`EditorClusterTests`).
@Suite struct EditorRegistryTests {
    /// A discovery that is held until the test lets it through, counting the fetches.
    final class HeldDiscovery: DiscoveryFetching {
        let calls = Mutex(0)
        let gate = AsyncStream<Void>.makeStream()

        func fetch(_ url: String) async throws -> Data {
            // Only the first fetch is held: a later one must never wait for a gate opened once.
            if calls.withLock({
                $0 += 1
                return $0
            }) == 1 {
                for await _ in gate.stream { break }
            }
            return Data(
                """
                <wopi-discovery><net-zone name="external-http"><app name="writer">
                <action name="edit" ext="docx" urlsrc="http://cool.test/edit?"/></app></net-zone></wopi-discovery>
                """.utf8)
        }
    }

    /// Just after start the first fetch is on its way; a request that needs the discovery then
    /// (an editor's first CheckFileInfo with a proof) waits for it instead of being told there is
    /// none because a fetch was attempted a moment ago.
    @Test func aRequestDuringTheFirstFetchWaitsForIt() async throws {
        let fetcher = HeldDiscovery()
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        let registry = EditorRegistry(
            editors: [.collabora: ["http://cool.test/hosting/discovery"]], fetcher: fetcher, logger: logger,
            refetchSpacing: .seconds(3600))
        let first = Task { await registry.refetch(.collabora) }
        while fetcher.calls.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(5)) }
        let asking = Task { await registry.discovery(for: .collabora, fileID: nil) }
        try await Task.sleep(for: .milliseconds(50))
        fetcher.gate.continuation.yield()
        #expect(await asking.value != nil)
        await first.value
        #expect(fetcher.calls.withLock { $0 } == 1, "one fetch, shared")
        // Once loaded, the spacing between refetches holds as before (an hour here, so that a
        // loaded machine cannot outlast it: CI's postgres stage once took more than the default
        // five seconds between these lines, fetched again and waited on the spent gate).
        await registry.refetch(.collabora)
        #expect(fetcher.calls.withLock { $0 } == 1)
    }
}
