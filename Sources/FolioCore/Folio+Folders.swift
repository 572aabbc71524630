import WOPI

extension Folio {
    /// The folder at `path` ("Reports/2026") below the user's root, created as needed.
    public func ensureFolder(path: String, owner: User) async throws -> Folder {
        guard var folder = try await files.folder(id: owner.rootFolderID) else {
            throw FolioError.notFound("the user has no root folder")
        }
        for part in path.split(separator: "/").map(String.init) {
            guard let name = FileName.clean(part, maxLength: settings.maxNameLength), name == part else {
                throw FolioError.invalidName("\"\(part)\" cannot be used as a folder name")
            }
            let children = try await files.children(ofFolder: folder.id)
            if let existing = children.folders.first(where: { $0.name.lowercased() == name.lowercased() }) {
                folder = existing
            } else {
                folder = try await files.createFolder(parentID: folder.id, name: name, ownerID: owner.id, now: now())
            }
        }
        return folder
    }
}
