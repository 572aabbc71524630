import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// Checks the proof headers of requests made with editor-bound tokens (PROTOCOL.md §A.11).
/// Fails closed: an editor whose discovery is unknown, or a proof that does not verify after one
/// rate-limited discovery refetch, is a 500.
struct ProofChecker: Sendable {
    let registry: EditorRegistry
    /// Scheme, host, port and any path prefix of the URLs an editor may have called, the WOPI
    /// URL first: the URL the editor signed is the one it was given, not what a
    /// TLS-terminating proxy forwards. A proof that verifies for any of them is accepted.
    let bases: [String]
    let clock: any FolioClock

    init(registry: EditorRegistry, bases: [String], clock: any FolioClock) {
        self.registry = registry
        var unique: [String] = []
        for base in bases where !unique.contains(base) { unique.append(base) }
        self.bases = unique
        self.clock = clock
    }

    /// Accepts a proof made with the key of any node of the token's editor: co-editors of one
    /// document meet on one node, but each node of a cluster may sign with its own key.
    func check(_ request: Request, token: String, editor: EditorKind) async throws {
        guard registry.isConfigured(editor) else {
            throw FolioError.proofFailed("the token is for \(editor.rawValue), which is not configured")
        }
        var known = registry.loadedDiscoveries(for: editor)
        if known.isEmpty {
            await registry.refetch(editor)
            known = registry.loadedDiscoveries(for: editor)
        }
        guard !known.isEmpty else {
            throw FolioError.proofFailed("the discovery of \(editor.rawValue) is not available")
        }
        if known.contains(where: { $0.proofKey == nil }) { return }
        let target = request.uri.string
        let keys = known.compactMap(\.proofKey)
        var outcomes = keys.map { outcome($0, target: target, headers: request.headers, token: token) }
        if outcomes.contains(.valid) { return }
        // Only an old key matched, or none did: the editor may have rotated its keys.
        if outcomes.contains(where: \.shouldRefreshDiscovery) {
            await registry.refetch(editor)
            let fresh = registry.loadedDiscoveries(for: editor).compactMap(\.proofKey).filter { !keys.contains($0) }
            outcomes += fresh.map { outcome($0, target: target, headers: request.headers, token: token) }
            if outcomes.contains(where: \.isAccepted) { return }
        }
        throw FolioError.proofFailed("proof check failed: \(outcomes.first.map { "\($0)" } ?? "no key")")
    }

    /// Whether a request may go ahead on what is already known, without waiting: true when a
    /// node of the editor publishes no key, or the proof verifies with a node's current key.
    /// Everything else (no discovery yet, only an old key matches, any failure) is false, and
    /// `check` then decides, refetching discovery if need be.
    func acceptsWithoutWaiting(target: String, headers: HTTPFields, token: String, editor: EditorKind) -> Bool {
        let known = registry.loadedDiscoveries(for: editor)
        guard registry.isConfigured(editor), !known.isEmpty else { return false }
        return known.contains { discovery in
            guard let keys = discovery.proofKey else { return true }
            return outcome(keys, target: target, headers: headers, token: token) == .valid
        }
    }

    /// Verifies the proof headers against `keys` for the request target as received.
    func outcome(_ keys: Discovery.ProofKeys, target: String, headers: HTTPFields, token: String) -> ProofOutcome {
        func check(_ candidate: String) -> ProofOutcome {
            ProofValidator.verify(
                token: token, url: candidate, timestampHeader: headers[.wopiTimestamp],
                proof: headers[.wopiProof], proofOld: headers[.wopiProofOld],
                current: keys.current, old: keys.old, nowMicroseconds: clock.now())
        }
        // Clients differ in how they encode the token in the URL they sign: as sent, or with every
        // non-alphanumeric character percent-encoded (Office; the validator's runner signs that
        // form and then sends `-` and `_` unencoded). Either form is accepted.
        var first: ProofOutcome?
        for base in bases {
            let url = signedURL(target: target, base: base)
            let outcome = check(url)
            first = first ?? outcome
            // Only a signature mismatch can be another encoding or another base.
            guard case .invalid = outcome else { return outcome }
            if let other = Self.aggressivelyEncoded(url, token: token) {
                let second = check(other)
                if case .invalid = second {} else { return second }
            }
        }
        return first ?? .invalid(reason: "no base URL to check against")
    }

    /// `url` with the `access_token` value percent-encoded for every non-alphanumeric character,
    /// or nil when that changes nothing.
    static func aggressivelyEncoded(_ url: String, token: String) -> String? {
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        for c in token.utf8 {
            let alphanumeric = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
            if alphanumeric { bytes.append(c) } else { bytes += [37, hex[Int(c >> 4)], hex[Int(c & 15)]] }
        }
        let encoded = String(decoding: bytes, as: UTF8.self)
        guard encoded != token, url.contains("access_token=" + token) else { return nil }
        return url.replacingOccurrences(of: "access_token=" + token, with: "access_token=" + encoded)
    }

    /// The URL as the editor sent it: a base plus the path and query exactly as received.
    func signedURL(target: String, base: String) -> String {
        let origin = base.prefixOrigin
        let prefix = String(base.dropFirst(origin.count))
        return origin + (prefix.isEmpty || target.hasPrefix(prefix + "/") ? "" : prefix) + target
    }
}

extension String {
    /// `scheme://host[:port]` of an absolute URL (the whole string when it has no path).
    var prefixOrigin: String {
        guard let schemeEnd = range(of: "://") else { return self }
        let rest = self[schemeEnd.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return self }
        return String(self[..<slash])
    }
}
