import Foundation
import NIOCore
import WOPI

/// Documents that stay where they live: a space's document is a Folio file (a stable id,
/// locks, tokens, versions) whose content is also written to, and read from, its storage —
/// only ever by compare-and-set against the tag Folio last saw, so a change made outside
/// Folio is never overwritten.
extension Folio {
    public func space(named name: String) throws -> Space {
        guard let space = spaces.spaces[name] else { throw FolioError.notFound("there is no space \(name)") }
        return space
    }

    /// Learns (or makes) the accounts of the configured spaces, so their files are told apart
    /// from the first request on, whoever made them (the serve command calls it at start).
    public func loadSpaces() async throws {
        for space in spaces.spaces.values { _ = try await spaceOwner(space) }
    }

    /// The account that owns a space's files, made on first use (two instances making it at
    /// once agree on one).
    func spaceOwner(_ space: Space) async throws -> User {
        let owner: User
        if let existing = try await accounts.user(login: space.ownerLogin) {
            owner = existing
        } else {
            do {
                owner = try await accounts.createUser(
                    login: space.ownerLogin, displayName: "Space \(space.name)", isAdmin: false, passwordHash: nil,
                    now: now())
            } catch FolioError.conflict {
                guard let made = try await accounts.user(login: space.ownerLogin) else {
                    throw FolioError.storage("the account of space \(space.name) vanished")
                }
                owner = made
            }
        }
        spaces.remember(owner: owner.id, of: space.name)
        return owner
    }

    /// Gives a user a role on every document of a space (nil takes it back): a grant on the
    /// folder the space's documents live under in Folio, which each document's role includes.
    public func grantSpace(_ name: String, to user: User, role: Role?) async throws {
        guard !user.isGuest, !user.login.hasPrefix("space:") else {
            throw FolioError.badRequest("\(user.login) is not a person's account")
        }
        let owner = try await spaceOwner(try space(named: name))
        try await sharing.setGrant(resourceID: owner.rootFolderID, userID: user.id, role: role)
    }

    /// Whether a file stands for a space's document (no query: the file's owner says it).
    public func isSpaceFile(_ file: StoredFile) -> Bool { spaces.space(owning: file.ownerID) != nil }

    /// The file that stands for a document of a space: the same file every time, made on first
    /// open with the document's content as version 1. A change made outside since is taken in.
    public func spaceFile(space name: String, path: SpacePath) async throws -> StoredFile {
        let space = try space(named: name)
        guard !path.isRoot else { throw FolioError.badRequest("the root of a space is not a document") }
        let owner = try await spaceOwner(space)
        if let document = try await spaceDocs.spaceDocument(space: name, path: path.description),
            let file = try await files.file(id: document.fileID)
        {
            return try await takeInOutsideChange(file, document: document, space: space)
        }
        let (entry, blob) = try await copyIn(path, of: space)
        guard !entry.isFolder else {
            try? await blobs.remove(blob.key)
            throw FolioError.badRequest("\(path) is a folder")
        }
        return try await adopt(path, entry: entry, blob: blob, space: space, owner: owner)
    }

    /// Makes the file for a document whose content is `blob` (as the storage had it at
    /// `entry`): version 1 of a new file, linked to the path, by `info` (by default the space's
    /// account, source outside: found there, not written by Folio). Two instances adopting one
    /// path at once agree on one file.
    func adopt(
        _ path: SpacePath, entry: SpaceEntry, blob: StoredBlob, space: Space, owner: User, info: VersionInfo? = nil,
        note: WebhookNote? = nil
    ) async throws -> StoredFile {
        let name = space.name
        // One folder per document: names never collide, whatever the paths.
        let folder = try await files.createFolder(
            parentID: owner.rootFolderID, name: Identifier.random(), ownerID: owner.id, now: now())
        let file = try await commit(blob) {
            try await files.createFile(
                folderID: folder.id, name: path.name, ownerID: owner.id, blob: blob,
                info: info ?? VersionInfo(authorID: owner.id, source: .outside), now: now(), note: note)
        }
        do {
            try await spaceDocs.linkSpaceDocument(
                SpaceDocument(fileID: file.id, space: name, path: path.description, tag: entry.tag))
            return file
        } catch FolioError.conflict {
            // Another instance opened the document at the same moment: its file it is.
            try? await files.deleteFile(id: file.id, now: now())
            guard let document = try await spaceDocs.spaceDocument(space: name, path: path.description),
                let theirs = try await files.file(id: document.fileID)
            else { throw FolioError.conflict("\(path) in space \(name) is being opened elsewhere; try again") }
            return theirs
        }
    }

    /// For CheckFileInfo and GetFile: when the storage's document is no longer what Folio last
    /// saw, its content becomes a new version (source `outside`) and GetFile serves it.
    public func refreshSpaceFile(_ file: StoredFile) async throws -> StoredFile {
        guard let space = spaces.space(owning: file.ownerID),
            let document = try await spaceDocs.spaceDocument(fileID: file.id)
        else { return file }
        return try await takeInOutsideChange(file, document: document, space: space)
    }

    /// The session with its file as the storage has it now (a space's document), for the
    /// requests that show or serve content: CheckFileInfo and GetFile.
    public func refreshed(_ session: FileSession) async throws -> FileSession {
        guard isSpaceFile(session.file) else { return session }
        var session = session
        session.file = try await refreshSpaceFile(session.file)
        return session
    }

    /// While an editor holds the WOPI lock the tag Folio compares against stays the old one:
    /// that editor's next save then becomes a conflict copy instead of overwriting the change.
    func takeInOutsideChange(_ file: StoredFile, document: SpaceDocument, space: Space) async throws -> StoredFile {
        let path = try SpacePath(document.path)
        guard let entry = try await space.connector.stat(path) else {
            throw FolioError.notFound("\(path) is no longer in space \(space.name)")
        }
        guard entry.tag != document.tag else { return file }
        let (seen, blob) = try await copyIn(path, of: space)
        var current = file
        if blob.sha256 != file.sha256 || blob.size != file.size {
            let owner = try await spaceOwner(space)
            current = try await commit(blob) {
                try await files.addVersion(
                    fileID: file.id, blob: blob, info: VersionInfo(authorID: owner.id, source: .outside),
                    conditions: WriteConditions(lock: .none), now: now())
            }
            try await forgetOlderContent(of: current)
            logger.info(
                "took in a change made outside Folio",
                metadata: ["space": "\(space.name)", "path": "\(path)", "version": "\(current.version)"])
        } else {
            try? await blobs.remove(blob.key)
        }
        if try await files.currentLock(fileID: file.id, now: now()) == nil {
            var seenNow = document
            seenNow.tag = seen.tag
            try await spaceDocs.updateSpaceDocument(seenNow)
        }
        return current
    }

    /// Reads a document into the blob store: what it was when read, and its blob.
    func copyIn(_ path: SpacePath, of space: Space) async throws -> (SpaceEntry, StoredBlob) {
        let opened: (entry: SpaceEntry, content: BlobReader)
        do {
            opened = try await space.connector.read(path, range: nil)
        } catch SpaceError.notFound {
            throw FolioError.notFound("there is no \(path) in space \(space.name)")
        }
        let blob = try await blobs.write(
            opened.content.chunks(), maxBytes: settings.maxUploadBytes, expectedSize: opened.entry.size)
        return (opened.entry, blob)
    }

    /// Writes a saved blob to its space's document, if the file is one, only over the tag last
    /// seen. When the document changed outside, the save goes beside it as a conflict copy and
    /// the editor is told (409; Collabora's "changed in storage" when it sent a timestamp).
    /// Returns the link to record once the version is committed.
    func writeThrough(_ blob: StoredBlob, file: StoredFile, user: User, timestamped: Bool) async throws
        -> SpaceDocument?
    {
        switch try await writeToSpace(
            blob, file: file, user: user, baseChanged: false, refuseIfChanged: timestamped)
        {
        case nil:
            return nil
        case .written(let document):
            return document
        case .conflictCopy(let copy, _):
            if timestamped { throw FolioError.modifiedSince }
            throw FolioError.conflict(
                "\(file.name) was changed outside Folio; this save was kept beside it as \(copy.name)")
        }
    }

    /// After a save to a space's document committed: the tag it has in the storage now, and,
    /// where the space keeps no history, the older versions' content let go.
    func recordSpaceSave(_ document: SpaceDocument, saved: StoredFile) async throws {
        try await spaceDocs.updateSpaceDocument(document)
        try await forgetOlderContent(of: saved)
    }

    /// A space with `history: none` keeps only the current version's content; the records stay.
    func forgetOlderContent(of file: StoredFile) async throws {
        guard let space = spaces.space(owning: file.ownerID), space.history == .currentOnly else { return }
        try await spaceDocs.forgetVersionContent(fileID: file.id, before: file.version)
    }

    /// What writing a save to a space's document did.
    enum SpaceWrite {
        /// Written; the link with the new tag, to record once the version is committed.
        case written(SpaceDocument)
        /// The document had changed outside Folio: the save went beside it, to this path.
        case conflictCopy(SpacePath, Space)
    }

    /// Writes a saved blob to its space's document (nil: the file is not a space's), only over
    /// the tag last seen; `baseChanged` (the editor's session began on an older version) sends
    /// it beside the document without trying.
    /// `refuseIfChanged` (Collabora sent the time it loaded): a document changed outside is
    /// answered `modifiedSince` before anything is written, so the editor can ask its user
    /// (a change in the instant between that look and the write still becomes a copy).
    func writeToSpace(
        _ blob: StoredBlob, file: StoredFile, user: User, baseChanged: Bool, refuseIfChanged: Bool = false
    ) async throws -> SpaceWrite? {
        guard let space = spaces.space(owning: file.ownerID),
            var document = try await spaceDocs.spaceDocument(fileID: file.id)
        else { return nil }
        let path = try SpacePath(document.path)
        adoptStorageLock(of: document, at: path, in: space)
        let blobs = self.blobs
        let content = SpaceContent(size: blob.size, sha256: blob.sha256) { try await blobs.open(blob.key, range: nil) }
        if refuseIfChanged, !baseChanged, let now = try await space.connector.stat(path), now.tag != document.tag {
            throw FolioError.modifiedSince
        }
        do {
            if baseChanged { throw SpaceError.changed(path: path, current: nil) }
            document.tag = try await space.connector.write(path, content: content, condition: .matches(document.tag))
                .tag
            return .written(document)
        } catch SpaceError.changed {
            let copy = try await writeConflictCopy(content, beside: path, user: user, space: space)
            logger.notice(
                "a save met a change made outside Folio; kept as a conflict copy",
                metadata: ["space": "\(space.name)", "path": "\(path)", "copy": "\(copy)"])
            return .conflictCopy(copy, space)
        }
    }

    /// `NAME (conflict 2026-12-04 09-12-33 LOGIN).EXT` beside the document, never replacing.
    func writeConflictCopy(_ content: SpaceContent, beside path: SpacePath, user: User, space: Space) async throws
        -> SpacePath
    {
        let (base, ext) = FileName.splitExtension(path.name)
        let stamp = Self.conflictStamp(Date(timeIntervalSince1970: Double(now()) / 1_000_000))
        let who = FileName.clean(user.login, maxLength: 64) ?? "someone"
        for attempt in 1...20 {
            let suffix = attempt == 1 ? "" : " \(attempt)"
            let name = "\(base) (conflict \(stamp) \(who)\(suffix))\(ext)"
            let copy = try path.parent.appending(FileName.clean(name, maxLength: 255) ?? name)
            do {
                _ = try await space.connector.write(copy, content: content, condition: .absent)
                return copy
            } catch SpaceError.changed {
                continue
            }
        }
        throw FolioError.storage("no free name for a conflict copy of \(path)")
    }

    static func conflictStamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(c.year ?? 0)-\(pad(c.month))-\(pad(c.day)) \(pad(c.hour))-\(pad(c.minute))-\(pad(c.second))"
    }
}
