import FolioCore
import Foundation
import PostgresNIO

/// Accounts, sign-in sessions and grants listings for the web pages.
extension PostgresMetadataStore {
    public func users() async throws -> [User] {
        try await read { db in
            try await db.rows("SELECT * FROM users WHERE guest_link_id IS NULL ORDER BY login_key").map(
                Self.user(from:))
        }
    }

    public func adminExists() async throws -> Bool {
        try await read { db in
            try await db.value(
                "SELECT EXISTS (SELECT 1 FROM users WHERE is_admin AND NOT disabled)", as: Bool.self) ?? false
        }
    }

    public func updateUser(
        id: String, displayName: String?, isAdmin: Bool?, isDisabled: Bool?, passwordHash: String??,
        language: String??
    ) async throws -> User {
        try await write { db in
            guard var user = try await db.row("SELECT * FROM users WHERE id = \(id) FOR UPDATE").map(Self.user(from:))
            else { throw FolioError.notFound("no such user") }
            if let displayName { user.displayName = displayName }
            if let isAdmin { user.isAdmin = isAdmin }
            if let isDisabled { user.isDisabled = isDisabled }
            if let passwordHash { user.passwordHash = passwordHash }
            if let language { user.language = language }
            try await db.execute(
                """
                UPDATE users SET display_name = \(user.displayName), is_admin = \(user.isAdmin),
                    disabled = \(user.isDisabled), password_hash = \(user.passwordHash), language = \(user.language)
                WHERE id = \(id)
                """)
            return user
        }
    }

    public func createWebSession(_ session: WebSession) async throws {
        try await write { db in
            try await db.execute(
                """
                INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, expires_at)
                VALUES (\(session.idHash), \(session.userID), \(session.csrfToken), \(session.createdAt),
                    \(session.expiresAt))
                """)
            // Sign-ins tidy up after themselves: expired sessions go.
            try await db.execute("DELETE FROM web_sessions WHERE expires_at <= \(session.createdAt)")
        }
    }

    public func webSession(idHash: String, now: Int64) async throws -> (WebSession, User)? {
        try await read { db in
            guard
                let row = try await db.row(
                    """
                    SELECT s.id_hash, s.csrf_token, s.created_at AS session_created_at, s.expires_at, u.*
                    FROM web_sessions s JOIN users u ON u.id = s.user_id
                    WHERE s.id_hash = \(idHash) AND s.expires_at > \(now)
                    """)
            else { return nil }
            let user = try Self.user(from: row)
            let session = WebSession(
                idHash: try row.get("id_hash"), userID: user.id, csrfToken: try row.get("csrf_token"),
                createdAt: try row.get("session_created_at"), expiresAt: try row.get("expires_at"))
            return (session, user)
        }
    }

    public func deleteWebSession(idHash: String) async throws {
        try await write { db in try await db.execute("DELETE FROM web_sessions WHERE id_hash = \(idHash)") }
    }

    public func deleteWebSessions(userID: String) async throws {
        try await write { db in try await db.execute("DELETE FROM web_sessions WHERE user_id = \(userID)") }
    }

    public func grants(resourceID: String) async throws -> [GrantRecord] {
        try await read { db in
            try await db.rows(
                """
                SELECT u.*, g.role AS granted_role FROM grants g JOIN users u ON u.id = g.user_id
                WHERE g.resource_id = \(resourceID) AND u.guest_link_id IS NULL ORDER BY u.display_name, u.login_key
                """
            ).map { row in
                GrantRecord(
                    user: try Self.user(from: row), role: Role(rawValue: try row.get("granted_role")) ?? .view)
            }
        }
    }

    public func sharedWith(userID: String) async throws -> [ListingItem] {
        try await read { db in
            try await db.rows(
                """
                SELECT 'folder' AS kind, f.id, f.name, f.name_key, 0::bigint AS size, f.modified_at,
                    0::bigint AS version
                FROM grants g JOIN folders f ON f.id = g.resource_id AND f.deleted_at IS NULL
                WHERE g.user_id = \(userID) AND f.owner_id <> g.user_id
                UNION ALL
                SELECT 'file', f.id, f.name, f.name_key, f.size, f.modified_at, f.version
                FROM grants g JOIN files f ON f.id = g.resource_id AND f.deleted_at IS NULL
                WHERE g.user_id = \(userID) AND f.owner_id <> g.user_id
                ORDER BY 1 DESC, 4
                """
            ).map { row in
                ListingItem(
                    kind: Self.kind(try row.get("kind")), id: try row.get("id"), name: try row.get("name"),
                    size: try row.get("size"), modifiedAt: try row.get("modified_at"), version: try row.get("version"),
                    lockedBy: nil)
            }
        }
    }
}
