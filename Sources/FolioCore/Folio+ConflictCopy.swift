import Foundation
import WOPI

extension Folio {
    /// Commits a save; when the save is refused because its lock was broken meanwhile (between
    /// the first check and the commit), its content is kept as a conflict copy instead.
    func commitOrKeepCopy<T>(
        _ blob: StoredBlob, session: FileSession, conditions: WriteConditions, _ body: () async throws -> T
    ) async throws -> T {
        do {
            return try await body()
        } catch FolioError.lockConflict(let current, let reason) {
            if case .wopi(let header?) = conditions.lock, session.canWrite,
                let broken = try? await files.brokenLock(fileID: session.file.id, lockID: header)
            {
                throw try await keepConflictCopy(blob, session: session, brokenBy: broken.by, current: current)
            }
            try? await blobs.remove(blob.key)
            throw FolioError.lockConflict(current: current, reason: reason)
        } catch {
            do { try await blobs.remove(blob.key) } catch {
                logger.warning("could not remove unused blob", metadata: ["blob": "\(blob.key)", "error": "\(error)"])
            }
            throw error
        }
    }

    /// A save under a lock that was broken is never lost: its content becomes a new file beside
    /// the document ("name (conflict copy, LOGIN, DATE).ext"), owned by the document's owner and
    /// shared with the person who saved, and the editor is told so in the 409 it gets (with
    /// `X-WOPI-Lock`: the lock in force now, or empty). Returns that error to throw.
    func keepConflictCopy(_ blob: StoredBlob, session: FileSession, brokenBy: String, current: String) async throws
        -> FolioError
    {
        let file = session.file
        guard let owner = try await accounts.user(id: file.ownerID) else {
            try? await blobs.remove(blob.key)
            throw FolioError.notFound("the file's owner is gone")
        }
        let (base, ext) = FileName.splitExtension(file.name)
        // "2026-12-04 22.30 UTC": no colon, which some file systems refuse in names.
        let time = WOPITime.format(microseconds: now())
        let clock = String(time.dropFirst(11).prefix(5)).replacingOccurrences(of: ":", with: ".")
        let stamp = String(time.prefix(10)) + " " + clock + " UTC"
        var name = cleanName("\(base) (conflict copy, \(session.user.login), \(stamp))\(ext)") ?? "conflict copy\(ext)"
        let info = VersionInfo(authorID: session.user.id, source: .wopi)
        var copy: StoredFile?
        for _ in 0..<5 where copy == nil {
            do {
                copy = try await files.createFile(
                    folderID: file.folderID, name: name, ownerID: owner.id, blob: blob, info: info, now: now(),
                    note: WebhookNote(
                        .fileCreated,
                        details: ["author": session.user.externalID ?? session.user.id, "conflictOf": file.id]))
            } catch FolioError.nameTaken(let suggestion) {
                name = suggestion
            } catch {
                try? await blobs.remove(blob.key)
                throw error
            }
        }
        guard let copy else {
            try? await blobs.remove(blob.key)
            throw FolioError.conflict("could not find a free name for the conflict copy of \(file.name)")
        }
        if session.user.id != owner.id, !session.user.isGuest {
            try await share(resourceID: copy.id, with: session.user, role: .edit)
        }
        FolioMetrics.saved(.wopi, bytes: blob.size)
        contentChanges.announce(copy.id)
        logger.notice(
            "save after a broken lock kept as a conflict copy",
            metadata: ["file_id": "\(file.id)", "copy_id": "\(copy.id)", "user": "\(session.user.login)"])
        return .lockConflict(
            current: current,
            reason: "the lock was broken by \(brokenBy); this save was kept as \"\(copy.name)\"")
    }
}
