import FolioCore
import Foundation
import PostgresNIO

/// Folder listings, moves and the trash.
extension PostgresMetadataStore {
    public func listFolder(
        id: String, order: ListingOrder, descending: Bool, nameContains: String?, offset: Int, limit: Int, now: Int64
    ) async throws -> ListingPage {
        let listing = StoreRules.Listing(
            order: order, descending: descending, nameContains: nameContains, offset: offset, limit: limit)
        let (column, direction, query, window) = (listing.column, listing.direction, listing.query, listing.window)
        return try await read { db in
            // As in SQLite: folders first, then files, each side reading only its first
            // offset+limit rows in index order; the total from two index counts.
            let rows = try await db.rows(
                """
                WITH params AS (SELECT \(id)::text AS folder, \(query)::text AS q),
                fo AS (
                    SELECT 0 AS kind_order, 'folder' AS kind, id, name, name_key, 0::bigint AS size, modified_at,
                        0::bigint AS version, NULL::text AS locked_by
                    FROM folders, params WHERE parent_id = params.folder AND deleted_at IS NULL
                        AND (params.q IS NULL OR strpos(name_key, params.q) > 0)
                    ORDER BY \(unescaped: column == "size" ? "name_key" : column) \(unescaped: direction),
                        name_key \(unescaped: direction)
                    LIMIT \(window)
                ), fi AS (
                    SELECT 1 AS kind_order, 'file' AS kind, f.id, f.name, f.name_key, f.size, f.modified_at,
                        f.version,
                        -- Who is editing: the WOPI lock's holder, else the first person in a live
                        -- ONLYOFFICE session.
                        COALESCE(u.display_name, (
                            SELECT e.display_name FROM office_keys k
                                JOIN users e ON e.id = split_part(k.editors, ',', 1)
                            WHERE k.file_id = f.id AND k.retired_at IS NULL AND k.editors <> '' LIMIT 1
                        )) AS locked_by
                    FROM files f CROSS JOIN params
                    LEFT JOIN locks l ON l.file_id = f.id AND l.expires_at > \(now)
                    LEFT JOIN users u ON u.id = l.user_id
                    WHERE f.folder_id = params.folder AND f.deleted_at IS NULL
                        AND (params.q IS NULL OR strpos(f.name_key, params.q) > 0)
                    ORDER BY f.\(unescaped: column) \(unescaped: direction), f.name_key \(unescaped: direction)
                    LIMIT \(window)
                )
                SELECT *,
                    (SELECT COUNT(*) FROM folders, params WHERE parent_id = params.folder AND deleted_at IS NULL
                        AND (params.q IS NULL OR strpos(name_key, params.q) > 0))
                    + (SELECT COUNT(*) FROM files, params WHERE folder_id = params.folder AND deleted_at IS NULL
                        AND (params.q IS NULL OR strpos(name_key, params.q) > 0))
                    AS total
                FROM (SELECT * FROM fo UNION ALL SELECT * FROM fi) AS items
                ORDER BY kind_order, \(unescaped: column) \(unescaped: direction), name_key \(unescaped: direction)
                LIMIT \(limit) OFFSET \(offset)
                """)
            var total = 0
            var items: [ListingItem] = []
            for row in rows {
                total = try row.get("total")
                items.append(
                    ListingItem(
                        kind: Self.kind(try row.get("kind")), id: try row.get("id"), name: try row.get("name"),
                        size: try row.get("size"), modifiedAt: try row.get("modified_at"),
                        version: try row.get("version"), lockedBy: try row.get("locked_by")))
            }
            if items.isEmpty, offset > 0 {
                // Past the end: the count still matters for the page links.
                total =
                    try await db.value(
                        """
                        SELECT (SELECT COUNT(*) FROM folders WHERE parent_id = \(id) AND deleted_at IS NULL
                                    AND (\(query)::text IS NULL OR strpos(name_key, \(query)) > 0))
                             + (SELECT COUNT(*) FROM files WHERE folder_id = \(id) AND deleted_at IS NULL
                                    AND (\(query)::text IS NULL OR strpos(name_key, \(query)) > 0))
                        """, as: Int.self) ?? 0
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
        // $1 folder, $2 name filter, $3 now, $4 rows to read, $5 and $6 the cursor's place.
        var binds = PostgresBindings()
        binds.append(id)
        binds.append(query)
        binds.append(now)
        binds.append(limit + 1)
        if let cursor {
            switch StoreRules.KeysetListing.value(cursor, column: cursor.isFolder ? k.folderColumn : k.column) {
            case .text(let text): binds.append(text)
            case .integer(let number): binds.append(number)
            }
            binds.append(cursor.nameKey)
        }
        func condition(_ side: StoreRules.KeysetListing.Side, _ column: String) -> String {
            switch side {
            case .all: "TRUE"
            case .none: "FALSE"
            case .past: "(\(column), name_key) \(k.comparison) ($5, $6)"
            }
        }
        let match = "($2::text IS NULL OR strpos(name_key, $2) > 0)"
        let sql = """
            WITH fo AS (
                SELECT 0 AS kind_order, 'folder' AS kind, id, name, name_key, 0::bigint AS size, modified_at,
                    0::bigint AS version
                FROM folders WHERE parent_id = $1 AND deleted_at IS NULL AND \(match)
                    AND \(condition(k.folders, k.folderColumn))
                ORDER BY \(k.folderColumn) \(k.direction), name_key \(k.direction) LIMIT $4
            ), fi AS (
                SELECT 1 AS kind_order, 'file' AS kind, id, name, name_key, size, modified_at, version
                FROM files WHERE folder_id = $1 AND deleted_at IS NULL AND \(match) AND \(condition(k.files, k.column))
                ORDER BY \(k.column) \(k.direction), name_key \(k.direction) LIMIT $4
            ), page AS (
                SELECT * FROM (SELECT * FROM fo UNION ALL SELECT * FROM fi) AS items
                ORDER BY kind_order \(k.kindDirection), \(k.column) \(k.direction), name_key \(k.direction) LIMIT $4
            )
            SELECT page.*,
                -- Who is editing, for the page's files only: the WOPI lock's holder, else the
                -- first person in a live ONLYOFFICE session.
                CASE WHEN page.kind = 'file' THEN COALESCE(u.display_name, (
                    SELECT e.display_name FROM office_keys ok JOIN users e ON e.id = split_part(ok.editors, ',', 1)
                    WHERE ok.file_id = page.id AND ok.retired_at IS NULL AND ok.editors <> '' LIMIT 1
                )) END AS locked_by,
                (SELECT COUNT(*) FROM folders WHERE parent_id = $1 AND deleted_at IS NULL AND \(match))
                + (SELECT COUNT(*) FROM files WHERE folder_id = $1 AND deleted_at IS NULL AND \(match)) AS total
            FROM page
            LEFT JOIN locks l ON page.kind = 'file' AND l.file_id = page.id AND l.expires_at > $3
            LEFT JOIN users u ON u.id = l.user_id
            ORDER BY kind_order \(k.kindDirection), \(k.column) \(k.direction), name_key \(k.direction)
            """
        let statement = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await read { db in
            let rows = try await db.rows(statement)
            var total = 0
            var items: [ListingItem] = []
            for row in rows {
                total = try row.get("total")
                guard items.count < limit else { continue }
                items.append(
                    ListingItem(
                        kind: Self.kind(try row.get("kind")), id: try row.get("id"), name: try row.get("name"),
                        size: try row.get("size"), modifiedAt: try row.get("modified_at"),
                        version: try row.get("version"), lockedBy: try row.get("locked_by")))
            }
            if backwards { items.reverse() }
            if rows.isEmpty {
                total =
                    try await db.value(
                        """
                        SELECT (SELECT COUNT(*) FROM folders WHERE parent_id = \(id) AND deleted_at IS NULL
                                    AND (\(query)::text IS NULL OR strpos(name_key, \(query)) > 0))
                             + (SELECT COUNT(*) FROM files WHERE folder_id = \(id) AND deleted_at IS NULL
                                    AND (\(query)::text IS NULL OR strpos(name_key, \(query)) > 0))
                        """, as: Int.self) ?? 0
            }
            return ListingPage(items: items, total: total, hasMore: rows.count > limit)
        }
    }

    public func moveFile(id: String, toFolder folderID: String, now: Int64) async throws -> StoredFile {
        try await write { db in
            guard var file = try await Self.fetchFile(db, id: id, forUpdate: true) else {
                throw FolioError.notFound("no such file")
            }
            guard try await Self.fetchFolder(db, id: folderID) != nil else {
                throw FolioError.notFound("no such folder")
            }
            if file.folderID == folderID { return file }
            try await Self.ensureNameFree(db, folderID: folderID, name: file.name)
            try await db.execute("UPDATE files SET folder_id = \(folderID) WHERE id = \(id)")
            file.folderID = folderID
            return file
        }
    }

    public func moveFolder(id: String, toParent parentID: String, now: Int64) async throws -> Folder {
        try await write { db in
            // Folder moves are rare; one at a time keeps two crossing moves from making a cycle.
            try await db.execute("SELECT pg_advisory_xact_lock(72406, 0)")
            guard var folder = try await Self.fetchFolder(db, id: id, forUpdate: true) else {
                throw FolioError.notFound("no such folder")
            }
            guard folder.parentID != nil else { throw FolioError.forbidden("a root folder cannot be moved") }
            guard try await Self.fetchFolder(db, id: parentID) != nil else {
                throw FolioError.notFound("no such folder")
            }
            if folder.parentID == parentID { return folder }
            // The target may not be the folder itself or anything below it.
            let below = try await db.value(
                """
                WITH RECURSIVE up(id, parent_id) AS (
                    SELECT id, parent_id FROM folders WHERE id = \(parentID)
                    UNION ALL
                    SELECT f.id, f.parent_id FROM folders f JOIN up ON f.id = up.parent_id
                )
                SELECT EXISTS (SELECT 1 FROM up WHERE id = \(id))
                """, as: Bool.self)
            if below == true { throw FolioError.conflict("a folder cannot be moved into itself") }
            try await Self.ensureNameFree(db, folderID: parentID, name: folder.name)
            try await db.execute("UPDATE folders SET parent_id = \(parentID), modified_at = \(now) WHERE id = \(id)")
            folder.parentID = parentID
            return folder
        }
    }

    public func trashFolder(id: String, now: Int64, deletedBy: String?) async throws {
        try await write { db in
            guard let folder = try await Self.fetchFolder(db, id: id, forUpdate: true) else {
                throw FolioError.notFound("no such folder")
            }
            guard folder.parentID != nil else { throw FolioError.forbidden("a root folder cannot be deleted") }
            // Its contents stay as they are, unreachable while the folder is in the trash.
            try await db.execute("UPDATE folders SET deleted_at = \(now), deleted_by = \(deletedBy) WHERE id = \(id)")
        }
    }

    public func trash(ownerID: String) async throws -> [TrashItem] {
        try await read { db in
            // Only items deleted themselves: what was inside a deleted folder goes back with it.
            try await db.rows(
                """
                SELECT 'folder' AS kind, f.id, f.name, 0::bigint AS size, f.deleted_at, f.parent_id AS parent
                FROM folders f JOIN folders p ON p.id = f.parent_id AND p.deleted_at IS NULL
                WHERE (f.owner_id = \(ownerID) OR f.deleted_by = \(ownerID)) AND f.deleted_at IS NOT NULL
                UNION ALL
                SELECT 'file', f.id, f.name, f.size, f.deleted_at, f.folder_id
                FROM files f JOIN folders p ON p.id = f.folder_id AND p.deleted_at IS NULL
                WHERE (f.owner_id = \(ownerID) OR f.deleted_by = \(ownerID)) AND f.deleted_at IS NOT NULL
                ORDER BY 5 DESC, 3
                """
            ).map { row in
                TrashItem(
                    kind: Self.kind(try row.get("kind")), id: try row.get("id"), name: try row.get("name"),
                    size: try row.get("size"), deletedAt: try row.get("deleted_at"), parentID: try row.get("parent"))
            }
        }
    }

    public func restore(_ kind: ListingItem.Kind, id: String, now: Int64) async throws {
        let table = kind == .folder ? "folders" : "files"
        let parentColumn = kind == .folder ? "parent_id" : "folder_id"
        try await write { db in
            guard
                let row = try await db.row(
                    """
                    SELECT name, \(unescaped: parentColumn) AS parent FROM \(unescaped: table)
                    WHERE id = \(id) AND deleted_at IS NOT NULL FOR UPDATE
                    """)
            else { throw FolioError.notFound("no such item in the trash") }
            let name: String = try row.get("name")
            let parent: String = try row.get("parent")
            guard try await Self.fetchFolder(db, id: parent) != nil else {
                throw FolioError.conflict("the folder it was in is gone; restore that first")
            }
            try await Self.ensureNameFree(db, folderID: parent, name: name)
            try await db.execute(
                "UPDATE \(unescaped: table) SET deleted_at = NULL, deleted_by = NULL WHERE id = \(id)")
        }
    }

    public func purge(_ kind: ListingItem.Kind, id: String) async throws -> [String] {
        let table = kind == .folder ? "folders" : "files"
        return try await write { db in
            guard
                try await db.value(
                    "SELECT TRUE FROM \(unescaped: table) WHERE id = \(id) AND deleted_at IS NOT NULL FOR UPDATE",
                    as: Bool.self) != nil
            else { throw FolioError.notFound("no such item in the trash") }
            // The item, and for a folder everything below it, live or trashed.
            let folders: [String] =
                kind == .folder
                ? try await db.rows(
                    """
                    WITH RECURSIVE down(id) AS (
                        SELECT \(id)::text UNION ALL SELECT f.id FROM folders f JOIN down ON f.parent_id = down.id
                    )
                    SELECT id FROM down
                    """
                ).map { try $0.get("id") } : []
            let files: [String] =
                kind == .folder
                ? try await db.rows("SELECT id FROM files WHERE folder_id = ANY(\(folders))").map { try $0.get("id") }
                : [id]
            let blobs: [String] = try await db.rows(
                "SELECT DISTINCT blob_key FROM versions WHERE file_id = ANY(\(files)) AND blob_key <> ''"
            ).map { try $0.get("blob_key") }
            try await db.execute("DELETE FROM versions WHERE file_id = ANY(\(files))")
            try await db.execute("DELETE FROM locks WHERE file_id = ANY(\(files))")
            try await db.execute("DELETE FROM grants WHERE resource_id = ANY(\(files))")
            try await db.execute("DELETE FROM files WHERE id = ANY(\(files))")
            if !folders.isEmpty {
                try await db.execute("DELETE FROM grants WHERE resource_id = ANY(\(folders))")
                // Children before parents: with no parents left, no reference stands in the way.
                try await db.execute("UPDATE folders SET parent_id = NULL WHERE id = ANY(\(folders))")
                try await db.execute("DELETE FROM folders WHERE id = ANY(\(folders))")
            }
            return blobs
        }
    }
}
