import Foundation

/// Keeping the data folder tidy and checking it is usable.
extension Folio {
    public struct GarbageReport: Sendable, Codable, Equatable {
        public var blobsScanned: Int
        public var orphansRemoved: Int
        public var bytesFreed: Int64
        public var stagedRemoved: Int
        /// Orphans younger than the grace period, left for a later run.
        public var youngOrphansKept: Int
    }

    /// Removes blobs no version refers to and uploads a crash left half-staged. Only what is
    /// older than `minimumAge` goes: a blob written a moment ago may be about to be committed
    /// by a running server. `progress` hears about every thousand blobs checked.
    public func collectGarbage(
        minimumAge: TimeInterval = 3600, dryRun: Bool = false, progress: (String) -> Void = { _ in }
    ) async throws -> GarbageReport {
        // Previews of content no version holds any more go first; their blobs then are orphans.
        let forgotten = dryRun ? 0 : try await derived.forgetUnreferencedDerived()
        if forgotten > 0 { progress("forgot \(forgotten) previews and conversions of content no version holds") }
        let inventory = try await blobs.inventory()
        let referenced = try await maintenance.referencedBlobs()
        let cutoff = Date().addingTimeInterval(-minimumAge)
        var report = GarbageReport(
            blobsScanned: 0, orphansRemoved: 0, bytesFreed: 0, stagedRemoved: 0, youngOrphansKept: 0)
        progress("checking \(inventory.blobs.count) blobs against \(referenced.count) referenced")
        for (index, blob) in inventory.blobs.enumerated() {
            report.blobsScanned += 1
            if (index + 1) % 1000 == 0 { progress("checked \(index + 1) of \(inventory.blobs.count)") }
            guard !referenced.contains(blob.name) else { continue }
            guard blob.modifiedAt < cutoff else {
                report.youngOrphansKept += 1
                continue
            }
            if !dryRun { try await blobs.remove(blob.name) }
            report.orphansRemoved += 1
            report.bytesFreed += blob.size
        }
        for staged in inventory.staged where staged.modifiedAt < cutoff {
            if !dryRun { try await blobs.removeStaged(staged.name) }
            report.stagedRemoved += 1
            report.bytesFreed += staged.size
        }
        return report
    }

    /// Readiness: the database answers and the blob folder takes writes.
    public func checkReady() async throws {
        try await maintenance.ping()
        try await blobs.checkWritable()
    }
}
