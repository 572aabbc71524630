/// Browsing, moving and the trash (web pages and the API).
public protocol BrowseStore: Sendable {
    /// One page of a folder: folders first, then files, in `order`; one query.
    func listFolder(
        id: String, order: ListingOrder, descending: Bool, nameContains: String?, offset: Int, limit: Int, now: Int64
    ) async throws -> ListingPage
    /// A keyset page: the `limit` items after `cursor` (`backwards`: before it, still in
    /// listing order), the first page when nil; `hasMore` says whether more lie beyond it.
    func listFolder(
        id: String, order: ListingOrder, descending: Bool, nameContains: String?, cursor: ListingCursor?,
        backwards: Bool, limit: Int, now: Int64
    ) async throws -> ListingPage
    func moveFile(id: String, toFolder folderID: String, now: Int64) async throws -> StoredFile
    /// Moves a folder; never into itself or below itself.
    func moveFolder(id: String, toParent parentID: String, now: Int64) async throws -> Folder
    /// Moves a folder with everything in it to the trash.
    func trashFolder(id: String, now: Int64, deletedBy: String?) async throws
    /// The items in a user's trash (those they own or deleted), newest first.
    func trash(ownerID: String) async throws -> [TrashItem]
    /// Puts an item back where it was; `FolioError.nameTaken` when its name is used there now.
    func restore(_ kind: ListingItem.Kind, id: String, now: Int64) async throws
    /// Deletes a trashed item and everything in it for good; returns the blobs to remove.
    func purge(_ kind: ListingItem.Kind, id: String) async throws -> [String]
}

extension BrowseStore {
    public func trashFolder(id: String, now: Int64) async throws {
        try await trashFolder(id: id, now: now, deletedBy: nil)
    }
}
