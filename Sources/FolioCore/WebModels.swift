import Foundation

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
    /// A keyset page: whether more items lie beyond it in the direction it was read.
    public var hasMore: Bool

    package init(items: [ListingItem], total: Int, hasMore: Bool = false) {
        self.items = items
        self.total = total
        self.hasMore = hasMore
    }
}

/// Where a keyset page of a folder starts: the place of an item in the listing's order
/// (folders first; then the sort column, then the name). A page after (or before) it costs
/// the same however deep it is, and a link to it stays put while items come and go.
public struct ListingCursor: Sendable, Equatable {
    public var isFolder: Bool
    /// The sort column's value: size or modification time; nil in name order (the name is it).
    public var value: Int64?
    public var nameKey: String

    public init(isFolder: Bool, value: Int64?, nameKey: String) {
        self.isFolder = isFolder
        self.value = value
        self.nameKey = nameKey
    }

    /// The place of `item` in `order`.
    public init(_ item: ListingItem, order: ListingOrder) {
        isFolder = item.kind == .folder
        nameKey = StoreRules.key(item.name)
        value =
            switch order {
            case .name: nil
            // Folders have no size: in size order they go by name.
            case .size: isFolder ? nil : item.size
            case .modified: item.modifiedAt
            }
    }

    /// For addresses: "d" or "f", the value (or "-"), the name in base64url.
    public var token: String {
        let name = Data(nameKey.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (isFolder ? "d" : "f") + "." + (value.map(String.init) ?? "-") + "." + name
    }

    public init(token: String) throws {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        var base64 =
            parts.count == 3
            ? parts[2].replacingOccurrences(of: "-", with: "+")
                .replacingOccurrences(of: "_", with: "/") : ""
        while base64.count % 4 != 0 { base64 += "=" }
        guard parts.count == 3, parts[0] == "d" || parts[0] == "f", parts[1] == "-" || Int64(parts[1]) != nil,
            let data = Data(base64Encoded: base64), let name = String(data: data, encoding: .utf8)
        else { throw FolioError.badRequest("\(token.debugDescription) is not a place in a listing") }
        self.init(isFolder: parts[0] == "d", value: Int64(parts[1]), nameKey: name)
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
