/// What version retention asks of the store: where editors saved, and removing versions
/// with the store's own guards.
public protocol RetentionStore: Sendable {
    /// Live files with a version an editor saved (WOPI or ONLYOFFICE) in `created` (microseconds).
    func filesSavedByEditors(created: Range<Int64>) async throws -> [String]
    /// Removes those of `numbers` that are still safe to remove, in one transaction, and returns
    /// them: never the file's current version, a version an ONLYOFFICE key still open (or one
    /// that left a conflict copy) refers to, nor a save of `openSessions` or of an ONLYOFFICE
    /// session still open. Content stays in the blob store for `gc`.
    func removeVersions(fileID: String, numbers: [Int64], openSessions: [String]) async throws -> [Version]
}
