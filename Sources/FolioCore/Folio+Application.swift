import NIOCore
import WOPI

/// What an application does through the API with its key: it acts for its users, so these
/// operations check what the item allows (locks, names, versions), not a user's role.
extension Folio {
    public func requireFile(_ id: String) async throws -> StoredFile {
        guard let file = try await files.file(id: id) else { throw FolioError.notFound("no file \(id)") }
        return file
    }

    public func requireFolder(_ id: String) async throws -> Folder {
        guard let folder = try await files.folder(id: id) else { throw FolioError.notFound("no folder \(id)") }
        return folder
    }

    /// A new file in a folder, owned by `author` (else the folder's owner); a taken name is an error.
    public func appCreateFile<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, name: String, folderID: String, author: User?
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        let folder = try await requireFolder(folderID)
        let owner: User
        if let author {
            owner = author
        } else if let folderOwner = try await accounts.user(id: folder.ownerID) {
            owner = folderOwner
        } else {
            throw FolioError.notFound("the folder's owner is gone")
        }
        return try await createFile(
            body, expectedSize: expectedSize, name: name, folderID: folderID, owner: owner, source: .upload,
            uniqueName: false)
    }

    /// A new version from the application: refused while an editor holds the lock, and with
    /// `expectedVersion` only if the file is still at that version.
    public func appReplaceContent<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, fileID: String, expectedVersion: Int64?, author: User?
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        let file = try await requireFile(fileID)
        if let expectedVersion, expectedVersion != file.version {
            throw FolioError.preconditionFailed("the file is at version \(file.version), not \(expectedVersion)")
        }
        let actor: User
        if let author {
            actor = author
        } else if let owner = try await accounts.user(id: file.ownerID) {
            actor = owner
        } else {
            throw FolioError.notFound("the file's owner is gone")
        }
        let grant = AccessGrant(
            resource: .file(file.id), userID: actor.id, role: .edit, expiresAtMs: now() / 1000 + 60_000, editor: nil)
        let session = FileSession(file: file, user: actor, role: .edit, grant: grant)
        return try await saveContent(
            body, expectedSize: expectedSize, session: session,
            conditions: WriteConditions(lock: .mustBeUnlocked, expectedVersion: expectedVersion), source: .upload)
    }

    public func appRenameFile(_ id: String, to raw: String) async throws -> StoredFile {
        let file = try await requireFile(id)
        guard let name = cleanName(raw) else { throw FolioError.invalidName("\"\(raw)\" cannot be used as a name") }
        if isSpaceFile(file) { return try await renameInSpace(file, to: name, lock: nil) }
        return try await files.renameFile(
            id: id, name: name, lock: nil, checkLock: true, now: now(),
            note: name == file.name ? nil : WebhookNote(.fileRenamed, details: ["oldName": file.name]))
    }

    public func appMoveFile(_ id: String, to folderID: String) async throws -> StoredFile {
        try refuseMoveOfSpaceFile(try await requireFile(id))
        return try await browsing.moveFile(id: id, toFolder: folderID, now: now())
    }

    public func appDeleteFile(_ id: String) async throws {
        let file = try await requireFile(id)
        if isSpaceFile(file) { return try await deleteInSpace(file, by: nil) }
        try await files.deleteFile(
            id: id, now: now(), deletedBy: nil, note: WebhookNote(.fileDeleted, file: file))
    }

    public func appCreateFolder(named raw: String, in parentID: String) async throws -> Folder {
        let parent = try await requireFolder(parentID)
        guard let name = cleanName(raw) else { throw FolioError.invalidName("\"\(raw)\" cannot be used as a name") }
        return try await files.createFolder(parentID: parentID, name: name, ownerID: parent.ownerID, now: now())
    }

    public func appUpdateFolder(_ id: String, name raw: String?, parentID: String?) async throws -> Folder {
        var folder = try await requireFolder(id)
        if let raw {
            guard let name = cleanName(raw) else { throw FolioError.invalidName("\"\(raw)\" cannot be used as a name") }
            folder = try await files.renameFolder(id: id, name: name, now: now())
        }
        if let parentID { folder = try await browsing.moveFolder(id: id, toParent: parentID, now: now()) }
        return folder
    }

    public func appDeleteFolder(_ id: String) async throws {
        _ = try await requireFolder(id)
        try await browsing.trashFolder(id: id, now: now())
    }

    /// Gives (or with nil takes back) a user's role on a file or folder.
    public func appGrant(_ resourceID: String, to user: User, role: Role?) async throws {
        try await share(resourceID: resourceID, with: user, role: role)
    }
}
