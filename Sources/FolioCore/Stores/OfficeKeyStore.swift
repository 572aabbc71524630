/// ONLYOFFICE document keys: one live key per co-editing session of a file version.
public protocol OfficeKeyStore: Sendable {
    /// The live key for a file at `version`, made if there is none (one co-editing session).
    func officeKey(fileID: String, version: Int64, now: Int64) async throws -> OfficeKey
    func officeKey(_ key: String) async throws -> OfficeKey?
    func updateOfficeKey(_ key: OfficeKey) async throws
}
