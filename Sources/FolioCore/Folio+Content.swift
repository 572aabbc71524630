import NIOCore
import WOPI

/// How PutRelativeFile names its target (PROTOCOL.md §A.4).
public enum RelativeTarget: Sendable, Equatable {
    /// `X-WOPI-SuggestedTarget`: a full name, or an extension starting with "."; always adjusted.
    case suggested(String)
    /// `X-WOPI-RelativeTarget`: the exact name, with `X-WOPI-OverwriteRelativeTarget`.
    case specific(String, overwrite: Bool)
}

/// Why a specific relative target cannot be used: 400 or 409 with `X-WOPI-ValidRelativeTarget`.
public struct RelativeTargetProblem: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case illegal, exists }
    public var kind: Kind
    public var validTarget: String

    public init(kind: Kind, validTarget: String) {
        self.kind = kind
        self.validTarget = validTarget
    }
}

extension Folio {
    /// Writes a new version of a session's file from a stream. The lock is checked before any
    /// byte is read (so a refused save costs nothing) and again, atomically, at commit. A WOPI
    /// save may bring the `basis` it was authorised with (`authorizeSave`); else it is read.
    public func saveContent<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, session: FileSession, conditions: WriteConditions,
        source: VersionSource = .wopi, flags: SaveFlags = .init(), editors: [String] = [], basis read: SaveBasis? = nil
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        guard session.canWrite || session.role == .comment else {
            throw FolioError.unauthorized("this access token does not allow writing")
        }
        // What the save is decided on here goes with it to the store, which then need not read
        // it again unless something moved meanwhile.
        var basis: SaveBasis?
        if case .wopi(let header) = conditions.lock {
            let seen: SaveBasis
            if let read { seen = read } else { seen = try await files.saveBasis(fileID: session.file.id, now: now()) }
            basis = seen
            let lock = seen.lock?.id
            if case .conflict(let current) = LockTable.decide(
                .putFile(lock: header, currentSize: seen.file.size), current: lock)
            {
                // The editor's lock was broken while it edited: its work is kept beside the file.
                if let header, session.canWrite,
                    let broken = try await files.brokenLock(fileID: session.file.id, lockID: header)
                {
                    let blob = try await blobs.write(
                        body, maxBytes: settings.maxUploadBytes, expectedSize: expectedSize)
                    throw try await keepConflictCopy(blob, session: session, brokenBy: broken.by, current: current)
                }
                throw FolioError.lockMismatch(current: current)
            }
            // PROTOCOL.md §F.2: a commenter (Collabora's comment-only mode) saves comments only
            // into an open editing session, i.e. with the lock that session holds; never on an
            // unlocked file, not even an empty one.
            if !session.canWrite, lock == nil || header != lock {
                throw FolioError.unauthorized("a commenter may save only into a locked editing session")
            }
        } else if !session.canWrite {
            throw FolioError.unauthorized("this access token does not allow writing")
        }
        // Checked again at commit; checked here too so that a stale editor writes nothing anywhere
        // (a space's storage is written before the commit).
        if let since = conditions.unmodifiedSince, since != session.file.modifiedAt { throw FolioError.modifiedSince }
        let blob = try await blobs.write(body, maxBytes: settings.maxUploadBytes, expectedSize: expectedSize)
        // A WOPI save carries its session's lock: retention thins autosaves per session.
        var sessionID: String?
        if case .wopi(let lock?) = conditions.lock, !lock.isEmpty { sessionID = VersionSession.wopi(lock: lock) }
        let info = VersionInfo(
            authorID: session.user.id, source: source, flags: flags, editors: editors, session: sessionID)
        let saved = try await commitOrKeepCopy(blob, session: session, conditions: conditions) {
            // A space's document is written to its storage first (compare-and-set); the tag it
            // then has is recorded only once the version is committed, so a failed commit
            // leaves the save to be taken in as a change made outside, never lost.
            let seen = try await writeThrough(
                blob, file: session.file, user: session.user, timestamped: conditions.unmodifiedSince != nil)
            let note = WebhookNote(
                .fileSaved,
                details: [
                    "author": session.user.externalID ?? session.user.id, "authorName": session.user.displayName,
                    "editor": session.grant.editor?.rawValue ?? source.rawValue,
                ])
            let saved = try await files.addVersion(
                fileID: session.file.id, blob: blob, info: info, conditions: conditions, now: now(), note: note,
                basis: basis)
            if let seen { try await recordSpaceSave(seen, saved: saved) }
            return saved
        }
        FolioMetrics.saved(source, bytes: blob.size)
        contentChanges.announce(saved.id)
        return saved
    }

    /// Creates a new file from a stream in `folderID`. With `uniqueName` a taken name becomes
    /// "name (2).ext"; without it, `FolioError.nameTaken`.
    public func createFile<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, name: String, folderID: String, owner: User, source: VersionSource,
        uniqueName: Bool
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        guard let clean = cleanName(name) else {
            throw FolioError.invalidName("\"\(name)\" cannot be used as a file name")
        }
        var name = clean
        if uniqueName { name = try await freeName(clean, in: folderID) }
        let blob = try await blobs.write(body, maxBytes: settings.maxUploadBytes, expectedSize: expectedSize)
        let info = VersionInfo(authorID: owner.id, source: source)
        // A concurrent create may take the name between the check and the commit: try the
        // store's suggestion a few times before giving up.
        for _ in 0..<5 {
            do {
                let file = try await commit(blob) {
                    try await files.createFile(
                        folderID: folderID, name: name, ownerID: owner.id, blob: blob, info: info, now: now(),
                        note: WebhookNote(.fileCreated, details: ["author": owner.externalID ?? owner.id]))
                }
                FolioMetrics.saved(source, bytes: blob.size)
                contentChanges.announce(file.id)
                return file
            } catch FolioError.nameTaken(let suggestion) where uniqueName {
                name = suggestion
            }
        }
        throw FolioError.conflict("could not find a free name for \(clean)")
    }

    /// PutRelativeFile: a new file beside the session's file (or in the user's root folder when
    /// the user may not create files there), or a new version of an existing one when overwriting.
    public func putRelative<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, target: RelativeTarget, session: FileSession
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        guard session.canWrite else {
            throw FolioError.notImplemented("this user may not create files from this document")
        }
        if isSpaceFile(session.file) {
            return try await putRelativeInSpace(body, expectedSize: expectedSize, target: target, session: session)
        }
        return try await createNamed(
            body, expectedSize: expectedSize, target: target, folderID: try await targetFolder(for: session),
            user: session.user, grant: session.grant, nameForExtension: session.file.name)
    }

    /// Creates (or, in specific mode with overwrite, rewrites) a file named by a WOPI target in
    /// `folderID`. A suggestion starting with "." replaces the extension of `nameForExtension`.
    func createNamed<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, target: RelativeTarget, folderID: String, user: User,
        grant: AccessGrant, nameForExtension: String?
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        switch target {
        case .suggested(let raw):
            let base = nameForExtension.map { FileName.splitExtension($0).base } ?? "Untitled"
            let requested = raw.hasPrefix(".") ? base + raw : raw
            let name =
                cleanName(requested) ?? cleanName("Untitled" + FileName.splitExtension(requested).ext) ?? "Untitled"
            return try await createFile(
                body, expectedSize: expectedSize, name: name, folderID: folderID, owner: user, source: .wopi,
                uniqueName: true)
        case .specific(let raw, let overwrite):
            guard let clean = cleanName(raw), clean == raw else {
                let fallback = cleanName(raw) ?? "Untitled"
                throw RelativeTargetProblem(kind: .illegal, validTarget: try await freeName(fallback, in: folderID))
            }
            guard try await files.nameExists(inFolder: folderID, name: clean) else {
                return try await createFile(
                    body, expectedSize: expectedSize, name: clean, folderID: folderID, owner: user, source: .wopi,
                    uniqueName: false)
            }
            guard overwrite else {
                throw RelativeTargetProblem(kind: .exists, validTarget: try await freeName(clean, in: folderID))
            }
            return try await overwriteRelative(
                body, expectedSize: expectedSize, name: clean, folderID: folderID, user: user, grant: grant)
        }
    }

    /// A legal file name from a client's name, or nil; the length limit excludes the extension.
    public func cleanName(_ raw: String) -> String? {
        let ext = FileName.splitExtension(raw).ext
        return FileName.clean(raw, maxLength: settings.maxNameLength + ext.utf16.count)
    }

    /// Overwrites the file called `name` in `folderID`, if the user may write it and it is not locked.
    func overwriteRelative<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, name: String, folderID: String, user: User, grant: AccessGrant
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        let children = try await files.children(ofFolder: folderID)
        guard let existing = children.files.first(where: { $0.name.lowercased() == name.lowercased() }) else {
            throw RelativeTargetProblem(kind: .exists, validTarget: try await freeName(name, in: folderID))
        }
        guard let access = try await files.access(fileID: existing.id, userID: user.id), access.role == .edit else {
            throw FolioError.notImplemented("this user may not overwrite \(name)")
        }
        let target = FileSession(file: existing, user: user, role: .edit, grant: grant)
        return try await saveContent(
            body, expectedSize: expectedSize, session: target, conditions: WriteConditions(lock: .mustBeUnlocked))
    }

    /// Where new files made from `session`'s file go: its folder when the user may create
    /// files there, else the user's own root folder.
    func targetFolder(for session: FileSession) async throws -> String {
        let role = try await files.role(userID: session.user.id, folderID: session.file.folderID)
        return role == .edit ? session.file.folderID : session.user.rootFolderID
    }

    /// `name`, or the first free "name (n).ext" in the folder.
    public func freeName(_ name: String, in folderID: String) async throws -> String {
        guard try await files.nameExists(inFolder: folderID, name: name) else { return name }
        var n = 2
        while true {
            let (base, ext) = FileName.splitExtension(name)
            let candidate = "\(base) (\(n))\(ext)"
            if try await !files.nameExists(inFolder: folderID, name: candidate) { return candidate }
            n += 1
        }
    }

    /// Runs a metadata commit for a freshly written blob; if it fails, the blob is removed so
    /// nothing refers to it and nothing is left behind.
    func commit<T>(_ blob: StoredBlob, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            do { try await blobs.remove(blob.key) } catch {
                logger.warning("could not remove unused blob", metadata: ["blob": "\(blob.key)", "error": "\(error)"])
            }
            throw error
        }
    }

    /// Streams the current content of a session's file, a chunk at a time.
    public func readContent(
        of file: StoredFile, range: Range<Int64>? = nil, _ body: (ByteBuffer) async throws -> Void
    ) async throws {
        try await openContent(of: file, range: range).read(body)
    }

    /// Opens a file's current content: a store that cannot serve it fails here, before a
    /// response has begun.
    public func openContent(of file: StoredFile, range: Range<Int64>? = nil) async throws -> BlobReader {
        try await openBlob(file.blobKey, range: range)
    }

    /// Every content read goes through here, so bytes out are counted once.
    func openBlob(_ key: String, range: Range<Int64>?) async throws -> BlobReader {
        try await blobs.open(key, range: range).observed { FolioMetrics.read(bytes: $0.readableBytes) }
    }
}
