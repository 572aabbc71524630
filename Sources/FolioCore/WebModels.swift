/// Records behind the web pages: sign-in sessions, share links, folder listings and the trash.

/// A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored.
public struct WebSession: Sendable, Equatable {
    public var idHash: String
    public var userID: String
    /// Sent back in every form and upload (`X-CSRF-Token`), compared in constant time.
    public var csrfToken: String
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(idHash: String, userID: String, csrfToken: String, createdAt: Int64, expiresAt: Int64) {
        self.idHash = idHash
        self.userID = userID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A public link to a file or folder: whoever has its URL may open the item as a guest with
/// the link's role, until it expires or is revoked.
public struct ShareLink: Sendable, Equatable {
    public var id: String
    public var resourceID: String
    public var role: Role
    public var createdBy: String
    public var createdAt: Int64
    public var expiresAt: Int64?
    public var passwordHash: String?
    public var revokedAt: Int64?

    public init(
        id: String, resourceID: String, role: Role, createdBy: String, createdAt: Int64, expiresAt: Int64?,
        passwordHash: String?, revokedAt: Int64?
    ) {
        self.id = id
        self.resourceID = resourceID
        self.role = role
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.passwordHash = passwordHash
        self.revokedAt = revokedAt
    }

    public func isLive(at now: Int64) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}

/// A user's grant on an item, with the user, for the sharing page.
public struct GrantRecord: Sendable, Equatable {
    public var user: User
    public var role: Role

    package init(user: User, role: Role) {
        self.user = user
        self.role = role
    }
}

/// How a folder listing is ordered.
public enum ListingOrder: String, Sendable, CaseIterable {
    case name, size, modified
}

/// One row of a folder listing: a folder or a file (folders first).
public struct ListingItem: Sendable, Equatable {
    public enum Kind: String, Sendable { case folder, file }
    public var kind: Kind
    public var id: String
    public var name: String
    public var size: Int64
    public var modifiedAt: Int64
    public var version: Int64
    /// Who holds the live lock on a file (someone is editing it).
    public var lockedBy: String?

    package init(
        kind: Kind, id: String, name: String, size: Int64, modifiedAt: Int64, version: Int64, lockedBy: String? = nil
    ) {
        self.kind = kind
        self.id = id
        self.name = name
        self.size = size
        self.modifiedAt = modifiedAt
        self.version = version
        self.lockedBy = lockedBy
    }
}

/// A page of a folder listing and the number of items that match in all.
public struct ListingPage: Sendable, Equatable {
    public var items: [ListingItem]
    public var total: Int

    package init(items: [ListingItem], total: Int) {
        self.items = items
        self.total = total
    }
}

/// An item in the trash: deleted itself, not merely inside a deleted folder.
public struct TrashItem: Sendable, Equatable {
    public var kind: ListingItem.Kind
    public var id: String
    public var name: String
    public var size: Int64
    public var deletedAt: Int64
    /// Where it was; restoring puts it back there.
    public var parentID: String

    package init(kind: ListingItem.Kind, id: String, name: String, size: Int64, deletedAt: Int64, parentID: String) {
        self.kind = kind
        self.id = id
        self.name = name
        self.size = size
        self.deletedAt = deletedAt
        self.parentID = parentID
    }
}
