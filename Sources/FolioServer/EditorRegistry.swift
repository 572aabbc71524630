import FolioCore
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import WOPI

/// Where discovery documents come from; injectable so tests can play an editor.
public protocol DiscoveryFetching: Sendable {
    func fetch(_ url: String) async throws -> Data
}

/// The configured editors and what their discovery says. Each editor's discovery is fetched at
/// start (an editor that is down does not stop Folio: it is retried with back-off), kept for
/// twelve hours, and fetched again on demand when a proof fails, at most once per `refetchSpacing`.
public actor EditorRegistry: Service {
    struct State {
        var discovery: Discovery?
        var lastAttempt: ContinuousClock.Instant?
        var lastError: String?
    }

    public nonisolated let editors: [EditorKind: String]
    let fetcher: any DiscoveryFetching
    let logger: Logger
    let refreshInterval: Duration
    let refetchSpacing: Duration
    var states: [EditorKind: State] = [:]
    /// A copy of each loaded discovery that can be read without awaiting the actor, so that
    /// requests answered on the event loop can check proofs.
    nonisolated let loaded = Mutex<[EditorKind: Discovery]>([:])

    public init(
        editors: [EditorKind: String], fetcher: any DiscoveryFetching, logger: Logger,
        refreshInterval: Duration = .seconds(12 * 3600), refetchSpacing: Duration = .seconds(5)
    ) {
        self.editors = editors
        self.fetcher = fetcher
        self.logger = logger
        self.refreshInterval = refreshInterval
        self.refetchSpacing = refetchSpacing
    }

    /// Keeps every editor's discovery fresh until the service group shuts down. It must not
    /// return before then: a service that ends stops the whole group, server included.
    public nonisolated func run() async {
        guard !editors.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for kind in self.editors.keys { group.addTask { await self.keepFresh(kind) } }
            }
        }
    }

    func keepFresh(_ kind: EditorKind) async {
        var delay = Duration.seconds(1)
        while !Task.isCancelled {
            if await fetch(kind) {
                delay = .seconds(1)
                try? await Task.sleep(for: refreshInterval)
            } else {
                logger.warning("will retry discovery of \(kind.rawValue) in \(delay)")
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(60))
            }
        }
    }

    /// Fetches and parses one editor's discovery; keeps the previous one when this fails.
    @discardableResult
    func fetch(_ kind: EditorKind) async -> Bool {
        guard let url = editors[kind] else { return false }
        states[kind, default: State()].lastAttempt = .now
        do {
            let discovery = try Discovery(xml: try await fetcher.fetch(url))
            states[kind, default: State()].discovery = discovery
            loaded.withLock { $0[kind] = discovery }
            states[kind, default: State()].lastError = nil
            Counter(
                label: "folio_discovery_refreshes_total", dimensions: [("editor", kind.rawValue), ("result", "ok")]
            )
            .increment()
            logger.info(
                "discovery of \(kind.rawValue) loaded",
                metadata: [
                    "url": "\(url)", "actions": "\(discovery.apps.reduce(0) { $0 + $1.actions.count })",
                    "proofKey": "\(discovery.proofKey != nil)",
                ])
            return true
        } catch {
            states[kind, default: State()].lastError = "\(error)"
            Counter(
                label: "folio_discovery_refreshes_total", dimensions: [("editor", kind.rawValue), ("result", "failed")]
            )
            .increment()
            logger.error("discovery of \(kind.rawValue) failed", metadata: ["url": "\(url)", "error": "\(error)"])
            return false
        }
    }

    public func discovery(for kind: EditorKind) -> Discovery? { states[kind]?.discovery }

    /// The discovery loaded for `kind`, without waiting; may lag `discovery(for:)` by a moment.
    public nonisolated func loadedDiscovery(for kind: EditorKind) -> Discovery? { loaded.withLock { $0[kind] } }

    public func lastError(for kind: EditorKind) -> String? { states[kind]?.lastError }

    /// Fetches discovery again unless that was tried within `refetchSpacing`; returns what is known now.
    public func refetch(_ kind: EditorKind) async -> Discovery? {
        if let last = states[kind]?.lastAttempt, last.duration(to: .now) < refetchSpacing {
            return states[kind]?.discovery
        }
        await fetch(kind)
        return states[kind]?.discovery
    }
}
