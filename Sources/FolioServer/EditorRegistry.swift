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

/// The configured editors, each one or more nodes (a cluster), and what their discovery says.
/// Each node's discovery is fetched at start (a node that is down does not stop Folio: it is
/// retried with back-off), kept for twelve hours, and fetched again on demand when a proof
/// fails, at most once per `refetchSpacing`. A kind with several nodes is probed every
/// `probeInterval`: a node whose discovery fails is left out of `node(for:fileID:)` until a
/// probe succeeds again.
public actor EditorRegistry: Service {
    struct State {
        var lastAttempt: ContinuousClock.Instant?
        var lastError: String?
        /// The fetch under way: whoever asks meanwhile waits for it. Skipping it (it was
        /// attempted just now) would answer "no discovery" to the first requests after start,
        /// while the first fetch is still on its way.
        var running: Task<Bool, Never>?
    }

    /// Discovery URLs by kind; several for a cluster, in the order they were configured.
    public nonisolated let editors: [EditorKind: [String]]
    let fetcher: any DiscoveryFetching
    let logger: Logger
    let refreshInterval: Duration
    let refetchSpacing: Duration
    let probeInterval: Duration
    var states: [EditorNode: State] = [:]
    /// What every node's latest fetch left, readable without awaiting the actor so that
    /// requests answered on the event loop can check proofs and pages can list.
    nonisolated let loaded = Mutex<[EditorNode: EditorNode.Status]>([:])

    public init(
        editors: [EditorKind: [String]], fetcher: any DiscoveryFetching, logger: Logger,
        refreshInterval: Duration = .seconds(12 * 3600), refetchSpacing: Duration = .seconds(5),
        probeInterval: Duration = .seconds(15)
    ) {
        self.editors = editors.filter { !$0.value.isEmpty }
        self.fetcher = fetcher
        self.logger = logger
        self.refreshInterval = refreshInterval
        self.refetchSpacing = refetchSpacing
        self.probeInterval = probeInterval
    }

    /// Every configured node.
    public nonisolated var nodes: [EditorNode] {
        EditorKind.allCases.flatMap { kind in
            let urls = editors[kind] ?? []
            return urls.enumerated().map {
                EditorNode(kind: kind, index: $0.offset, url: $0.element, clustered: urls.count > 1)
            }
        }
    }

    public nonisolated func isConfigured(_ kind: EditorKind) -> Bool { editors[kind] != nil }

    /// Keeps every node's discovery fresh until the service group shuts down. It must not
    /// return before then: a service that ends stops the whole group, server included.
    public nonisolated func run() async {
        guard !editors.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for node in self.nodes { group.addTask { await self.keepFresh(node) } }
            }
        }
    }

    func keepFresh(_ node: EditorNode) async {
        let clustered = (editors[node.kind]?.count ?? 0) > 1
        // A lone node is only refreshed; a cluster's nodes are probed, so that documents move
        // off a node soon after it fails and back when it returns.
        let healthy = clustered ? min(probeInterval, refreshInterval) : refreshInterval
        var delay = Duration.seconds(1)
        while !Task.isCancelled {
            if await fetch(node) {
                delay = .seconds(1)
                try? await Task.sleep(for: healthy)
            } else {
                logger.warning("will retry discovery of \(node.name) in \(delay)")
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, clustered ? max(probeInterval, .seconds(1)) : .seconds(60))
            }
        }
    }

    /// Fetches and parses one node's discovery, or waits for the fetch already under way.
    @discardableResult
    func fetch(_ node: EditorNode) async -> Bool {
        let running: Task<Bool, Never>
        if let underWay = states[node]?.running {
            running = underWay
        } else {
            states[node, default: State()].lastAttempt = .now
            running = Task { await self.load(node) }
            states[node, default: State()].running = running
        }
        let loaded = await withTaskCancellationHandler {
            await running.value
        } onCancel: {
            running.cancel()
        }
        if states[node]?.running == running { states[node]?.running = nil }
        return loaded
    }

    /// One fetch of a node's discovery. A failure keeps the previous discovery (a lone node
    /// keeps serving what it published) but marks the node down.
    func load(_ node: EditorNode) async -> Bool {
        do {
            let discovery = try Discovery(xml: try await fetcher.fetch(node.url))
            let wasDown = loaded.withLock { status in
                let wasDown = status[node]?.isUp == false
                status[node] = .init(discovery: discovery, isUp: true)
                return wasDown
            }
            states[node, default: State()].lastError = nil
            record(node, result: "ok", up: true)
            logger.info(
                wasDown ? "\(node.name) is back" : "discovery of \(node.name) loaded",
                metadata: [
                    "url": "\(node.url)", "actions": "\(discovery.apps.reduce(0) { $0 + $1.actions.count })",
                    "proofKey": "\(discovery.proofKey != nil)",
                ])
            return true
        } catch {
            loaded.withLock { status in
                status[node] = .init(discovery: status[node]?.discovery, isUp: false)
            }
            states[node, default: State()].lastError = "\(error)"
            record(node, result: "failed", up: false)
            logger.error("discovery of \(node.name) failed", metadata: ["url": "\(node.url)", "error": "\(error)"])
            return false
        }
    }

    nonisolated func record(_ node: EditorNode, result: String, up: Bool) {
        Counter(
            label: "folio_discovery_refreshes_total", dimensions: [("editor", node.kind.rawValue), ("result", result)]
        )
        .increment()
        Gauge(label: "folio_editor_node_up", dimensions: [("editor", node.kind.rawValue), ("node", node.url)])
            .record(up ? 1 : 0)
    }

    /// The node that opens `fileID` with `kind`: the highest of a stable hash of the file id
    /// and each node's URL (rendezvous hashing) among the nodes that are up, so every
    /// co-editor of a document, on every Folio instance, meets on one node, and a node that
    /// goes down moves only its own documents. With every node down, the nodes whose
    /// discovery is still known; nil when none is. No file id: the first node that is up.
    public nonisolated func node(for kind: EditorKind, fileID: String?) -> (EditorNode, Discovery)? {
        let status = loaded.withLock { $0 }
        let known = nodes.filter { $0.kind == kind }.compactMap { node in
            status[node].flatMap { s in s.discovery.map { (node, $0, s.isUp) } }
        }
        let candidates = known.contains { $0.2 } ? known.filter { $0.2 } : known
        guard let fileID else { return candidates.first.map { ($0.0, $0.1) } }
        return candidates.max { $0.0.weight(for: fileID) < $1.0.weight(for: fileID) }.map { ($0.0, $0.1) }
    }

    /// The discovery of the node that opens `fileID`, fetching it (rate-limited) when no node
    /// of the kind has answered yet, as just after start.
    public func discovery(for kind: EditorKind, fileID: String?) async -> Discovery? {
        if let (_, discovery) = node(for: kind, fileID: fileID) { return discovery }
        await refetch(kind)
        return node(for: kind, fileID: fileID)?.1
    }

    /// The discovery loaded for `kind`'s node of `fileID`, without waiting.
    public nonisolated func loadedDiscovery(for kind: EditorKind, fileID: String? = nil) -> Discovery? {
        node(for: kind, fileID: fileID)?.1
    }

    /// The discovery documents every node of `kind` has published (for listings and proofs:
    /// any node of a configured editor may call).
    public nonisolated func loadedDiscoveries(for kind: EditorKind) -> [Discovery] {
        let status = loaded.withLock { $0 }
        return nodes.filter { $0.kind == kind }.compactMap { status[$0]?.discovery }
    }

    /// Whether each node answered its last discovery fetch (nil: not tried yet).
    public nonisolated func health() -> [(EditorNode, Bool?)] {
        let status = loaded.withLock { $0 }
        return nodes.map { ($0, status[$0]?.isUp) }
    }

    public func lastError(for node: EditorNode) -> String? { states[node]?.lastError }

    /// Fetches every node's discovery again unless that was tried within `refetchSpacing`
    /// (a fetch still under way is waited for).
    public func refetch(_ kind: EditorKind) async {
        for node in nodes where node.kind == kind {
            if states[node]?.running == nil, let last = states[node]?.lastAttempt,
                last.duration(to: .now) < refetchSpacing
            {
                continue
            }
            await fetch(node)
        }
    }
}

/// One server of an editor: its kind, its place in the configuration and its discovery URL.
public struct EditorNode: Sendable, Hashable {
    public let kind: EditorKind
    public let index: Int
    public let url: String
    /// Whether the kind has other nodes.
    public let clustered: Bool

    /// How logs and doctor name it: the kind, with the node's number in a cluster.
    public var name: String { clustered ? "\(kind.rawValue) node \(index + 1)" : kind.rawValue }

    struct Status: Sendable {
        var discovery: Discovery?
        var isUp: Bool
    }

    /// The node's weight for a file: FNV-1a over the file id and the URL, finished with
    /// SplitMix64's mixer so that near keys spread. Stable across processes and machines.
    func weight(for fileID: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in fileID.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        hash = (hash ^ 0x0a) &* 0x100_0000_01b3
        for byte in url.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        hash = (hash ^ (hash >> 30)) &* 0xbf58_476d_1ce4_e5b9
        hash = (hash ^ (hash >> 27)) &* 0x94d0_49bb_1331_11eb
        return hash ^ (hash >> 31)
    }
}
