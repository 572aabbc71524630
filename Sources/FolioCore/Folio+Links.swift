/// Sharing: grants to users and public links that guests open without an account.
extension Folio {
    /// The role a user holds on a file or folder (nil: none), and whether it is a folder.
    public func itemRole(_ id: String, user: User) async throws -> (kind: ListingItem.Kind, name: String, role: Role?) {
        if let file = try await files.file(id: id) {
            let record = try await files.access(fileID: id, userID: user.id)
            return (.file, file.name, record?.role)
        }
        if let folder = try await files.folder(id: id) {
            return (.folder, folder.name, try await files.role(userID: user.id, folderID: id))
        }
        throw FolioError.notFound("no such file or folder")
    }

    /// Sharing needs the edit role on the item.
    func requireSharing(_ id: String, user: User) async throws {
        guard !user.isGuest, try await itemRole(id, user: user).role == .edit else {
            throw FolioError.forbidden("you may not share this item")
        }
    }

    /// Grants (or, with nil, takes back) a role for another user, named by login.
    public func shareItem(_ id: String, withLogin login: String, role: Role?, by user: User) async throws {
        try await requireSharing(id, user: user)
        guard let other = try await accounts.user(login: login), !other.isGuest else {
            throw FolioError.notFound("no user \(login)")
        }
        guard other.id != user.id else { throw FolioError.badRequest("you cannot share with yourself") }
        try await sharing.setGrant(resourceID: id, userID: other.id, role: role)
    }

    public func grants(on id: String, user: User) async throws -> [GrantRecord] {
        try await requireSharing(id, user: user)
        return try await sharing.grants(resourceID: id)
    }

    /// A new public link; the password, when given, is stored hashed.
    public func createLink(
        on id: String, role: Role, expiresAt: Int64?, password: String?, by user: User
    ) async throws -> ShareLink {
        try await requireSharing(id, user: user)
        guard role == .view || role == .edit else { throw FolioError.badRequest("a link gives view or edit") }
        if let expiresAt, expiresAt <= now() { throw FolioError.badRequest("the expiry must be in the future") }
        var hash: String?
        if let password, !password.isEmpty { hash = try await Self.hashPassword(password) }
        let link = ShareLink(
            id: Identifier.random(), resourceID: id, role: role, createdBy: user.id, createdAt: now(),
            expiresAt: expiresAt, passwordHash: hash, revokedAt: nil)
        try await sharing.createLink(link)
        return link
    }

    /// The link WOPI's GetShareUrl hands out: a live one of this role without password or
    /// expiry when there is one, else a new one.
    public func plainLink(on id: String, role: Role, by user: User) async throws -> ShareLink {
        if let existing = try await links(on: id, user: user).first(where: {
            $0.role == role && $0.passwordHash == nil && $0.expiresAt == nil
        }) {
            return existing
        }
        return try await createLink(on: id, role: role, expiresAt: nil, password: nil, by: user)
    }

    public func links(on id: String, user: User) async throws -> [ShareLink] {
        try await requireSharing(id, user: user)
        return try await sharing.links(resourceID: id).filter { $0.isLive(at: now()) }
    }

    /// Ends a link: its guests lose access at their next request.
    public func revokeLink(_ linkID: String, by user: User) async throws {
        guard let link = try await sharing.link(id: linkID) else { throw FolioError.notFound("no such link") }
        try await requireSharing(link.resourceID, user: user)
        try await sharing.revokeLink(id: linkID, now: now())
    }

    /// A link that can be opened now.
    public func liveLink(_ linkID: String) async throws -> ShareLink {
        guard let link = try await sharing.link(id: linkID), link.isLive(at: now()) else {
            throw FolioError.notFound("this link does not exist, has expired or was revoked")
        }
        return link
    }

    /// A guest comes in through a link with a display name (and the password, if it has one):
    /// a guest account with the link's role, signed in until the link expires.
    public func joinLink(_ linkID: String, displayName raw: String, password: String?) async throws -> (
        secret: String, session: WebSession, user: User, link: ShareLink
    ) {
        let link = try await liveLink(linkID)
        if let hash = link.passwordHash {
            let given = password ?? ""
            let matches = try await PasswordCheck.matches(given, hash: hash)
            guard matches else { throw FolioError.unauthorized("wrong password") }
        }
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(name.count) else { throw FolioError.badRequest("give a name of 1 to 64 characters") }
        let guest = try await sharing.createGuest(link: link, displayName: name, now: now())
        let (secret, session) = try await startWebSession(for: guest, expiresAt: link.expiresAt)
        return (secret, session, guest, link)
    }
}
