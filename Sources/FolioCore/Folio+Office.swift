import NIOCore
import WOPI

/// What happens to the document ONLYOFFICE's native editor saves.
extension Folio {
    public enum OfficeSaveResult: Sendable, Equatable {
        case saved(StoredFile)
        /// The file changed outside the session: the editor's result went to this copy.
        case conflictCopy(StoredFile)
    }

    /// Stores an editor's save (callback status 2 or 6). If the file moved on since the session
    /// began (an API upload, another editor), nothing is overwritten: the result becomes a
    /// conflict copy beside it and the key is retired. `final` (status 2) retires the key too.
    public func officeSave<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, key: String, users: [String], final: Bool, flags: SaveFlags = .init()
    ) async throws -> OfficeSaveResult where Body.Element == ByteBuffer {
        guard var record = try await officeKeys.officeKey(key), record.retiredAt == nil else {
            throw FolioError.notFound("no live document key \(key)")
        }
        let file = try await requireFile(record.fileID)
        var author: User?
        for id in users.reversed() where author == nil { author = try await accounts.user(id: id) }
        let actor: User
        if let author {
            actor = author
        } else if let owner = try await accounts.user(id: file.ownerID) {
            actor = owner
        } else {
            throw FolioError.notFound("the file's owner is gone")
        }
        let blob = try await blobs.write(body, maxBytes: settings.maxUploadBytes, expectedSize: expectedSize)
        let info = VersionInfo(
            authorID: actor.id, source: .onlyoffice, flags: flags, editors: users,
            session: VersionSession.onlyOffice(key: key))
        // A space's document: written there first, only over what this session began on; a
        // change made outside (or a newer version) sends the save beside it in the storage.
        var seen: SpaceDocument?
        do {
            switch try await writeToSpace(blob, file: file, user: actor, baseChanged: file.version != record.version) {
            case nil:
                break
            case .written(let document):
                seen = document
            case .conflictCopy(let copy, let space):
                try? await blobs.remove(blob.key)
                let copied = try await spaceFile(space: space.name, path: copy)
                record.conflictFileID = copied.id
                record.retiredAt = now()
                try await officeKeys.updateOfficeKey(record)
                return .conflictCopy(copied)
            }
        } catch {
            try? await blobs.remove(blob.key)
            throw error
        }
        do {
            // Not through `commit`: when the file moved on, this same blob becomes the copy.
            let saved = try await files.addVersion(
                fileID: file.id, blob: blob, info: info,
                conditions: WriteConditions(lock: .mustBeUnlocked, expectedVersion: record.version), now: now(),
                note: WebhookNote(
                    .fileSaved,
                    details: [
                        "author": actor.externalID ?? actor.id, "authorName": actor.displayName, "editor": "onlyoffice",
                    ]))
            FolioMetrics.saved(.onlyoffice, bytes: blob.size)
            contentChanges.announce(saved.id)
            if let seen { try await recordSpaceSave(seen, saved: saved) }
            // After a forcesave the session goes on from the version it just wrote.
            record.version = saved.version
            if final { record.retiredAt = now() }
            try await officeKeys.updateOfficeKey(record)
            return .saved(saved)
        } catch let error as FolioError {
            switch error {
            case .preconditionFailed, .lockConflict:
                let (base, ext) = FileName.splitExtension(file.name)
                let name = try await freeName("\(base) (conflict)\(ext)", in: file.folderID)
                let copy = try await commit(blob) {
                    try await files.createFile(
                        folderID: file.folderID, name: name, ownerID: actor.id, blob: blob, info: info, now: now(),
                        note: WebhookNote(
                            .fileCreated, details: ["author": actor.externalID ?? actor.id, "conflictOf": file.id]))
                }
                contentChanges.announce(copy.id)
                record.conflictFileID = copy.id
                record.retiredAt = now()
                try await officeKeys.updateOfficeKey(record)
                logger.warning(
                    "ONLYOFFICE save kept as a conflict copy",
                    metadata: ["file": "\(file.id)", "copy": "\(copy.id)", "key": "\(key)"])
                return .conflictCopy(copy)
            default:
                try? await blobs.remove(blob.key)
                throw error
            }
        } catch {
            try? await blobs.remove(blob.key)
            throw error
        }
    }

    /// Records who is in a session (callback status 1 and 4).
    public func officeEditors(key: String, users: [String], closed: Bool) async throws {
        guard var record = try await officeKeys.officeKey(key) else {
            throw FolioError.notFound("no document key \(key)")
        }
        record.editors = closed ? [] : users
        try await officeKeys.updateOfficeKey(record)
    }
}
