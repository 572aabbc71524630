import Crypto
import Foundation

/// The editing session a save belongs to, as recorded with each version: WOPI saves by the
/// lock their session holds (a digest: lock ids can be long), ONLYOFFICE's by its document key.
public enum VersionSession {
    public static func wopi(lock: String) -> String {
        "w:" + SHA256.hash(data: Data(lock.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    public static func onlyOffice(key: String) -> String { "o:" + key }
}

extension Folio {
    public struct RetentionReport: Sendable, Codable, Equatable {
        public var filesChecked = 0
        public var versionsRemoved = 0
        /// Bytes of the removed versions; `gc` frees what no other version shares.
        public var bytesRemoved: Int64 = 0
        public var dryRun = false

        public init() {}
    }

    /// Whether `policy`, or a space's own, may ever remove a version.
    public func retentionRemovesAnything(_ policy: RetentionPolicy) -> Bool {
        !policy.keepsEverything || spaces.spaces.values.contains { $0.retention?.keepsEverything == false }
    }

    /// Applies `policy` (a space's own for its documents) to every file an editor saved, or to the files `only` names (the
    /// background job looks again only at those with saves that crossed a tier's age since its
    /// last run). The sessions in progress (a WOPI lock in force, an ONLYOFFICE key still
    /// open) are left alone; the store re-checks its guards as it removes. `progress` hears
    /// about every hundred files.
    public func applyRetention(
        _ policy: RetentionPolicy, only: Set<String>? = nil, dryRun: Bool = false, progress: (String) -> Void = { _ in }
    ) async throws -> RetentionReport {
        var report = RetentionReport()
        report.dryRun = dryRun
        guard retentionRemovesAnything(policy) else { return report }
        let now = now()
        var ids = only.map { $0.sorted() } ?? []
        if only == nil { ids = try await retention.filesSavedByEditors(created: Int64.min..<now) }
        if ids.count > 100 { progress("checking \(ids.count) files") }
        for (index, id) in ids.enumerated() {
            if (index + 1) % 100 == 0 { progress("checked \(index + 1) of \(ids.count) files") }
            guard let file = try await files.file(id: id) else { continue }
            let versions = try await files.versions(fileID: id)
            let open = try await files.currentLock(fileID: id, now: now).map { VersionSession.wopi(lock: $0.id) }
            // A space may have a policy of its own.
            let policy = spaces.space(owning: file.ownerID)?.retention ?? policy
            let removable = policy.removable(
                from: versions, current: file.version, protectedSessions: Set(open.map { [$0] } ?? []), now: now)
            report.filesChecked += 1
            guard !removable.isEmpty else { continue }
            let removed: [Version]
            if dryRun {
                removed = versions.filter { removable.contains($0.number) }
            } else {
                removed = try await retention.removeVersions(
                    fileID: id, numbers: removable, openSessions: open.map { [$0] } ?? [])
            }
            report.versionsRemoved += removed.count
            report.bytesRemoved += removed.reduce(0) { $0 + $1.size }
        }
        if !dryRun, report.versionsRemoved > 0 {
            logger.info(
                "retention removed autosaves",
                metadata: [
                    "versions": "\(report.versionsRemoved)", "files": "\(report.filesChecked)",
                    "bytes": "\(report.bytesRemoved)", "policy": "\(policy)",
                ])
        }
        return report
    }
}
