import NIOCore
import WOPI

/// What the web pages do in a space: its folders listed live from the storage, documents
/// opened (each becomes the Folio file that stands for it), downloaded, uploaded, made from
/// a template, renamed and deleted — in the storage, each write conditional, so nothing made
/// outside Folio is ever replaced.
extension Folio {
    /// A folder of a space as the storage lists it now: folders first, then documents, each
    /// group ordered as asked (names compared without case).
    public func spaceListing(
        _ name: String, folder: SpacePath, user: User, order: ListingOrder = .name, descending: Bool = false
    ) async throws -> (role: Role, entries: [SpaceEntry]) {
        let (space, role) = try await requireSpace(name, user: user, least: .view)
        let entries: [SpaceEntry]
        do {
            entries = try await space.connector.list(folder)
        } catch SpaceError.notFound {
            throw FolioError.notFound("there is no folder \(folder) in space \(name)")
        }
        func before(_ a: SpaceEntry, _ b: SpaceEntry) -> Bool {
            let byName = a.path.name.lowercased() < b.path.name.lowercased()
            switch order {
            case .name: return byName
            case .size: return a.size != b.size ? a.size < b.size : byName
            case .modified: return a.modifiedAt != b.modifiedAt ? a.modifiedAt < b.modifiedAt : byName
            }
        }
        let sorted = entries.sorted { a, b in
            if a.isFolder != b.isFolder { return a.isFolder }
            return descending ? before(b, a) : before(a, b)
        }
        return (role, sorted)
    }

    /// The Folio file that stands for a document, for a user who may at least view it.
    public func openSpaceDocument(_ name: String, path: SpacePath, user: User) async throws -> StoredFile {
        _ = try await requireSpace(name, user: user, least: .view)
        return try await spaceFile(space: name, path: path)
    }

    /// A document's bytes straight from the storage, for a download.
    public func readSpaceDocument(_ name: String, path: SpacePath, user: User) async throws -> (
        entry: SpaceEntry, content: BlobReader
    ) {
        let (space, _) = try await requireSpace(name, user: user, least: .view)
        do {
            let opened = try await space.connector.read(path, range: nil)
            guard !opened.entry.isFolder else { throw FolioError.badRequest("\(path) is a folder") }
            return opened
        } catch SpaceError.notFound {
            throw FolioError.notFound("there is no document \(path) in space \(name)")
        }
    }

    /// An upload into a space's folder: into Folio's blob store first (streamed, size known,
    /// hashed), then into the storage under a name nothing there has, never over anything. The
    /// upload is version 1 of the document's file, by the user who uploaded it.
    public func uploadToSpace<Body: AsyncSequence & Sendable>(
        _ body: Body, expectedSize: Int64?, name raw: String, folder: SpacePath, space name: String, user: User,
        source: VersionSource = .upload
    ) async throws -> StoredFile where Body.Element == ByteBuffer {
        let (space, _) = try await requireSpace(name, user: user, least: .edit)
        // What a path in a space refuses ("a%20b.pdf") is made legal rather than refused.
        guard let clean = cleanName(raw).map(SpacePath.legalName) else {
            throw FolioError.invalidName("\"\(raw)\" cannot be used as a name")
        }
        if !folder.isRoot, try await space.connector.stat(folder)?.isFolder != true {
            throw FolioError.notFound("there is no folder \(folder) in space \(name)")
        }
        let blob = try await blobs.write(body, maxBytes: settings.maxUploadBytes, expectedSize: expectedSize)
        let blobs = self.blobs
        let content = SpaceContent(size: blob.size, sha256: blob.sha256) { try await blobs.open(blob.key, range: nil) }
        let placed: (path: SpacePath, entry: SpaceEntry)
        do {
            placed = try await placeNew(content, name: clean, in: folder, of: space)
        } catch {
            try? await blobs.remove(blob.key)
            throw error
        }
        return try await adopt(
            placed.path, entry: placed.entry, blob: blob, space: space, owner: try await spaceOwner(space),
            info: VersionInfo(authorID: user.id, source: source),
            note: WebhookNote(.fileCreated, details: ["author": user.externalID ?? user.id]))
    }

    /// A new document from a template (or empty, for editors that make it themselves).
    public func newSpaceDocument(
        _ template: DocumentTemplate, name raw: String, folder: SpacePath, space name: String, user: User, empty: Bool
    ) async throws -> StoredFile {
        let (fileName, body, size) = try template.newDocument(named: raw, empty: empty)
        return try await uploadToSpace(
            body, expectedSize: size, name: fileName, folder: folder, space: name, user: user)
    }

    /// Makes a folder in a space; a name that is taken is refused with a free suggestion.
    public func makeSpaceFolder(named raw: String, in parent: SpacePath, space name: String, user: User) async throws
        -> SpacePath
    {
        let (space, _) = try await requireSpace(name, user: user, least: .edit)
        guard let clean = cleanName(raw) else { throw FolioError.invalidName("\"\(raw)\" cannot be used as a name") }
        let path = try parent.appending(clean)
        do {
            try await space.connector.makeFolder(path)
        } catch SpaceError.exists {
            throw FolioError.nameTaken(suggestion: try await freeSpaceName(clean, in: parent, of: space))
        } catch SpaceError.notFound {
            throw FolioError.notFound("there is no folder \(parent) in space \(name)")
        }
        return path
    }

    /// Renames a document in its storage (a document being edited says so); its Folio file,
    /// if it has one, keeps its id and history. Returns where it is now.
    public func renameSpaceDocument(_ name: String, path: SpacePath, to raw: String, user: User) async throws
        -> SpacePath
    {
        let (space, _) = try await requireSpace(name, user: user, least: .edit)
        guard let clean = cleanName(raw) else { throw FolioError.invalidName("\"\(raw)\" cannot be used as a name") }
        let target = try path.parent.appending(clean)
        // People choose the name: a taken one is refused with a free suggestion, never replaced.
        if target != path, try await space.connector.stat(target) != nil {
            throw FolioError.nameTaken(suggestion: try await freeSpaceName(clean, in: path.parent, of: space))
        }
        if let document = try await spaceDocs.spaceDocument(space: name, path: path.description),
            let file = try await files.file(id: document.fileID)
        {
            // Whatever changed outside first becomes a version, so the rename compares against it.
            let current = try await takeInOutsideChange(file, document: document, space: space)
            let renamed = try await renameInSpace(current, to: clean, lock: nil)
            guard let moved = try await spaceDocs.spaceDocument(fileID: renamed.id) else { return path }
            return try SpacePath(moved.path)
        }
        guard let entry = try await space.connector.stat(path), !entry.isFolder else {
            throw FolioError.notFound("there is no document \(path) in space \(name)")
        }
        do {
            _ = try await space.connector.move(path, to: target, tag: entry.tag)
        } catch SpaceError.exists {
            throw FolioError.nameTaken(suggestion: try await freeSpaceName(clean, in: path.parent, of: space))
        } catch SpaceError.changed {
            throw FolioError.conflict("\(path.name) was changed outside Folio while it was being renamed; try again")
        }
        return target
    }

    /// Deletes a document from its storage, only as Folio last saw it and not while an editor
    /// holds it; its Folio file goes to the user's trash with its versions.
    public func deleteSpaceDocument(_ name: String, path: SpacePath, user: User) async throws {
        let (space, _) = try await requireSpace(name, user: user, least: .edit)
        if let document = try await spaceDocs.spaceDocument(space: name, path: path.description),
            let file = try await files.file(id: document.fileID)
        {
            let current = try await takeInOutsideChange(file, document: document, space: space)
            try await deleteInSpace(current, by: user.id)
            return
        }
        guard let entry = try await space.connector.stat(path), !entry.isFolder else {
            throw FolioError.notFound("there is no document \(path) in space \(name)")
        }
        do {
            try await space.connector.delete(path, tag: entry.tag)
        } catch SpaceError.changed {
            throw FolioError.conflict("\(path.name) was changed outside Folio while it was being deleted; it stays")
        }
    }

    /// Writes a new document into a folder under `name` or the first free "name (n)".
    func placeNew(_ content: SpaceContent, name: String, in folder: SpacePath, of space: Space) async throws -> (
        path: SpacePath, entry: SpaceEntry
    ) {
        for _ in 0..<20 {
            let path = try folder.appending(try await freeSpaceName(name, in: folder, of: space))
            do {
                return (path, try await space.connector.write(path, content: content, condition: .absent))
            } catch SpaceError.changed, SpaceError.exists {
                continue  // Taken between the look and the write: the next free name.
            } catch SpaceError.notFound {
                throw FolioError.notFound("there is no folder \(folder) in space \(space.name)")
            }
        }
        throw FolioError.conflict("no free name for \(name) in \(folder)")
    }
}
