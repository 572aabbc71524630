/// Where a space's document lives, and the tag Folio last saw it with: a write goes to the
/// storage only while the document still has that tag.
public struct SpaceDocument: Sendable, Equatable {
    /// The Folio file (and WOPI file id) that stands for the document.
    public var fileID: String
    public var space: String
    /// `SpacePath.description`: "/Reports/q3.docx".
    public var path: String
    public var tag: String
    /// The storage's own lock Folio holds while an editor holds the WOPI lock (WebDAV), so that
    /// every Folio process can write under it, renew it and give it back.
    public var storageLock: SpaceLock?

    public init(fileID: String, space: String, path: String, tag: String, storageLock: SpaceLock? = nil) {
        self.fileID = fileID
        self.space = space
        self.path = path
        self.tag = tag
        self.storageLock = storageLock
    }
}

/// The link between Folio's files and the documents of spaces: one file per document, for as
/// long as it exists, whatever the path it was opened by.
public protocol SpaceStore: Sendable {
    func spaceDocument(fileID: String) async throws -> SpaceDocument?
    func spaceDocument(space: String, path: String) async throws -> SpaceDocument?
    /// Links a file to its document; `FolioError.conflict` when the path has one already.
    func linkSpaceDocument(_ document: SpaceDocument) async throws
    /// Records what Folio saw last (after a save, a change made outside, a move); the storage
    /// lock is left as it is.
    func updateSpaceDocument(_ document: SpaceDocument) async throws
    /// Records the storage lock Folio holds on the document (nil: none).
    func setSpaceStorageLock(fileID: String, lock: SpaceLock?) async throws
    func unlinkSpaceDocument(fileID: String) async throws
    /// Lets go of the content of a file's versions older than `number` (a space with
    /// `history: none`): their records stay, their blob keys become empty, so `gc` takes the
    /// blobs no other version refers to. Returns how many versions let go.
    @discardableResult
    func forgetVersionContent(fileID: String, before number: Int64) async throws -> Int
    /// The role every signed-in account (not the guests of links) holds on a space's
    /// documents, nil for none: set by administrators beside the grants to single users.
    func spaceEveryoneRole(space: String) async throws -> Role?
    func setSpaceEveryoneRole(space: String, role: Role?) async throws
}
