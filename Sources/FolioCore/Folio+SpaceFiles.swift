import NIOCore
import WOPI

/// RenameFile, DeleteFile and PutRelativeFile on a space's document: done in the storage
/// first, each only while the document is still what Folio last saw, then in Folio's tables.
extension Folio {
    func spaceDocument(of file: StoredFile) async throws -> (Space, SpaceDocument, SpacePath) {
        guard let space = spaces.space(owning: file.ownerID),
            let document = try await spaceDocs.spaceDocument(fileID: file.id)
        else { throw FolioError.notFound("\(file.name) is not in a space") }
        let path = try SpacePath(document.path)
        adoptStorageLock(of: document, at: path, in: space)
        return (space, document, path)
    }

    /// A storage lock Folio holds on the document (whichever process took it) is handed to the
    /// connector, so the change goes under it instead of being refused by it.
    func adoptStorageLock(of document: SpaceDocument, at path: SpacePath, in space: Space) {
        guard space.connector.hasNativeLocks, let lock = document.storageLock, lock.expiresAt > now() else { return }
        space.connector.adopt(path, lock: lock)
    }

    /// `name`, or the first "name (n).ext" nothing in the storage's folder has.
    func freeSpaceName(_ name: String, in folder: SpacePath, of space: Space) async throws -> String {
        var candidate = name
        var n = 2
        while try await space.connector.stat(try folder.appending(candidate)) != nil {
            let (base, ext) = FileName.splitExtension(name)
            candidate = "\(base) (\(n))\(ext)"
            n += 1
        }
        return candidate
    }

    func renameInSpace(session: FileSession, to name: String, lock: String?) async throws -> StoredFile {
        try await renameInSpace(session.file, to: name, lock: lock)
    }

    func renameInSpace(_ file: StoredFile, to name: String, lock: String?) async throws -> StoredFile {
        try StoreRules.checkRename(
            lock: lock, current: try await files.currentLock(fileID: file.id, now: now()))
        var (space, document, path) = try await spaceDocument(of: file)
        guard name != path.name else { return file }
        var target = try path.parent.appending(try await freeSpaceName(name, in: path.parent, of: space))
        var moved: SpaceEntry?
        for _ in 0..<20 where moved == nil {
            do {
                moved = try await space.connector.move(path, to: target, tag: document.tag)
            } catch SpaceError.exists {
                target = try path.parent.appending(try await freeSpaceName(name, in: path.parent, of: space))
            } catch SpaceError.changed {
                throw FolioError.conflict("\(path.name) was changed outside Folio; open it again before renaming it")
            }
        }
        guard let moved else { throw FolioError.conflict("no free name for \(name) in \(path.parent)") }
        document.path = target.description
        document.tag = moved.tag
        try await spaceDocs.updateSpaceDocument(document)
        return try await files.renameFile(
            id: file.id, name: target.name, lock: lock, checkLock: false, now: now(),
            note: WebhookNote(.fileRenamed, details: ["oldName": file.name]))
    }

    func deleteInSpace(session: FileSession) async throws {
        try await deleteInSpace(session.file, by: session.user.id)
    }

    func deleteInSpace(_ file: StoredFile, by userID: String?) async throws {
        try StoreRules.checkDelete(current: try await files.currentLock(fileID: file.id, now: now()))
        let (space, document, path) = try await spaceDocument(of: file)
        do {
            try await space.connector.delete(path, tag: document.tag)
        } catch SpaceError.changed {
            throw FolioError.conflict("\(path.name) was changed outside Folio; it was not deleted")
        } catch SpaceError.notFound {
            // Gone already: Folio follows.
        }
        try await spaceDocs.unlinkSpaceDocument(fileID: file.id)
        try await files.deleteFile(
            id: file.id, now: now(), deletedBy: userID, note: WebhookNote(.fileDeleted, file: file))
    }

    /// Folio's folders are not a space's: its documents move in their storage, not here.
    func refuseMoveOfSpaceFile(_ file: StoredFile) throws {
        if isSpaceFile(file) {
            throw FolioError.forbidden("\(file.name) is a document of a space; it moves in its storage")
        }
    }

    /// PutRelativeFile beside a space's document: the new document goes into the storage's
    /// folder (never over another unless asked to overwrite one nobody has locked), then
    /// becomes a Folio file the user holds the session's role on.
    func putRelativeInSpace<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, target: RelativeTarget, session: FileSession
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        let (space, _, path) = try await spaceDocument(of: session.file)
        let folder = path.parent
        let blob = try await blobs.write(body, maxBytes: settings.maxUploadBytes, expectedSize: expectedSize)
        let blobs = self.blobs
        let content = SpaceContent(size: blob.size, sha256: blob.sha256) { try await blobs.open(blob.key, range: nil) }
        let placed: (path: SpacePath, entry: SpaceEntry, created: Bool)
        do {
            placed = try await placeRelative(content, target: target, beside: session.file.name, in: folder, of: space)
        } catch {
            try? await blobs.remove(blob.key)
            throw error
        }
        let file: StoredFile
        if placed.created {
            // A new document: its file starts from the blob just written there.
            file = try await adopt(
                placed.path, entry: placed.entry, blob: blob, space: space, owner: try await spaceOwner(space),
                info: VersionInfo(authorID: session.user.id, source: .wopi),
                note: WebhookNote(.fileCreated, details: ["author": session.user.externalID ?? session.user.id]))
        } else {
            // An overwritten one: its file (if it has one) takes the change in as it would any.
            try? await blobs.remove(blob.key)
            file = try await spaceFile(space: space.name, path: placed.path)
        }
        try await sharing.setGrant(resourceID: file.id, userID: session.user.id, role: .edit)
        return file
    }

    /// Writes PutRelativeFile's content into the storage's folder under the name the target
    /// asks for (or a free one): where it went, what it is there, and whether it is new.
    func placeRelative(
        _ content: SpaceContent, target: RelativeTarget, beside original: String, in folder: SpacePath, of space: Space
    ) async throws -> (path: SpacePath, entry: SpaceEntry, created: Bool) {
        var written: SpacePath
        var entry: SpaceEntry?
        var created = true
        switch target {
        case .suggested(let raw):
            let base = FileName.splitExtension(original).base
            let requested = raw.hasPrefix(".") ? base + raw : raw
            // Suggested mode: Folio picks a legal name, also for what a path in a space refuses.
            let name = SpacePath.legalName(
                cleanName(requested) ?? cleanName("Untitled" + FileName.splitExtension(requested).ext) ?? "Untitled")
            written = try folder.appending(try await freeSpaceName(name, in: folder, of: space))
            var done = false
            for _ in 0..<20 where !done {
                do {
                    entry = try await space.connector.write(written, content: content, condition: .absent)
                    done = true
                } catch SpaceError.changed {
                    written = try folder.appending(try await freeSpaceName(name, in: folder, of: space))
                }
            }
            guard done else { throw FolioError.conflict("no free name for \(name) in \(folder)") }
        case .specific(let raw, let overwrite):
            guard let clean = cleanName(raw), clean == raw, SpacePath.legalName(clean) == clean else {
                let fallback = SpacePath.legalName(cleanName(raw) ?? "Untitled")
                throw RelativeTargetProblem(
                    kind: .illegal, validTarget: try await freeSpaceName(fallback, in: folder, of: space))
            }
            written = try folder.appending(clean)
            if let existing = try await space.connector.stat(written) {
                guard overwrite, !existing.isFolder else {
                    throw RelativeTargetProblem(
                        kind: .exists, validTarget: try await freeSpaceName(clean, in: folder, of: space))
                }
                if let linked = try await spaceDocs.spaceDocument(space: space.name, path: written.description),
                    let lock = try await files.currentLock(fileID: linked.fileID, now: now())
                {
                    throw FolioError.lockConflict(current: lock.id, reason: "the target file is locked")
                }
                do {
                    entry = try await space.connector.write(
                        written, content: content, condition: .matches(existing.tag))
                    created = false
                } catch SpaceError.changed {
                    throw FolioError.conflict("\(clean) changed while it was being overwritten; try again")
                }
            } else {
                do {
                    entry = try await space.connector.write(written, content: content, condition: .absent)
                } catch SpaceError.changed {
                    throw RelativeTargetProblem(
                        kind: .exists, validTarget: try await freeSpaceName(clean, in: folder, of: space))
                }
            }
        }
        guard let entry else { throw FolioError.storage("\(written) was not written") }
        return (written, entry, created)
    }
}

extension Folio {
    /// The event of a WOPI lock undone because the storage would not lock too: webhooks heard
    /// of the lock, so they hear of its end.
    func undone(_ session: FileSession) -> WebhookNote {
        WebhookNote(
            .lockChanged,
            details: ["by": session.user.externalID ?? session.user.id, "reason": "the storage refused its lock"],
            file: session.file)
    }

    /// How long a storage lock lasts: a WOPI lock's 30 minutes, renewed with it.
    static let storageLockSeconds = 1800

    /// While an editor holds the WOPI lock on a document of a storage with locks of its own
    /// (WebDAV), Folio holds one there too, so the storage's other clients (desktop apps,
    /// sync clients) see the document as being edited: taken with the WOPI lock, renewed with
    /// it, given back with it. Someone else's storage lock makes the WOPI lock fail (409 with
    /// the reason), and Folio's lock is undone. The storage lock is kept in the database, so
    /// whichever Folio process the editor's next request reaches renews, uses and releases it.
    func followInStorage(_ result: LockResult, session: FileSession) async throws {
        guard case .allow(let effect) = result.decision, effect != .keep,
            let space = spaces.space(owning: session.file.ownerID), space.connector.hasNativeLocks,
            let document = try await spaceDocs.spaceDocument(fileID: session.file.id)
        else { return }
        let path = try SpacePath(document.path)
        let held = document.storageLock
        switch effect {
        case .set(let id):
            do {
                let taken =
                    if let held {
                        try await space.connector.refresh(path, lock: held, seconds: Self.storageLockSeconds)
                    } else {
                        try await space.connector.lock(path, seconds: Self.storageLockSeconds)
                    }
                try await spaceDocs.setSpaceStorageLock(fileID: session.file.id, lock: taken)
            } catch SpaceError.lockedElsewhere(_, let owner) {
                try await spaceDocs.setSpaceStorageLock(fileID: session.file.id, lock: nil)
                _ = try? await files.applyLock(
                    fileID: session.file.id, operation: .unlock(id), now: now(), holder: nil,
                    note: undone(session))
                throw FolioError.lockConflict(
                    current: "",
                    reason: "the document is locked in \(space.name)'s storage" + (owner.isEmpty ? "" : " by \(owner)"))
            } catch  where held == nil {
                // No storage lock to go with it: the editor's lock is not taken either.
                _ = try? await files.applyLock(
                    fileID: session.file.id, operation: .unlock(id), now: now(), holder: nil,
                    note: undone(session))
                throw error
            } catch {
                // A renewal that failed: the editor keeps its lock; saves still take short ones.
                logger.warning(
                    "could not renew a storage lock",
                    metadata: ["space": "\(space.name)", "path": "\(path)", "error": "\(error)"])
            }
        case .release:
            guard let held else { return }
            try await spaceDocs.setSpaceStorageLock(fileID: session.file.id, lock: nil)
            do {
                try await space.connector.unlock(path, lock: held)
            } catch {
                logger.warning(
                    "could not give back a storage lock; it expires by itself",
                    metadata: ["space": "\(space.name)", "path": "\(path)", "error": "\(error)"])
            }
        case .keep:
            return
        }
    }
}
