import FolioCore
import Foundation
import GRDB

/// Accounts, sign-in sessions and grants listings for the web pages.
extension SQLiteMetadataStore {
    public func users() async throws -> [User] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM users WHERE guest_link_id IS NULL ORDER BY login_key")
                .map(Self.user(from:))
        }
    }

    public func adminExists() async throws -> Bool {
        try await pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE is_admin = 1 AND disabled = 0)")
                ?? false
        }
    }

    public func updateUser(
        id: String, displayName: String?, isAdmin: Bool?, isDisabled: Bool?, passwordHash: String??,
        language: String??
    ) async throws -> User {
        try await write { db in
            guard var user = try Self.fetchUser(db, id: id) else { throw FolioError.notFound("no such user") }
            if let displayName { user.displayName = displayName }
            if let isAdmin { user.isAdmin = isAdmin }
            if let isDisabled { user.isDisabled = isDisabled }
            if let passwordHash { user.passwordHash = passwordHash }
            if let language { user.language = language }
            try db.execute(
                sql: """
                    UPDATE users SET display_name = ?, is_admin = ?, disabled = ?, password_hash = ?, language = ?
                    WHERE id = ?
                    """,
                arguments: [user.displayName, user.isAdmin, user.isDisabled, user.passwordHash, user.language, id])
            return user
        }
    }

    public func createWebSession(_ session: WebSession) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO web_sessions (id_hash, user_id, csrf_token, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.idHash, session.userID, session.csrfToken, session.createdAt, session.expiresAt,
                ])
            // Sign-ins tidy up after themselves: expired sessions go.
            try db.execute(sql: "DELETE FROM web_sessions WHERE expires_at <= ?", arguments: [session.createdAt])
        }
    }

    public func webSession(idHash: String, now: Int64) async throws -> (WebSession, User)? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT * FROM web_sessions WHERE id_hash = ? AND expires_at > ?"),
                    arguments: [idHash, now]),
                let user = try Self.fetchUser(db, id: row["user_id"])
            else { return nil }
            let session = WebSession(
                idHash: row["id_hash"], userID: row["user_id"], csrfToken: row["csrf_token"],
                createdAt: row["created_at"], expiresAt: row["expires_at"])
            return (session, user)
        }
    }

    public func deleteWebSession(idHash: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE id_hash = ?", arguments: [idHash])
        }
    }

    public func deleteWebSessions(userID: String) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM web_sessions WHERE user_id = ?", arguments: [userID])
        }
    }

    public func grants(resourceID: String) async throws -> [GrantRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT u.*, g.role AS granted_role FROM grants g JOIN users u ON u.id = g.user_id
                    WHERE g.resource_id = ? AND u.guest_link_id IS NULL ORDER BY u.display_name, u.login_key
                    """, arguments: [resourceID]
            ).map { row in
                GrantRecord(user: Self.user(from: row), role: Role(rawValue: row["granted_role"]) ?? .view)
            }
        }
    }

    public func sharedWith(userID: String) async throws -> [ListingItem] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT 'folder' AS kind, f.id, f.name, f.name_key, 0 AS size, f.modified_at, 0 AS version
                    FROM grants g JOIN folders f ON f.id = g.resource_id AND f.deleted_at IS NULL
                    WHERE g.user_id = ?1 AND f.owner_id <> ?1
                    UNION ALL
                    SELECT 'file', f.id, f.name, f.name_key, f.size, f.modified_at, f.version
                    FROM grants g JOIN files f ON f.id = g.resource_id AND f.deleted_at IS NULL
                    WHERE g.user_id = ?1 AND f.owner_id <> ?1
                    ORDER BY 1 DESC, 4
                    """, arguments: [userID]
            ).map { row in
                ListingItem(
                    kind: row["kind"] == "folder" ? .folder : .file, id: row["id"], name: row["name"],
                    size: row["size"], modifiedAt: row["modified_at"], version: row["version"], lockedBy: nil)
            }
        }
    }
}
