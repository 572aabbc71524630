import FolioCore
import Foundation
import PostgresNIO

/// API keys, users known by an application's ids, webhooks and their deliveries.
extension PostgresMetadataStore {
    public func createAPIKey(_ key: APIKey) async throws {
        try await write { db in
            try await db.execute(
                """
                INSERT INTO api_keys (id, name, secret_hash, scopes, created_at)
                VALUES (\(key.id), \(key.name), \(key.secretHash),
                    \(key.scopes.map(\.rawValue).sorted().joined(separator: ",")), \(key.createdAt))
                """)
        }
    }

    public func apiKey(id: String) async throws -> APIKey? {
        try await read { db in try await db.row("SELECT * FROM api_keys WHERE id = \(id)").map(Self.apiKey(from:)) }
    }

    public func apiKeys() async throws -> [APIKey] {
        try await read { db in
            try await db.rows("SELECT * FROM api_keys ORDER BY created_at").map(Self.apiKey(from:))
        }
    }

    public func revokeAPIKey(id: String, now: Int64) async throws {
        try await write { db in
            guard
                try await db.execute(
                    "UPDATE api_keys SET revoked_at = \(now) WHERE id = \(id) AND revoked_at IS NULL RETURNING 1") == 1
            else { throw FolioError.notFound("no live API key \(id)") }
        }
    }

    public func upsertExternalUser(externalID: String, displayName: String, now: Int64) async throws -> User {
        // Two instances making the same user at once: the loser's insert hits the unique index,
        // and `write` runs it again, now finding the winner's row.
        try await write { db in
            if var user = try await db.row("SELECT * FROM users WHERE external_id = \(externalID) FOR UPDATE").map(
                Self.user(from:))
            {
                if user.displayName != displayName {
                    try await db.execute("UPDATE users SET display_name = \(displayName) WHERE id = \(user.id)")
                    user.displayName = displayName
                }
                return user
            }
            let user = StoreRules.newUser(prefix: "app-", displayName: displayName, now: now, externalID: externalID)
            try await Self.insertUser(db, user)
            return user
        }
    }

    public func user(externalID: String) async throws -> User? {
        try await read { db in
            try await db.row("SELECT * FROM users WHERE external_id = \(externalID)").map(Self.user(from:))
        }
    }

    public func createWebhook(_ hook: Webhook) async throws {
        defer { webhookCache.withLock { $0 = nil } }
        try await write { db in
            try await db.execute(
                """
                INSERT INTO webhooks (id, url, events, secret, created_at)
                VALUES (\(hook.id), \(hook.url), \(hook.events.map(\.rawValue).sorted().joined(separator: ",")),
                    \(hook.secret), \(hook.createdAt))
                """)
        }
    }

    /// Answered from memory for two seconds: webhooks change rarely, and another instance's
    /// change is seen within that time.
    public func webhooks() async throws -> [Webhook] {
        let now = ContinuousClock.now
        if let cached = webhookCache.withLock({ $0 }), cached.loadedAt.duration(to: now) < .seconds(2) {
            return cached.hooks
        }
        let hooks = try await read { db in
            try await db.rows("SELECT * FROM webhooks ORDER BY created_at").map(Self.webhook(from:))
        }
        webhookCache.withLock { $0 = (now, hooks) }
        return hooks
    }

    public func deleteWebhook(id: String) async throws {
        defer { webhookCache.withLock { $0 = nil } }
        try await write { db in
            guard try await db.execute("DELETE FROM webhooks WHERE id = \(id) RETURNING 1") == 1 else {
                throw FolioError.notFound("no webhook \(id)")
            }
            // Pending deliveries of a removed webhook are dropped; the log keeps the rest.
            try await db.execute(
                "UPDATE webhook_deliveries SET next_attempt_at = NULL WHERE webhook_id = \(id) AND delivered_at IS NULL"
            )
        }
    }

    @discardableResult
    public func enqueueDeliveries(event: WebhookEvent, payload: String, now: Int64) async throws -> Int {
        try await write { db in
            var count = 0
            for hook in try await db.rows("SELECT * FROM webhooks").map(Self.webhook(from:))
            where hook.events.contains(event) {
                try await db.execute(
                    """
                    INSERT INTO webhook_deliveries (id, webhook_id, event, payload, created_at, next_attempt_at)
                    VALUES (\(Identifier.random()), \(hook.id), \(event.rawValue), \(payload), \(now), \(now))
                    """)
                count += 1
            }
            return count
        }
    }

    /// Due deliveries, claimed: every instance runs a dispatcher, and each due delivery goes to
    /// one of them. The claim moves the next attempt 30 seconds on (three times an attempt's
    /// time limit), so a delivery whose instance dies before recording the attempt is sent
    /// again, by any instance, half a minute later.
    public func dueDeliveries(now: Int64, limit: Int) async throws -> [(WebhookDelivery, Webhook)] {
        let lease = now + 30_000_000
        return try await write { db in
            try await db.rows(
                """
                WITH claimed AS (
                    SELECT id FROM webhook_deliveries
                    WHERE delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= \(now)
                    ORDER BY next_attempt_at, created_at LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                ), moved AS (
                    UPDATE webhook_deliveries d SET next_attempt_at = \(lease) FROM claimed WHERE d.id = claimed.id
                    RETURNING d.*, \(now)::bigint AS due_at
                )
                SELECT moved.*, w.url AS w_url, w.events AS w_events, w.secret AS w_secret,
                    w.created_at AS w_created_at
                FROM moved JOIN webhooks w ON w.id = moved.webhook_id
                ORDER BY moved.created_at
                """
            ).map { row in
                var delivery = try Self.delivery(from: row)
                // The caller sees the delivery as it was due, not as claimed.
                delivery.nextAttemptAt = try row.get("due_at")
                return (
                    delivery,
                    Webhook(
                        id: try row.get("webhook_id"), url: try row.get("w_url"),
                        events: Self.events(try row.get("w_events")), secret: try row.get("w_secret"),
                        createdAt: try row.get("w_created_at"))
                )
            }
        }
    }

    public func recordDeliveryAttempt(_ delivery: WebhookDelivery) async throws {
        try await write { db in
            try await db.execute(
                """
                UPDATE webhook_deliveries SET attempts = \(delivery.attempts), next_attempt_at = \(delivery.nextAttemptAt),
                    delivered_at = \(delivery.deliveredAt), gave_up_at = \(delivery.gaveUpAt),
                    last_status = \(delivery.lastStatus), last_error = \(delivery.lastError)
                WHERE id = \(delivery.id)
                """)
        }
    }

    public func deliveries(webhookID: String?, limit: Int) async throws -> [WebhookDelivery] {
        try await read { db in
            try await db.rows(
                """
                SELECT * FROM webhook_deliveries WHERE \(webhookID)::text IS NULL OR webhook_id = \(webhookID)
                ORDER BY created_at DESC, id LIMIT \(limit)
                """
            ).map(Self.delivery(from:))
        }
    }

    static func apiKey(from row: PostgresRandomAccessRow) throws -> APIKey {
        let scopes: String = try row.get("scopes")
        return APIKey(
            id: try row.get("id"), name: try row.get("name"), secretHash: try row.get("secret_hash"),
            scopes: Set(scopes.split(separator: ",").compactMap { APIScope(rawValue: String($0)) }),
            createdAt: try row.get("created_at"), revokedAt: try row.get("revoked_at"))
    }

    static func events(_ text: String) -> Set<WebhookEvent> {
        Set(text.split(separator: ",").compactMap { WebhookEvent(rawValue: String($0)) })
    }

    static func webhook(from row: PostgresRandomAccessRow) throws -> Webhook {
        Webhook(
            id: try row.get("id"), url: try row.get("url"), events: events(try row.get("events")),
            secret: try row.get("secret"), createdAt: try row.get("created_at"))
    }

    static func delivery(from row: PostgresRandomAccessRow) throws -> WebhookDelivery {
        WebhookDelivery(
            id: try row.get("id"), webhookID: try row.get("webhook_id"),
            event: WebhookEvent(rawValue: try row.get("event")) ?? .fileSaved, payload: try row.get("payload"),
            createdAt: try row.get("created_at"), attempts: try row.get("attempts"),
            nextAttemptAt: try row.get("next_attempt_at"), deliveredAt: try row.get("delivered_at"),
            gaveUpAt: try row.get("gave_up_at"), lastStatus: try row.get("last_status"),
            lastError: try row.get("last_error"))
    }
}
