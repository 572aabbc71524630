import WOPI

extension Folio {
    /// Applies a WOPI lock operation; lock changes need write access, GetLock does not.
    public func lock(_ operation: LockOperation, session: FileSession) async throws -> LockResult {
        if operation != .getLock, !session.canWrite {
            throw FolioError.unauthorized("this access token does not allow locking")
        }
        // Locking and unlocking are events (`WebhookNote.forLock`); a refresh is not.
        let note = WebhookNote(
            .lockChanged, details: ["by": session.user.externalID ?? session.user.id], file: session.file)
        let result = try await files.applyLock(
            fileID: session.file.id, operation: operation, now: now(),
            holder: LockHolder(userID: session.user.id, editor: session.grant.editor?.rawValue), note: note)
        if isSpaceFile(session.file) { try await followInStorage(result, session: session) }
        return result
    }

    /// RenameFile: `requestedBase` excludes the extension, which is kept. A taken name is
    /// adjusted ("name (2)"); `FolioError.invalidName` only when no legal name can be made.
    public func rename(session: FileSession, requestedBase: String, lock: String?) async throws -> StoredFile {
        guard session.canWrite else { throw FolioError.unauthorized("this access token does not allow renaming") }
        let ext = FileName.splitExtension(session.file.name).ext
        guard let base = FileName.clean(requestedBase, maxLength: settings.maxNameLength),
            FileName.splitExtension(base + ext).ext == ext
        else { throw FolioError.invalidName("\"\(requestedBase)\" cannot be used as a file name") }
        var name = base + ext
        if isSpaceFile(session.file) {
            return try await renameInSpace(session: session, to: name, lock: lock)
        }
        if name.lowercased() != session.file.name.lowercased() {
            name = try await freeName(name, in: session.file.folderID)
        }
        return try await files.renameFile(
            id: session.file.id, name: name, lock: lock, checkLock: true, now: now(),
            note: WebhookNote(.fileRenamed, details: ["oldName": session.file.name]))
    }

    public func delete(session: FileSession) async throws {
        guard session.canWrite else { throw FolioError.unauthorized("this access token does not allow deleting") }
        if isSpaceFile(session.file) {
            try await deleteInSpace(session: session)
            return
        }
        try await files.deleteFile(
            id: session.file.id, now: now(), deletedBy: session.user.id,
            note: WebhookNote(.fileDeleted, file: session.file))
    }

    public func setUserInfo(session: FileSession, info: String) async throws {
        guard info.utf8.count <= 1024 else { throw FolioError.badRequest("UserInfo is longer than 1024 bytes") }
        try await accounts.setUserInfo(userID: session.user.id, info: info)
    }

    /// Grants `user` a role on a file or folder; only for resources that exist.
    public func share(resourceID: String, with user: User, role: Role?) async throws {
        if try await files.file(id: resourceID) == nil, try await files.folder(id: resourceID) == nil {
            throw FolioError.notFound("no file or folder \(resourceID)")
        }
        try await sharing.setGrant(resourceID: resourceID, userID: user.id, role: role)
    }
}
