/// Who may do what in a space: the roles administrators give single users (grants on the
/// folder the space's documents live under in Folio, which every document's role includes)
/// and the role everyone signed in holds (not the guests of links).
extension Folio {
    /// The spaces this installation edits, by name.
    public var configuredSpaces: [Space] { spaces.spaces.values.sorted { $0.name < $1.name } }

    /// The user's role on a space: their grant or everyone's role, whichever is greater.
    public func spaceRole(_ space: Space, user: User) async throws -> Role? {
        guard !user.isDisabled else { return nil }
        let owner = try await spaceOwner(space)
        let granted = try await files.role(userID: user.id, folderID: owner.rootFolderID)
        guard !user.isGuest, granted != .edit else { return granted }
        return greater(granted, try await spaceDocs.spaceEveryoneRole(space: space.name))
    }

    /// The spaces the user may open, with their role on each.
    public func visibleSpaces(to user: User) async throws -> [(space: Space, role: Role)] {
        var visible: [(Space, Role)] = []
        for space in configuredSpaces {
            if let role = try await spaceRole(space, user: user) { visible.append((space, role)) }
        }
        return visible
    }

    /// The space, when the user holds at least `least` on it.
    func requireSpace(_ name: String, user: User, least: Role) async throws -> (Space, Role) {
        let space = try space(named: name)
        guard let role = try await spaceRole(space, user: user) else {
            throw FolioError.forbidden("you have no access to space \(name)")
        }
        guard role >= least else { throw FolioError.forbidden("you may not change space \(name)") }
        return (space, role)
    }

    /// A file's role for its user, with everyone's role on the space added for a space's
    /// document (the store knows only grants and ownership).
    func roleIncludingSpace(_ record: FileAccessRecord) async throws -> Role? {
        guard record.role != .edit, !record.user.isGuest, let space = spaces.space(owning: record.file.ownerID)
        else { return record.role }
        return greater(record.role, try await spaceDocs.spaceEveryoneRole(space: space.name))
    }

    func greater(_ a: Role?, _ b: Role?) -> Role? {
        guard let a else { return b }
        guard let b else { return a }
        return max(a, b)
    }

    // MARK: Administration

    /// Who holds which role on a space: everyone's role and each user's grant.
    public func spaceGrants(_ name: String) async throws -> (everyone: Role?, users: [GrantRecord]) {
        let space = try space(named: name)
        let owner = try await spaceOwner(space)
        let users = try await sharing.grants(resourceID: owner.rootFolderID)
        return (try await spaceDocs.spaceEveryoneRole(space: name), users)
    }

    /// Gives everyone signed in a role on every document of a space (nil takes it back).
    public func grantSpaceToEveryone(_ name: String, role: Role?) async throws {
        _ = try space(named: name)
        try await spaceDocs.setSpaceEveryoneRole(space: name, role: role)
    }
}

extension Folio {
    /// Where a space's document lives (its space and path), nil for Folio's own files.
    public func spaceLocation(of file: StoredFile) async throws -> (space: String, path: SpacePath)? {
        guard isSpaceFile(file), let document = try await spaceDocs.spaceDocument(fileID: file.id) else { return nil }
        return (document.space, try SpacePath(document.path))
    }

    /// The space whose documents a Folio folder holds, when it is one of those.
    public func space(owningFolder folder: Folder) -> Space? { spaces.space(owning: folder.ownerID) }
}

extension Folio {
    /// What others shared with the user, without the folders that hold spaces' documents (a
    /// grant on a space is one of those; the spaces page lists the space instead).
    public func sharedWith(_ user: User) async throws -> [ListingItem] {
        let items = try await sharing.sharedWith(userID: user.id)
        guard !spaces.spaces.isEmpty else { return items }
        var roots = Set<String>()
        for space in configuredSpaces { roots.insert(try await spaceOwner(space).rootFolderID) }
        return items.filter { !($0.kind == .folder && roots.contains($0.id)) }
    }
}
