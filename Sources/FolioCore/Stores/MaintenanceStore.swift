/// What garbage collection, readiness and metrics ask of the store.
public protocol MaintenanceStore: Sendable {
    /// Every blob any version refers to (garbage collection).
    func referencedBlobs() async throws -> Set<String>
    /// A cheap read that proves the database answers (readiness).
    func ping() async throws
    /// Live locks, and ONLYOFFICE sessions with people in them (metrics).
    func activity(now: Int64) async throws -> (locks: Int, officeSessions: Int)
}
