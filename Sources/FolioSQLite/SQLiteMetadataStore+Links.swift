import FolioCore
import Foundation
import GRDB

/// Share links and the guests who come through them.
extension SQLiteMetadataStore {
    public func createLink(_ link: ShareLink) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO links (id, resource_id, role, created_by, created_at, expires_at, password_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    link.id, link.resourceID, link.role.rawValue, link.createdBy, link.createdAt, link.expiresAt,
                    link.passwordHash,
                ])
        }
    }

    public func link(id: String) async throws -> ShareLink? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM links WHERE id = ?", arguments: [id]).map(Self.link(from:))
        }
    }

    public func links(resourceID: String) async throws -> [ShareLink] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM links WHERE resource_id = ? AND revoked_at IS NULL ORDER BY created_at",
                arguments: [resourceID]
            ).map(Self.link(from:))
        }
    }

    public func revokeLink(id: String, now: Int64) async throws {
        try await write { db in
            try db.execute(
                sql: "UPDATE links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [now, id])
            guard db.changesCount == 1 else { throw FolioError.notFound("no such link") }
            try db.execute(
                sql: "DELETE FROM grants WHERE user_id IN (SELECT id FROM users WHERE guest_link_id = ?)",
                arguments: [id])
            try db.execute(sql: "UPDATE users SET disabled = 1 WHERE guest_link_id = ?", arguments: [id])
            try db.execute(
                sql: "DELETE FROM web_sessions WHERE user_id IN (SELECT id FROM users WHERE guest_link_id = ?)",
                arguments: [id])
        }
    }

    public func createGuest(link: ShareLink, displayName: String, now: Int64) async throws -> User {
        let user = StoreRules.newUser(prefix: "guest-", displayName: displayName, now: now, guestLinkID: link.id)
        let id = user.id
        try await write { db in
            guard
                let current = try Row.fetchOne(db, sql: "SELECT * FROM links WHERE id = ?", arguments: [link.id])
                    .map(Self.link(from:)), current.isLive(at: now)
            else { throw FolioError.unauthorized("this link is no longer valid") }
            try db.execute(
                sql: """
                    INSERT INTO users (id, login, login_key, display_name, is_admin, password_hash, root_folder_id,
                        created_at, guest_link_id)
                    VALUES (?, ?, ?, ?, 0, NULL, ?, ?, ?)
                    """,
                arguments: [id, user.login, Self.key(user.login), displayName, user.rootFolderID, now, link.id])
            try db.execute(
                sql: """
                    INSERT INTO folders (id, parent_id, owner_id, name, name_key, created_at, modified_at)
                    VALUES (?, NULL, ?, ?, ?, ?, ?)
                    """,
                arguments: [user.rootFolderID, id, user.login, Self.key(user.login), now, now])
            try db.execute(
                sql: "INSERT INTO grants (resource_id, user_id, role) VALUES (?, ?, ?)",
                arguments: [current.resourceID, id, current.role.rawValue])
        }
        return user
    }

    static func link(from row: Row) -> ShareLink {
        ShareLink(
            id: row["id"], resourceID: row["resource_id"], role: Role(rawValue: row["role"]) ?? .view,
            createdBy: row["created_by"], createdAt: row["created_at"], expiresAt: row["expires_at"],
            passwordHash: row["password_hash"], revokedAt: row["revoked_at"])
    }
}
