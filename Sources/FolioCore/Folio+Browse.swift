import NIOCore
import WOPI

/// What the file browser does: folders the user may see, uploads, renames, moves, the trash.
/// Every operation checks the acting user's role on the items it touches.
extension Folio {
    /// A folder the user may open, and the role they hold on it.
    public func folderAccess(_ folderID: String, user: User) async throws -> (Folder, Role) {
        guard let folder = try await files.folder(id: folderID) else { throw FolioError.notFound("no such folder") }
        guard let role = try await files.role(userID: user.id, folderID: folderID) else {
            throw FolioError.forbidden("you have no access to this folder")
        }
        return (folder, role)
    }

    /// A file the user may open, as a session for the web pages (no token involved).
    public func fileAccess(_ fileID: String, user: User) async throws -> FileSession {
        guard let record = try await files.access(fileID: fileID, userID: user.id) else {
            throw FolioError.notFound("no such file")
        }
        guard let role = try await roleIncludingSpace(record), !record.user.isDisabled else {
            throw FolioError.forbidden("you have no access to this file")
        }
        let grant = AccessGrant(
            resource: .file(fileID), userID: user.id, role: role, expiresAtMs: now() / 1000 + 60_000, editor: nil)
        return FileSession(
            file: record.file, user: record.user, role: role, grant: grant, folderName: record.folderName)
    }

    /// The breadcrumb trail: from the highest folder the user may open down to `folderID`.
    public func breadcrumbs(_ folderID: String, user: User) async throws -> [Folder] {
        let path = try await files.folderPath(id: folderID)
        for (index, folder) in path.enumerated() where try await files.role(userID: user.id, folderID: folder.id) != nil
        {
            return Array(path[index...])
        }
        return []
    }

    public func listing(
        _ folderID: String, user: User, order: ListingOrder, descending: Bool, nameContains: String?, page: Int,
        pageSize: Int
    ) async throws -> ListingPage {
        _ = try await folderAccess(folderID, user: user)
        return try await browsing.listFolder(
            id: folderID, order: order, descending: descending, nameContains: nameContains,
            offset: max(0, page) * pageSize, limit: pageSize, now: now())
    }

    /// A keyset page of a folder: after `cursor` (or before it, `backwards`), the first page
    /// when nil. Every page costs what the first does, and its address stays put.
    public func listing(
        _ folderID: String, user: User, order: ListingOrder, descending: Bool, nameContains: String?,
        cursor: ListingCursor?, backwards: Bool, pageSize: Int
    ) async throws -> ListingPage {
        _ = try await folderAccess(folderID, user: user)
        return try await browsing.listFolder(
            id: folderID, order: order, descending: descending, nameContains: nameContains, cursor: cursor,
            backwards: backwards, limit: pageSize, now: now())
    }

    /// An upload into a folder: streamed, and under a free name when the name is taken.
    public func upload<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, name: String, folderID: String, user: User
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        try await requireEdit(folderID, user: user)
        return try await createFile(
            body, expectedSize: expectedSize, name: name, folderID: folderID, owner: user, source: .upload,
            uniqueName: true)
    }

    public func createFolder(named raw: String, in parentID: String, user: User) async throws -> Folder {
        try await requireEdit(parentID, user: user)
        guard let name = cleanName(raw) else { throw FolioError.invalidName("\"\(raw)\" cannot be used as a name") }
        return try await files.createFolder(parentID: parentID, name: name, ownerID: user.id, now: now())
    }

    /// Renames a file (keeping it out of an editor's way: a locked file says so) or a folder.
    public func renameItem(_ kind: ListingItem.Kind, id: String, to raw: String, user: User) async throws {
        guard let name = cleanName(raw) else { throw FolioError.invalidName("\"\(raw)\" cannot be used as a name") }
        switch kind {
        case .file:
            let session = try await fileAccess(id, user: user)
            guard session.canWrite else { throw FolioError.forbidden("you may not rename this file") }
            if isSpaceFile(session.file) {
                _ = try await renameInSpace(session.file, to: name, lock: nil)
                return
            }
            _ = try await files.renameFile(
                id: id, name: name, lock: nil, checkLock: true, now: now(),
                note: WebhookNote(.fileRenamed, details: ["oldName": session.file.name]))
        case .folder:
            let (folder, role) = try await folderAccess(id, user: user)
            guard role == .edit, folder.parentID != nil else {
                throw FolioError.forbidden("you may not rename this folder")
            }
            _ = try await files.renameFolder(id: id, name: name, now: now())
        }
    }

    public func moveItem(_ kind: ListingItem.Kind, id: String, to folderID: String, user: User) async throws {
        try await requireEdit(folderID, user: user)
        switch kind {
        case .file:
            let session = try await fileAccess(id, user: user)
            guard session.canWrite else { throw FolioError.forbidden("you may not move this file") }
            try refuseMoveOfSpaceFile(session.file)
            try await requireEdit(session.file.folderID, user: user)
            _ = try await browsing.moveFile(id: id, toFolder: folderID, now: now())
        case .folder:
            let (folder, role) = try await folderAccess(id, user: user)
            guard role == .edit, let parent = folder.parentID else {
                throw FolioError.forbidden("you may not move this folder")
            }
            try await requireEdit(parent, user: user)
            _ = try await browsing.moveFolder(id: id, toParent: folderID, now: now())
        }
    }

    /// Moves an item to its owner's trash; a file being edited (locked) stays.
    public func trashItem(_ kind: ListingItem.Kind, id: String, user: User) async throws {
        switch kind {
        case .file:
            try await delete(session: try await fileAccess(id, user: user))
        case .folder:
            let (folder, role) = try await folderAccess(id, user: user)
            guard role == .edit, folder.parentID != nil else {
                throw FolioError.forbidden("you may not delete this folder")
            }
            try await browsing.trashFolder(id: id, now: now(), deletedBy: user.id)
        }
    }

    public func trash(of user: User) async throws -> [TrashItem] {
        try await browsing.trash(ownerID: user.id)
    }

    /// The current version of a file in the user's trash, with its name (the trash shows its thumbnail).
    public func trashedVersion(_ id: String, user: User) async throws -> (name: String, version: Version) {
        guard let item = try await browsing.trash(ownerID: user.id).first(where: { $0.kind == .file && $0.id == id }),
            let version = try await files.versions(fileID: id).last
        else { throw FolioError.notFound("no such file in your trash") }
        return (item.name, version)
    }

    public func restoreItem(_ kind: ListingItem.Kind, id: String, user: User) async throws {
        let trash = try await browsing.trash(ownerID: user.id)
        guard let item = trash.first(where: { $0.id == id && $0.kind == kind }) else {
            throw FolioError.notFound("no such item in your trash")
        }
        // A space's document was deleted in its storage: Folio cannot put it back there.
        if let folder = try await files.folder(id: item.parentID), spaces.space(owning: folder.ownerID) != nil {
            throw FolioError.conflict(
                "\(item.name) was deleted in its space's storage; restore it there if the storage keeps deleted files")
        }
        try await browsing.restore(kind, id: id, now: now())
    }

    /// Deletes items from the trash for good, content included. Returns how many went.
    @discardableResult
    public func emptyTrash(of user: User, only ids: Set<String>? = nil) async throws -> Int {
        var count = 0
        for item in try await browsing.trash(ownerID: user.id) where ids?.contains(item.id) ?? true {
            let blobKeys = try await browsing.purge(item.kind, id: item.id)
            for key in blobKeys {
                do { try await blobs.remove(key) } catch {
                    // The metadata is gone; an unremoved blob is only wasted space.
                    logger.warning("could not remove a purged blob", metadata: ["blob": "\(key)", "error": "\(error)"])
                }
            }
            count += 1
        }
        return count
    }

    /// Restores an old version as a new current version (the old ones all stay). Refused while
    /// the file is locked, so an open editor never overwrites it unseen.
    public func restoreVersion(_ number: Int64, session: FileSession) async throws -> StoredFile {
        guard session.canWrite else { throw FolioError.forbidden("you may not change this file") }
        guard let version = try await files.versions(fileID: session.file.id).first(where: { $0.number == number })
        else { throw FolioError.notFound("no version \(number)") }
        try requireContent(version)
        let blob = StoredBlob(key: version.blobKey, size: version.size, sha256: version.sha256)
        if isSpaceFile(session.file) {
            // Checked again at commit; here too, before the storage is written.
            try StoreRules.checkWrite(
                WriteConditions(lock: .mustBeUnlocked), file: session.file,
                current: try await files.currentLock(fileID: session.file.id, now: now()))
        }
        // A space's document gets the old content too, only over what Folio last saw there.
        let seen = try await writeThrough(blob, file: session.file, user: session.user, timestamped: false)
        let restored = try await files.addVersion(
            fileID: session.file.id, blob: blob, info: VersionInfo(authorID: session.user.id, source: .restore),
            conditions: WriteConditions(lock: .mustBeUnlocked), now: now())
        if let seen { try await recordSpaceSave(seen, saved: restored) }
        contentChanges.announce(restored.id)
        return restored
    }

    /// Streams any version's content (counted like every read).
    public func readVersion(
        _ version: Version, range: Range<Int64>? = nil, _ body: (ByteBuffer) async throws -> Void
    ) async throws {
        try await openVersion(version, range: range).read(body)
    }

    /// Opens any version's content (counted like every read).
    public func openVersion(_ version: Version, range: Range<Int64>? = nil) async throws -> BlobReader {
        try requireContent(version)
        return try await openBlob(version.blobKey, range: range)
    }

    /// A version whose content was let go (a space with `history: none`) has only its record.
    func requireContent(_ version: Version) throws {
        guard !version.hasContent else { return }
        throw FolioError.notFound(
            "the content of version \(version.number) is not kept (its space keeps only the current version)")
    }

    func requireEdit(_ folderID: String, user: User) async throws {
        let (_, role) = try await folderAccess(folderID, user: user)
        guard role == .edit else { throw FolioError.forbidden("you may not change this folder") }
    }
}
