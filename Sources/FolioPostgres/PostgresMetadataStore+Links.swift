import FolioCore
import Foundation
import PostgresNIO

/// Share links and the guests who come through them.
extension PostgresMetadataStore {
    public func createLink(_ link: ShareLink) async throws {
        try await write { db in
            try await db.execute(
                """
                INSERT INTO links (id, resource_id, role, created_by, created_at, expires_at, password_hash)
                VALUES (\(link.id), \(link.resourceID), \(link.role.rawValue), \(link.createdBy), \(link.createdAt),
                    \(link.expiresAt), \(link.passwordHash))
                """)
        }
    }

    public func link(id: String) async throws -> ShareLink? {
        try await read { db in try await db.row("SELECT * FROM links WHERE id = \(id)").map(Self.link(from:)) }
    }

    public func links(resourceID: String) async throws -> [ShareLink] {
        try await read { db in
            try await db.rows(
                "SELECT * FROM links WHERE resource_id = \(resourceID) AND revoked_at IS NULL ORDER BY created_at"
            ).map(Self.link(from:))
        }
    }

    public func revokeLink(id: String, now: Int64) async throws {
        try await write { db in
            guard
                try await db.execute(
                    "UPDATE links SET revoked_at = \(now) WHERE id = \(id) AND revoked_at IS NULL RETURNING 1") == 1
            else { throw FolioError.notFound("no such link") }
            try await db.execute(
                "DELETE FROM grants WHERE user_id IN (SELECT id FROM users WHERE guest_link_id = \(id))")
            try await db.execute("UPDATE users SET disabled = TRUE WHERE guest_link_id = \(id)")
            try await db.execute(
                "DELETE FROM web_sessions WHERE user_id IN (SELECT id FROM users WHERE guest_link_id = \(id))")
        }
    }

    public func createGuest(link: ShareLink, displayName: String, now: Int64) async throws -> User {
        let user = StoreRules.newUser(prefix: "guest-", displayName: displayName, now: now, guestLinkID: link.id)
        try await write { db in
            // The link's row is held so a revocation cannot slip in between check and grant.
            guard
                let current = try await db.row("SELECT * FROM links WHERE id = \(link.id) FOR UPDATE").map(
                    Self.link(from:)), current.isLive(at: now)
            else { throw FolioError.unauthorized("this link is no longer valid") }
            try await Self.insertUser(db, user)
            try await db.execute(
                """
                INSERT INTO grants (resource_id, user_id, role)
                VALUES (\(current.resourceID), \(user.id), \(current.role.rawValue))
                """)
        }
        return user
    }

    static func link(from row: PostgresRandomAccessRow) throws -> ShareLink {
        ShareLink(
            id: try row.get("id"), resourceID: try row.get("resource_id"),
            role: Role(rawValue: try row.get("role")) ?? .view, createdBy: try row.get("created_by"),
            createdAt: try row.get("created_at"), expiresAt: try row.get("expires_at"),
            passwordHash: try row.get("password_hash"), revokedAt: try row.get("revoked_at"))
    }
}
