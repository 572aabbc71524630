/// Grants on files and folders, and share links with their guests.
public protocol SharingStore: Sendable {
    /// Grants a role on a file or folder; `role: nil` takes the grant back.
    func setGrant(resourceID: String, userID: String, role: Role?) async throws
    /// The grants on one file or folder, with their users, by display name.
    func grants(resourceID: String) async throws -> [GrantRecord]
    /// Files and folders granted to the user directly (not through a folder), by name.
    func sharedWith(userID: String) async throws -> [ListingItem]

    func createLink(_ link: ShareLink) async throws
    func link(id: String) async throws -> ShareLink?
    func links(resourceID: String) async throws -> [ShareLink]
    /// Revokes a link; its guests lose their grant and are disabled in the same transaction.
    func revokeLink(id: String, now: Int64) async throws
    /// A guest user for a link, with the link's role on its item.
    func createGuest(link: ShareLink, displayName: String, now: Int64) async throws -> User
}
