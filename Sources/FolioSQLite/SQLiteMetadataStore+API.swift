import FolioCore
import Foundation
import GRDB

/// API keys, users known by an application's ids, webhooks and their deliveries.
extension SQLiteMetadataStore {
    public func createAPIKey(_ key: APIKey) async throws {
        try await write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (id, name, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    key.id, key.name, key.secretHash, key.scopes.map(\.rawValue).sorted().joined(separator: ","),
                    key.createdAt,
                ])
        }
    }

    public func apiKey(id: String) async throws -> APIKey? {
        try await pool.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM api_keys WHERE id = ?"), arguments: [id])
                .map(Self.apiKey(from:))
        }
    }

    public func apiKeys() async throws -> [APIKey] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY created_at").map(Self.apiKey(from:))
        }
    }

    public func revokeAPIKey(id: String, now: Int64) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, id])
            guard db.changesCount == 1 else { throw FolioError.notFound("no live API key \(id)") }
        }
    }

    public func upsertExternalUser(externalID: String, displayName: String, now: Int64) async throws -> User {
        try await write { db in
            if var user = try Row.fetchOne(
                db, sql: "SELECT * FROM users WHERE external_id = ?", arguments: [externalID]
            )
            .map(Self.user(from:)) {
                if user.displayName != displayName {
                    try db.execute(
                        sql: "UPDATE users SET display_name = ? WHERE id = ?", arguments: [displayName, user.id])
                    user.displayName = displayName
                }
                return user
            }
            let user = StoreRules.newUser(prefix: "app-", displayName: displayName, now: now, externalID: externalID)
            let id = user.id
            try db.execute(
                sql: """
                    INSERT INTO users (id, login, login_key, display_name, is_admin, password_hash, root_folder_id,
                        created_at, external_id)
                    VALUES (?, ?, ?, ?, 0, NULL, ?, ?, ?)
                    """,
                arguments: [id, user.login, Self.key(user.login), displayName, user.rootFolderID, now, externalID])
            try db.execute(
                sql: """
                    INSERT INTO folders (id, parent_id, owner_id, name, name_key, created_at, modified_at)
                    VALUES (?, NULL, ?, ?, ?, ?, ?)
                    """,
                arguments: [user.rootFolderID, id, user.login, Self.key(user.login), now, now])
            return user
        }
    }

    public func user(externalID: String) async throws -> User? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE external_id = ?", arguments: [externalID])
                .map(Self.user(from:))
        }
    }

    public func createWebhook(_ hook: Webhook) async throws {
        defer { webhookCache.withLock { $0 = nil } }
        try await write { db in
            try db.execute(
                sql: "INSERT INTO webhooks (id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [
                    hook.id, hook.url, hook.events.map(\.rawValue).sorted().joined(separator: ","), hook.secret,
                    hook.createdAt,
                ])
        }
    }

    /// Every event asks who listens: answered from memory for a few seconds (webhooks change
    /// rarely; this process forgets at once when it changes them itself).
    public func webhooks() async throws -> [Webhook] {
        let now = ContinuousClock.now
        if let cached = webhookCache.withLock({ $0 }), cached.loadedAt.duration(to: now) < .seconds(2) {
            return cached.hooks
        }
        let hooks = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhooks ORDER BY created_at").map(Self.webhook(from:))
        }
        webhookCache.withLock { $0 = (now, hooks) }
        return hooks
    }

    public func deleteWebhook(id: String) async throws {
        defer { webhookCache.withLock { $0 = nil } }
        try await write { db in
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else { throw FolioError.notFound("no webhook \(id)") }
            // Pending deliveries of a removed webhook are dropped; the log keeps the rest.
            try db.execute(
                sql:
                    "UPDATE webhook_deliveries SET next_attempt_at = NULL WHERE webhook_id = ? AND delivered_at IS NULL",
                arguments: [id])
        }
    }

    @discardableResult
    public func enqueueDeliveries(event: WebhookEvent, payload: String, now: Int64) async throws -> Int {
        try await write { db in
            var count = 0
            for hook in try Row.fetchAll(db, sql: "SELECT * FROM webhooks").map(Self.webhook(from:))
            where hook.events.contains(event) {
                try db.execute(
                    sql: """
                        INSERT INTO webhook_deliveries (id, webhook_id, event, payload, created_at, next_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [Identifier.random(), hook.id, event.rawValue, payload, now, now])
                count += 1
            }
            return count
        }
    }

    public func dueDeliveries(now: Int64, limit: Int) async throws -> [(WebhookDelivery, Webhook)] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.*, w.url AS w_url, w.events AS w_events, w.secret AS w_secret, w.created_at AS w_created_at
                    FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                    WHERE d.delivered_at IS NULL AND d.gave_up_at IS NULL AND d.next_attempt_at <= ?
                    ORDER BY d.next_attempt_at, d.created_at LIMIT ?
                    """, arguments: [now, limit]
            ).map { row in
                (
                    Self.delivery(from: row),
                    Webhook(
                        id: row["webhook_id"], url: row["w_url"], events: Self.events(row["w_events"]),
                        secret: row["w_secret"], createdAt: row["w_created_at"])
                )
            }
        }
    }

    public func recordDeliveryAttempt(_ delivery: WebhookDelivery) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, delivered_at = ?, gave_up_at = ?,
                        last_status = ?, last_error = ?
                    WHERE id = ?
                    """,
                arguments: [
                    delivery.attempts, delivery.nextAttemptAt, delivery.deliveredAt, delivery.gaveUpAt,
                    delivery.lastStatus, delivery.lastError, delivery.id,
                ])
        }
    }

    public func deliveries(webhookID: String?, limit: Int) async throws -> [WebhookDelivery] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM webhook_deliveries WHERE ?1 IS NULL OR webhook_id = ?1
                    ORDER BY created_at DESC, id LIMIT ?2
                    """, arguments: [webhookID, limit]
            ).map(Self.delivery(from:))
        }
    }

    static func apiKey(from row: Row) -> APIKey {
        let scopes: String = row["scopes"]
        return APIKey(
            id: row["id"], name: row["name"], secretHash: row["secret_hash"],
            scopes: Set(scopes.split(separator: ",").compactMap { APIScope(rawValue: String($0)) }),
            createdAt: row["created_at"], revokedAt: row["revoked_at"])
    }

    static func events(_ text: String) -> Set<WebhookEvent> {
        Set(text.split(separator: ",").compactMap { WebhookEvent(rawValue: String($0)) })
    }

    static func webhook(from row: Row) -> Webhook {
        Webhook(
            id: row["id"], url: row["url"], events: events(row["events"]), secret: row["secret"],
            createdAt: row["created_at"])
    }

    static func delivery(from row: Row) -> WebhookDelivery {
        WebhookDelivery(
            id: row["id"], webhookID: row["webhook_id"], event: WebhookEvent(rawValue: row["event"]) ?? .fileSaved,
            payload: row["payload"], createdAt: row["created_at"], attempts: row["attempts"],
            nextAttemptAt: row["next_attempt_at"], deliveredAt: row["delivered_at"], gaveUpAt: row["gave_up_at"],
            lastStatus: row["last_status"], lastError: row["last_error"])
    }
}
