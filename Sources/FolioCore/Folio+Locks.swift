import WOPI

extension Folio {
    /// Every lock in force (or the one on `fileID`), by file name, with who took it.
    public func locksInForce(fileID: String? = nil) async throws -> [LockEntry] {
        try await files.currentLocks(now: now(), fileID: fileID)
    }

    /// Whether `user` may break the file's lock: administrators, and the file's owner.
    public func mayBreakLock(of file: StoredFile, user: User) -> Bool {
        !user.isGuest && (user.isAdmin || file.ownerID == user.id) && !isSpaceFile(file)
    }

    /// Breaks the lock on a file for a person: its owner or an administrator.
    @discardableResult
    public func breakLock(fileID: String, for user: User) async throws -> FileLock {
        guard let file = try await files.file(id: fileID) else { throw FolioError.notFound("no such file") }
        guard mayBreakLock(of: file, user: user) else {
            throw FolioError.forbidden("only the file's owner or an administrator may break its lock")
        }
        return try await breakLock(fileID: fileID, by: user.login)
    }

    /// Breaks the lock an editor left behind (it crashed, or was redeployed): the lock in force
    /// is released as its holder's Unlock would release it — a compare-and-set, so a lock
    /// changed meanwhile is left alone — and `lock.changed` says it was broken and by whom.
    /// `by` names who broke it: a login, `api:KEY`, or `command line`. The lock broken.
    @discardableResult
    public func breakLock(fileID: String, by: String) async throws -> FileLock {
        guard let file = try await files.file(id: fileID) else { throw FolioError.notFound("no such file") }
        if isSpaceFile(file) {
            // The storage may hold a lock of its own for the editor (WebDAV): not released here.
            throw FolioError.badRequest("the lock of a document in a space cannot be broken yet")
        }
        guard let current = try await files.currentLock(fileID: fileID, now: now()) else {
            throw FolioError.notFound("the file is not locked")
        }
        // Remembered first: a save the editor sends the moment the lock is gone is kept too.
        try await files.recordBrokenLock(fileID: fileID, lockID: current.id, by: by, now: now())
        let note = WebhookNote(.lockChanged, details: ["by": by, "broken": "true"], file: file)
        let result = try await files.applyLock(
            fileID: fileID, operation: .unlock(current.id), now: now(), holder: nil, note: note)
        guard case .allow = result.decision else {
            throw FolioError.conflict("the lock changed while it was being broken; look again")
        }
        logger.notice(
            "lock broken", metadata: ["file_id": "\(fileID)", "lock": "\(current.id)", "by": "\(by)"])
        return current
    }
}
