/// The application API's keys, and the users an application knows by its own ids.
public protocol APIKeyStore: Sendable {
    func createAPIKey(_ key: APIKey) async throws
    func apiKey(id: String) async throws -> APIKey?
    func apiKeys() async throws -> [APIKey]
    func revokeAPIKey(id: String, now: Int64) async throws
    /// Creates the user an application knows by `externalID`, or renames them; one transaction.
    func upsertExternalUser(externalID: String, displayName: String, now: Int64) async throws -> User
    func user(externalID: String) async throws -> User?
}
