/// Applies the retention policy in the background while the server runs: over every file an
/// editor saved a minute after start and then once a day (sessions that were open at the last
/// look are looked at again), and every hour over the files with saves that crossed one of
/// the policy's ages since the last run. A failed run is logged and tried again next time; it
/// never delays a save (it is a few reads and one short write per file).
public struct RetentionJob: Sendable {
    public let folio: Folio
    public let policy: RetentionPolicy
    public var firstRunAfter: Duration = .seconds(60)
    public var interval: Duration = .seconds(3600)
    public var fullRunEvery = 24

    public init(folio: Folio, policy: RetentionPolicy) {
        self.folio = folio
        self.policy = policy
    }

    public func run() async {
        guard folio.retentionRemovesAnything(policy) else { return }
        try? await Task.sleep(for: firstRunAfter)
        var lastRun: Int64?
        var runs = 0
        while !Task.isCancelled {
            let started = folio.now()
            do {
                var report = Folio.RetentionReport()
                if let lastRun, runs % fullRunEvery != 0 {
                    var ids = Set<String>()
                    let ages = Set(
                        policy.boundaries + folio.spaces.spaces.values.flatMap { $0.retention?.boundaries ?? [] })
                    for age in ages {
                        ids.formUnion(
                            try await folio.retention.filesSavedByEditors(created: lastRun - age..<started - age))
                    }
                    if !ids.isEmpty { report = try await folio.applyRetention(policy, only: ids) }
                } else {
                    report = try await folio.applyRetention(policy) { line in
                        folio.logger.info("retention: \(line)")
                    }
                }
                if report.versionsRemoved == 0 {
                    folio.logger.debug("retention: nothing to remove", metadata: ["files": "\(report.filesChecked)"])
                }
                lastRun = started
                runs += 1
            } catch {
                folio.logger.error("retention run failed; tried again next time", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
