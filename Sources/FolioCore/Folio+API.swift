import Crypto
import Foundation

/// The application API's keys and users, and the events webhooks hear about.
extension Folio {
    /// A new key: `folio_<id>_<secret>`; the whole string is shown once, only the secret's
    /// SHA-256 is kept.
    public func createAPIKey(name: String, scopes: Set<APIScope>) async throws -> (key: APIKey, token: String) {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count) else { throw FolioError.badRequest("a key's name is 1 to 100 characters") }
        guard !scopes.isEmpty else { throw FolioError.badRequest("a key needs at least one scope") }
        let id = Base64URL.encode(Self.randomBytes(9)).replacingOccurrences(of: "_", with: "x")
            .replacingOccurrences(of: "-", with: "y")
        let secret = Base64URL.encode(Self.randomBytes(32))
        let key = APIKey(id: id, name: name, secretHash: Self.hash(secret), scopes: scopes, createdAt: now())
        try await apiKeys.createAPIKey(key)
        return (key, "folio_\(id)_\(secret)")
    }

    /// The live key behind a bearer token; `FolioError.unauthorized` for anything else.
    public func authenticateAPIKey(_ token: String?) async throws -> APIKey {
        let refused = FolioError.unauthorized("a valid API key is required (Authorization: Bearer folio_…)")
        guard let token, token.hasPrefix("folio_") else { throw refused }
        let rest = token.dropFirst(6)
        guard let separator = rest.firstIndex(of: "_") else { throw refused }
        let id = String(rest[..<separator])
        let secret = String(rest[rest.index(after: separator)...])
        guard let key = try await apiKeys.apiKey(id: id), key.revokedAt == nil,
            Self.constantTimeEqual(Self.hash(secret), key.secretHash)
        else { throw refused }
        return key
    }

    public func revokeAPIKey(id: String) async throws {
        try await apiKeys.revokeAPIKey(id: id, now: now())
    }

    /// The user an application knows as `externalID`, created or renamed.
    public func upsertExternalUser(externalID: String, displayName: String) async throws -> User {
        guard (1...200).contains(externalID.utf8.count), !externalID.contains(where: { $0.isNewline }) else {
            throw FolioError.badRequest("an external id is 1 to 200 bytes on one line")
        }
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(name.count) else {
            throw FolioError.badRequest("a display name is 1 to 200 characters")
        }
        return try await apiKeys.upsertExternalUser(externalID: externalID, displayName: name, now: now())
    }

    public func requireExternalUser(_ externalID: String) async throws -> User {
        guard let user = try await apiKeys.user(externalID: externalID) else {
            throw FolioError.notFound("no user with external id \(externalID)")
        }
        return user
    }

    /// Registers a webhook; the secret its deliveries are signed with is returned once.
    public func createWebhook(url: String, events: Set<WebhookEvent>) async throws -> Webhook {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            parsed.host != nil
        else { throw FolioError.badRequest("a webhook URL is an absolute http or https URL") }
        guard !events.isEmpty else { throw FolioError.badRequest("a webhook listens to at least one event") }
        let hook = Webhook(
            id: Identifier.random(), url: url, events: events, secret: Base64URL.encode(Self.randomBytes(32)),
            createdAt: now())
        try await webhooks.createWebhook(hook)
        return hook
    }

    // MARK: Events

    /// Compares secrets without telling how much of them matched.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<x.count { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

/// A value of any encodable type, for small heterogeneous JSON objects.
public struct AnyEncodable: Encodable, Sendable {
    let encodeValue: @Sendable (any Encoder) throws -> Void
    public init<T: Encodable & Sendable>(_ value: T) { encodeValue = { try value.encode(to: $0) } }
    public func encode(to encoder: any Encoder) throws { try encodeValue(encoder) }
}
