import WOPI

extension Folio {
    /// Every lock in force (or the one on `fileID`), by file name, with who took it.
    public func locksInForce(fileID: String? = nil) async throws -> [LockEntry] {
        try await files.currentLocks(now: now(), fileID: fileID)
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
        let note = WebhookNote(.lockChanged, details: ["by": by, "broken": "true"], file: file)
        let result = try await files.applyLock(
            fileID: fileID, operation: .unlock(current.id), now: now(), holderID: nil, note: note)
        guard case .allow = result.decision else {
            throw FolioError.conflict("the lock changed while it was being broken; look again")
        }
        logger.notice(
            "lock broken", metadata: ["file_id": "\(fileID)", "lock": "\(current.id)", "by": "\(by)"])
        return current
    }
}
