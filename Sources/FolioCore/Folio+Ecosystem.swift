import WOPI

extension Folio {
    /// The folder at `path` ("Reports/2026") below the user's root, created as needed.
    public func ensureFolder(path: String, owner: User) async throws -> Folder {
        guard var folder = try await store.folder(id: owner.rootFolderID) else {
            throw FolioError.notFound("the user has no root folder")
        }
        for part in path.split(separator: "/").map(String.init) {
            guard let name = FileName.clean(part, maxLength: settings.maxNameLength), name == part else {
                throw FolioError.invalidName("\"\(part)\" cannot be used as a folder name")
            }
            let children = try await store.children(ofFolder: folder.id)
            if let existing = children.folders.first(where: { $0.name.lowercased() == name.lowercased() }) {
                folder = existing
            } else {
                folder = try await store.createFolder(parentID: folder.id, name: name, ownerID: owner.id, now: now())
            }
        }
        return folder
    }

    /// GetFileWopiSrc: resolves a host-native file identifier, a file id or a path below the
    /// user's root folder ("Reports/2026/q1.xlsx"), to a file the user can reach.
    public func resolveNativeFile(_ identifier: String, session: EcosystemSession) async throws -> (StoredFile, Role) {
        if Identifier.isValid(identifier),
            let access = try await store.access(fileID: identifier, userID: session.user.id),
            let role = access.role
        {
            return (access.file, role)
        }
        var folderID = session.user.rootFolderID
        let parts = identifier.split(separator: "/").map(String.init)
        guard let last = parts.last else { throw FolioError.notFound("no such file") }
        for part in parts.dropLast() {
            let children = try await store.children(ofFolder: folderID)
            guard let next = children.folders.first(where: { $0.name.lowercased() == part.lowercased() }) else {
                throw FolioError.notFound("no such file")
            }
            folderID = next.id
        }
        let children = try await store.children(ofFolder: folderID)
        guard let file = children.files.first(where: { $0.name.lowercased() == last.lowercased() }),
            let role = try await store.access(fileID: file.id, userID: session.user.id)?.role
        else { throw FolioError.notFound("no such file") }
        return (file, role)
    }
}
