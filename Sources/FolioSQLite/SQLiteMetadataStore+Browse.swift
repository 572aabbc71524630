import FolioCore
import Foundation
import GRDB

/// Folder listings, moves and the trash.
extension SQLiteMetadataStore {
    public func listFolder(
        id: String, order: ListingOrder, descending: Bool, nameContains: String?, offset: Int, limit: Int, now: Int64
    ) async throws -> ListingPage {
        let listing = StoreRules.Listing(
            order: order, descending: descending, nameContains: nameContains, offset: offset, limit: limit)
        let (column, direction, query, window) = (listing.column, listing.direction, listing.query, listing.window)
        return try await pool.read { db in
            // Folders first, then files. Each side reads only the first offset+limit rows in
            // index order, and the total comes from two index counts: one statement a page,
            // whose cost does not grow with the folder for the first pages.
            let match = "(?2 IS NULL OR instr(name_key, ?2) > 0)"
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        WITH fo AS (
                            SELECT 0 AS kind_order, 'folder' AS kind, id, name, name_key, 0 AS size, modified_at,
                                0 AS version, NULL AS locked_by
                            FROM folders WHERE parent_id = ?1 AND deleted_at IS NULL AND \(match)
                            ORDER BY \(column == "size" ? "name_key" : column) \(direction), name_key \(direction)
                            LIMIT ?6
                        ), fi AS (
                            SELECT 1 AS kind_order, 'file' AS kind, f.id, f.name, f.name_key, f.size, f.modified_at,
                                f.version,
                                -- Who is editing: the WOPI lock's holder, else the first person in
                                -- a live ONLYOFFICE session.
                                COALESCE(u.display_name, (
                                    SELECT e.display_name FROM office_keys k JOIN users e
                                        ON e.id = substr(k.editors, 1, instr(k.editors || ',', ',') - 1)
                                    WHERE k.file_id = f.id AND k.retired_at IS NULL AND k.editors <> '' LIMIT 1
                                )) AS locked_by
                            FROM files f
                            LEFT JOIN locks l ON l.file_id = f.id AND l.expires_at > ?3
                            LEFT JOIN users u ON u.id = l.user_id
                            WHERE f.folder_id = ?1 AND f.deleted_at IS NULL AND (?2 IS NULL OR instr(f.name_key, ?2) > 0)
                            ORDER BY f.\(column) \(direction), f.name_key \(direction)
                            LIMIT ?6
                        )
                        SELECT *,
                            (SELECT COUNT(*) FROM folders WHERE parent_id = ?1 AND deleted_at IS NULL AND \(match))
                            + (SELECT COUNT(*) FROM files WHERE folder_id = ?1 AND deleted_at IS NULL AND \(match))
                            AS total
                        FROM (SELECT * FROM fo UNION ALL SELECT * FROM fi)
                        ORDER BY kind_order, \(column) \(direction), name_key \(direction)
                        LIMIT ?4 OFFSET ?5
                        """), arguments: [id, query, now, limit, offset, window])
            var total = 0
            let items = rows.map { row in
                total = row["total"]
                return ListingItem(
                    kind: row["kind"] == "folder" ? .folder : .file, id: row["id"], name: row["name"],
                    size: row["size"], modifiedAt: row["modified_at"], version: row["version"],
                    lockedBy: row["locked_by"])
            }
            if items.isEmpty, offset > 0 {
                // Past the end: the count still matters for the page links.
                total =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT (SELECT COUNT(*) FROM folders WHERE parent_id = ?1 AND deleted_at IS NULL
                                        AND (?2 IS NULL OR instr(name_key, ?2) > 0))
                                 + (SELECT COUNT(*) FROM files WHERE folder_id = ?1 AND deleted_at IS NULL
                                        AND (?2 IS NULL OR instr(name_key, ?2) > 0))
                            """, arguments: [id, query]) ?? 0
            }
            return ListingPage(items: items, total: total)
        }
    }

    public func listFolder(
        id: String, order: ListingOrder, descending: Bool, nameContains: String?, cursor: ListingCursor?,
        backwards: Bool, limit: Int, now: Int64
    ) async throws -> ListingPage {
        let k = StoreRules.KeysetListing(order: order, descending: descending, cursor: cursor, backwards: backwards)
        let query = nameContains.map(StoreRules.key).flatMap { $0.isEmpty ? nil : $0 }
        func condition(_ side: StoreRules.KeysetListing.Side, _ column: String) -> String {
            switch side {
            case .all: "1"
            case .none: "0"
            case .past: "(\(column), name_key) \(k.comparison) (?5, ?6)"
            }
        }
        // The cursor's value for the side it is on (only that side compares).
        let value: DatabaseValue =
            switch cursor.map({ StoreRules.KeysetListing.value($0, column: $0.isFolder ? k.folderColumn : k.column) }) {
            case .text(let text)?: text.databaseValue
            case .integer(let number)?: number.databaseValue
            case nil: .null
            }
        let match = "(?2 IS NULL OR instr(name_key, ?2) > 0)"
        let sql = """
            WITH fo AS (
                SELECT 0 AS kind_order, 'folder' AS kind, id, name, name_key, 0 AS size, modified_at, 0 AS version
                FROM folders WHERE parent_id = ?1 AND deleted_at IS NULL AND \(match) AND \(condition(k.folders, k.folderColumn))
                ORDER BY \(k.folderColumn) \(k.direction), name_key \(k.direction) LIMIT ?4
            ), fi AS (
                SELECT 1 AS kind_order, 'file' AS kind, id, name, name_key, size, modified_at, version
                FROM files WHERE folder_id = ?1 AND deleted_at IS NULL AND \(match) AND \(condition(k.files, k.column))
                ORDER BY \(k.column) \(k.direction), name_key \(k.direction) LIMIT ?4
            ), page AS (
                SELECT * FROM (SELECT * FROM fo UNION ALL SELECT * FROM fi)
                ORDER BY kind_order \(k.kindDirection), \(k.column) \(k.direction), name_key \(k.direction) LIMIT ?4
            )
            SELECT page.*,
                -- Who is editing, for the page's files only: the WOPI lock's holder, else the
                -- first person in a live ONLYOFFICE session.
                CASE WHEN page.kind = 'file' THEN COALESCE(u.display_name, (
                    SELECT e.display_name FROM office_keys ok JOIN users e
                        ON e.id = substr(ok.editors, 1, instr(ok.editors || ',', ',') - 1)
                    WHERE ok.file_id = page.id AND ok.retired_at IS NULL AND ok.editors <> '' LIMIT 1
                )) END AS locked_by,
                (SELECT COUNT(*) FROM folders WHERE parent_id = ?1 AND deleted_at IS NULL AND \(match))
                + (SELECT COUNT(*) FROM files WHERE folder_id = ?1 AND deleted_at IS NULL AND \(match)) AS total
            FROM page
            LEFT JOIN locks l ON page.kind = 'file' AND l.file_id = page.id AND l.expires_at > ?3
            LEFT JOIN users u ON u.id = l.user_id
            ORDER BY kind_order \(k.kindDirection), \(k.column) \(k.direction), name_key \(k.direction)
            """
        return try await pool.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: sql),
                arguments: cursor == nil
                    ? [id, query, now, limit + 1] : [id, query, now, limit + 1, value, cursor?.nameKey])
            var total = rows.first.map { $0["total"] as Int } ?? 0
            var items = rows.prefix(limit).map { row in
                ListingItem(
                    kind: row["kind"] == "folder" ? .folder : .file, id: row["id"], name: row["name"],
                    size: row["size"], modifiedAt: row["modified_at"], version: row["version"],
                    lockedBy: row["locked_by"])
            }
            if backwards { items.reverse() }
            if rows.isEmpty {
                total =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT (SELECT COUNT(*) FROM folders WHERE parent_id = ?1 AND deleted_at IS NULL AND \(match))
                                 + (SELECT COUNT(*) FROM files WHERE folder_id = ?1 AND deleted_at IS NULL AND \(match))
                            """, arguments: [id, query]) ?? 0
            }
            return ListingPage(items: items, total: total, hasMore: rows.count > limit)
        }
    }

    public func moveFile(id: String, toFolder folderID: String, now: Int64) async throws -> StoredFile {
        try await write { db in
            guard var file = try Self.fetchFile(db, id: id) else { throw FolioError.notFound("no such file") }
            guard try Self.fetchFolder(db, id: folderID) != nil else { throw FolioError.notFound("no such folder") }
            if file.folderID == folderID { return file }
            try Self.ensureNameFree(db, folderID: folderID, name: file.name)
            try db.execute(sql: "UPDATE files SET folder_id = ? WHERE id = ?", arguments: [folderID, id])
            file.folderID = folderID
            return file
        }
    }

    public func moveFolder(id: String, toParent parentID: String, now: Int64) async throws -> Folder {
        try await write { db in
            guard var folder = try Self.fetchFolder(db, id: id) else { throw FolioError.notFound("no such folder") }
            guard folder.parentID != nil else { throw FolioError.forbidden("a root folder cannot be moved") }
            guard try Self.fetchFolder(db, id: parentID) != nil else { throw FolioError.notFound("no such folder") }
            if folder.parentID == parentID { return folder }
            // The target may not be the folder itself or anything below it.
            let below =
                try Bool.fetchOne(
                    db,
                    sql: """
                        WITH RECURSIVE up(id, parent_id) AS (
                            SELECT id, parent_id FROM folders WHERE id = ?1
                            UNION ALL
                            SELECT f.id, f.parent_id FROM folders f JOIN up ON f.id = up.parent_id
                        )
                        SELECT EXISTS (SELECT 1 FROM up WHERE id = ?2)
                        """, arguments: [parentID, id]) ?? false
            if below { throw FolioError.conflict("a folder cannot be moved into itself") }
            try Self.ensureNameFree(db, folderID: parentID, name: folder.name)
            try db.execute(
                sql: "UPDATE folders SET parent_id = ?, modified_at = ? WHERE id = ?", arguments: [parentID, now, id])
            folder.parentID = parentID
            return folder
        }
    }

    public func trashFolder(id: String, now: Int64, deletedBy: String?) async throws {
        try await write { db in
            guard let folder = try Self.fetchFolder(db, id: id) else { throw FolioError.notFound("no such folder") }
            guard folder.parentID != nil else { throw FolioError.forbidden("a root folder cannot be deleted") }
            // Its contents stay as they are, unreachable while the folder is in the trash.
            try db.execute(
                sql: "UPDATE folders SET deleted_at = ?, deleted_by = ? WHERE id = ?", arguments: [now, deletedBy, id])
        }
    }

    public func trash(ownerID: String) async throws -> [TrashItem] {
        try await pool.read { db in
            // Only items deleted themselves: what was inside a deleted folder goes back with it.
            try Row.fetchAll(
                db,
                sql: """
                    SELECT 'folder' AS kind, f.id, f.name, 0 AS size, f.deleted_at, f.parent_id AS parent
                    FROM folders f JOIN folders p ON p.id = f.parent_id AND p.deleted_at IS NULL
                    WHERE (f.owner_id = ?1 OR f.deleted_by = ?1) AND f.deleted_at IS NOT NULL
                    UNION ALL
                    SELECT 'file', f.id, f.name, f.size, f.deleted_at, f.folder_id
                    FROM files f JOIN folders p ON p.id = f.folder_id AND p.deleted_at IS NULL
                    WHERE (f.owner_id = ?1 OR f.deleted_by = ?1) AND f.deleted_at IS NOT NULL
                    ORDER BY 5 DESC, 3
                    """, arguments: [ownerID]
            ).map { row in
                TrashItem(
                    kind: row["kind"] == "folder" ? .folder : .file, id: row["id"], name: row["name"],
                    size: row["size"], deletedAt: row["deleted_at"], parentID: row["parent"])
            }
        }
    }

    public func restore(_ kind: ListingItem.Kind, id: String, now: Int64) async throws {
        try await write { db in
            let table = kind == .folder ? "folders" : "files"
            let parentColumn = kind == .folder ? "parent_id" : "folder_id"
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT name, \(parentColumn) AS parent FROM \(table) WHERE id = ? AND deleted_at IS NOT NULL",
                    arguments: [id])
            else { throw FolioError.notFound("no such item in the trash") }
            let name: String = row["name"]
            let parent: String = row["parent"]
            guard try Self.fetchFolder(db, id: parent) != nil else {
                throw FolioError.conflict("the folder it was in is gone; restore that first")
            }
            try Self.ensureNameFree(db, folderID: parent, name: name)
            try db.execute(
                sql: "UPDATE \(table) SET deleted_at = NULL, deleted_by = NULL WHERE id = ?", arguments: [id])
        }
    }

    public func purge(_ kind: ListingItem.Kind, id: String) async throws -> [String] {
        try await write { db in
            let table = kind == .folder ? "folders" : "files"
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM \(table) WHERE id = ? AND deleted_at IS NOT NULL", arguments: [id]) != nil
            else { throw FolioError.notFound("no such item in the trash") }
            // The item, and for a folder everything below it, live or trashed.
            let folders: [String] =
                kind == .folder
                ? try String.fetchAll(
                    db,
                    sql: """
                        WITH RECURSIVE down(id) AS (
                            SELECT ?1 UNION ALL SELECT f.id FROM folders f JOIN down ON f.parent_id = down.id
                        )
                        SELECT id FROM down
                        """, arguments: [id]) : []
            let files: [String] =
                kind == .folder
                ? try String.fetchAll(
                    db,
                    sql: "SELECT id FROM files WHERE folder_id IN (SELECT value FROM json_each(?))",
                    arguments: [Self.jsonArray(folders)]) : [id]
            let filesJSON = Self.jsonArray(files)
            let blobs = try String.fetchAll(
                db,
                sql:
                    "SELECT DISTINCT blob_key FROM versions WHERE file_id IN (SELECT value FROM json_each(?)) AND blob_key <> ''",
                arguments: [filesJSON])
            for statement in [
                "DELETE FROM versions WHERE file_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM locks WHERE file_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM grants WHERE resource_id IN (SELECT value FROM json_each(?))",
                "DELETE FROM files WHERE id IN (SELECT value FROM json_each(?))",
            ] {
                try db.execute(sql: statement, arguments: [filesJSON])
            }
            if !folders.isEmpty {
                let foldersJSON = Self.jsonArray(folders)
                try db.execute(
                    sql: "DELETE FROM grants WHERE resource_id IN (SELECT value FROM json_each(?))",
                    arguments: [foldersJSON])
                // Children before parents: the deepest folders have no children left.
                try db.execute(
                    sql: "UPDATE folders SET parent_id = NULL WHERE id IN (SELECT value FROM json_each(?))",
                    arguments: [foldersJSON])
                try db.execute(
                    sql: "DELETE FROM folders WHERE id IN (SELECT value FROM json_each(?))", arguments: [foldersJSON])
            }
            return blobs
        }
    }

    static func jsonArray(_ values: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
