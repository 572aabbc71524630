/// Records behind the application API: keys, webhooks and their deliveries.

/// What an API key may do.
public enum APIScope: String, Sendable, CaseIterable, Codable {
    /// Read users, files, folders, versions and content.
    case read
    /// Create, change and delete files and folders; grants.
    case write
    /// Create and update users.
    case users
    /// Open editing sessions for users.
    case sessions
    /// Register and remove webhooks, read their deliveries.
    case webhooks
}

/// An application's key. The secret is shown once; only its SHA-256 is kept.
public struct APIKey: Sendable, Equatable {
    public var id: String
    public var name: String
    public var secretHash: String
    public var scopes: Set<APIScope>
    public var createdAt: Int64
    public var revokedAt: Int64?

    public init(
        id: String, name: String, secretHash: String, scopes: Set<APIScope>, createdAt: Int64, revokedAt: Int64? = nil
    ) {
        self.id = id
        self.name = name
        self.secretHash = secretHash
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// Something that happened that applications may hear about.
public enum WebhookEvent: String, Sendable, CaseIterable, Codable {
    case fileCreated = "file.created"
    case fileSaved = "file.saved"
    case fileRenamed = "file.renamed"
    case fileDeleted = "file.deleted"
    case lockChanged = "lock.changed"
}

public struct Webhook: Sendable, Equatable {
    public var id: String
    public var url: String
    public var events: Set<WebhookEvent>
    /// The HMAC key deliveries are signed with (`X-Folio-Signature: sha256=…`).
    public var secret: String
    public var createdAt: Int64

    public init(id: String, url: String, events: Set<WebhookEvent>, secret: String, createdAt: Int64) {
        self.id = id
        self.url = url
        self.events = events
        self.secret = secret
        self.createdAt = createdAt
    }
}

/// One event for one webhook, retried with back-off until delivered or given up.
public struct WebhookDelivery: Sendable, Equatable {
    public var id: String
    public var webhookID: String
    public var event: WebhookEvent
    public var payload: String
    public var createdAt: Int64
    public var attempts: Int
    public var nextAttemptAt: Int64?
    public var deliveredAt: Int64?
    public var gaveUpAt: Int64?
    public var lastStatus: Int?
    public var lastError: String?

    public init(
        id: String, webhookID: String, event: WebhookEvent, payload: String, createdAt: Int64, attempts: Int = 0,
        nextAttemptAt: Int64?, deliveredAt: Int64? = nil, gaveUpAt: Int64? = nil, lastStatus: Int? = nil,
        lastError: String? = nil
    ) {
        self.id = id
        self.webhookID = webhookID
        self.event = event
        self.payload = payload
        self.createdAt = createdAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.gaveUpAt = gaveUpAt
        self.lastStatus = lastStatus
        self.lastError = lastError
    }
}

/// An ONLYOFFICE document key: one co-editing session on one version of a file. A key is
/// retired after a final save (status 2) or when the file changed under it.
public struct OfficeKey: Sendable, Equatable {
    public var key: String
    public var fileID: String
    /// The version the session started from.
    public var version: Int64
    public var createdAt: Int64
    public var retiredAt: Int64?
    /// Who is in the session now (callback status 1).
    public var editors: [String]
    /// Set when a save found the file changed meanwhile: the copy holding the editor's result.
    public var conflictFileID: String?

    public init(
        key: String, fileID: String, version: Int64, createdAt: Int64, retiredAt: Int64? = nil, editors: [String] = [],
        conflictFileID: String? = nil
    ) {
        self.key = key
        self.fileID = fileID
        self.version = version
        self.createdAt = createdAt
        self.retiredAt = retiredAt
        self.editors = editors
        self.conflictFileID = conflictFileID
    }
}
