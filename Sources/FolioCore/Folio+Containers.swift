import NIOCore
import WOPI

/// What a user may do with a folder (CheckContainerInfo).
public struct ContainerAbilities: Sendable, Equatable {
    public var canCreateChildren: Bool
    public var canDelete: Bool
    public var canRename: Bool
}

/// A folder with the role the user holds on it.
public struct ReachableFolder: Sendable, Equatable {
    public var folder: Folder
    public var role: Role
}

extension Folio {
    public func abilities(_ session: ContainerSession) -> ContainerAbilities {
        let edit = session.role == .edit
        let isRoot = session.folder.parentID == nil
        return ContainerAbilities(canCreateChildren: edit, canDelete: edit && !isRoot, canRename: edit && !isRoot)
    }

    /// The folders above `folderID` (root first, `folderID` excluded) that the user can reach:
    /// a user with a grant deep in someone else's tree sees only the part below the grant.
    public func ancestors(ofFolder folderID: String, including: Bool, user: User) async throws -> [ReachableFolder] {
        var path = try await files.folderPath(id: folderID)
        if !including { path.removeLast() }
        var reachable: [ReachableFolder] = []
        for folder in path.reversed() {
            guard let role = try await files.role(userID: user.id, folderID: folder.id) else { break }
            reachable.append(ReachableFolder(folder: folder, role: role))
        }
        return reachable.reversed()
    }

    /// The children of a folder, files optionally filtered by extension (".docx", case-insensitive).
    public func children(_ session: ContainerSession, extensions: Set<String>?) async throws -> (
        folders: [Folder], files: [StoredFile]
    ) {
        let children = try await files.children(ofFolder: session.folder.id)
        guard let extensions else { return children }
        let wanted = Set(extensions.map { $0.lowercased() })
        return (
            children.folders,
            children.files.filter { wanted.contains(FileName.splitExtension($0.name).ext.lowercased()) }
        )
    }

    /// CreateChildContainer: a suggested name is made unique; a specific one must be free.
    public func createChildContainer(_ session: ContainerSession, target: RelativeTarget) async throws -> Folder {
        guard session.role == .edit else { throw FolioError.unauthorized("this user may not create folders here") }
        let name: String
        switch target {
        case .suggested(let raw):
            name = try await freeName(
                FileName.clean(raw, maxLength: settings.maxNameLength) ?? "New folder", in: session.folder.id)
        case .specific(let raw, _):
            guard let clean = FileName.clean(raw, maxLength: settings.maxNameLength), clean == raw else {
                throw FolioError.invalidName("\"\(raw)\" cannot be used as a folder name")
            }
            name = clean
        }
        return try await files.createFolder(
            parentID: session.folder.id, name: name, ownerID: session.user.id, now: now())
    }

    /// CreateChildFile: an empty file named like PutRelativeFile names its target.
    public func createChildFile(_ session: ContainerSession, target: RelativeTarget) async throws -> StoredFile {
        guard session.role == .edit else {
            throw FolioError.notImplemented("this user may not create files in this folder")
        }
        return try await createNamed(
            BufferSequence([]), expectedSize: 0, target: target, folderID: session.folder.id, user: session.user,
            grant: session.grant, nameForExtension: nil)
    }

    public func deleteContainer(_ session: ContainerSession) async throws {
        guard abilities(session).canDelete else {
            throw FolioError.unauthorized("this user may not delete this folder")
        }
        try await files.deleteFolder(id: session.folder.id, now: now())
    }

    /// RenameContainer: a taken name is adjusted, as RenameFile does.
    public func renameContainer(_ session: ContainerSession, requested: String) async throws -> Folder {
        guard abilities(session).canRename else {
            throw FolioError.unauthorized("this user may not rename this folder")
        }
        guard let clean = FileName.clean(requested, maxLength: settings.maxNameLength),
            let parent = session.folder.parentID
        else { throw FolioError.invalidName("\"\(requested)\" cannot be used as a folder name") }
        var name = clean
        if name.lowercased() != session.folder.name.lowercased() { name = try await freeName(clean, in: parent) }
        return try await files.renameFolder(id: session.folder.id, name: name, now: now())
    }
}
