/// Outside storage Folio edits in place: a folder, a WebDAV collection, a bucket, an
/// application. One implementation per kind, every one passing `SpaceConnectorConformanceTests`
/// against a real server. Paths arrive checked (`SpacePath`); a connector maps them onto its
/// storage and must not let one reach outside its root (symlinks included).
///
/// Every write is conditional (`SpaceWriteCondition`), so a change made outside Folio is never
/// overwritten. Calls fail within a bounded time when the storage does not answer
/// (`FolioError.unavailable`), never hang.
public protocol SpaceConnector: Sendable {
    /// The storage, for people and logs: never a password or secret.
    var description: String { get }

    /// The document or folder at `path` now, or nil when nothing is there.
    func stat(_ path: SpacePath) async throws -> SpaceEntry?

    /// Opens a document for reading, `range` in bytes (cut at the end): what it is now and its
    /// bytes, a chunk at a time. `SpaceError.notFound` when nothing is there.
    func read(_ path: SpacePath, range: Range<Int64>?) async throws -> (entry: SpaceEntry, content: BlobReader)

    /// Writes a whole document under `condition`; `SpaceError.changed` when it does not hold
    /// (nothing written), `SpaceError.notFound` when the folder it goes into is missing.
    /// Returns what is there afterwards (its new tag).
    func write(_ path: SpacePath, content: SpaceContent, condition: SpaceWriteCondition) async throws -> SpaceEntry

    /// Renames or moves a document; `SpaceError.exists` when `to` is taken (never replaced),
    /// `SpaceError.changed` when the document no longer has `tag`.
    func move(_ from: SpacePath, to: SpacePath, tag: String) async throws -> SpaceEntry

    /// Deletes a document that still has `tag`; `SpaceError.changed` otherwise.
    func delete(_ path: SpacePath, tag: String) async throws

    /// What a folder holds (documents and folders, one level), in no particular order.
    /// `SpaceError.notFound` when the folder is missing.
    func list(_ folder: SpacePath) async throws -> [SpaceEntry]

    /// Makes a folder; `SpaceError.exists` when something is there.
    func makeFolder(_ path: SpacePath) async throws

    /// Whether the storage has locks of its own that Folio should hold while an editor does.
    var hasNativeLocks: Bool { get }
    /// Takes the storage's lock for `seconds`; `SpaceError.lockedElsewhere` when another
    /// client holds one.
    func lock(_ path: SpacePath, seconds: Int) async throws -> SpaceLock
    /// Extends a lock Folio holds; `SpaceError.lockedElsewhere` when it was lost to another.
    func refresh(_ path: SpacePath, lock: SpaceLock, seconds: Int) async throws -> SpaceLock
    /// Gives a lock back; a lock that is gone already is no error.
    func unlock(_ path: SpacePath, lock: SpaceLock) async throws
    /// A lock Folio holds on `path` (perhaps taken by another Folio process): the next writes,
    /// moves and deletes of the document go under it. A lock that turns out to be gone is
    /// forgotten and the change made under a short lock of its own.
    func adopt(_ path: SpacePath, lock: SpaceLock)
}

extension SpaceConnector {
    public var hasNativeLocks: Bool { false }

    public func lock(_ path: SpacePath, seconds: Int) async throws -> SpaceLock {
        throw FolioError.notImplemented("\(description) has no locks of its own")
    }

    public func refresh(_ path: SpacePath, lock: SpaceLock, seconds: Int) async throws -> SpaceLock {
        throw FolioError.notImplemented("\(description) has no locks of its own")
    }

    public func unlock(_ path: SpacePath, lock: SpaceLock) async throws {}
    public func adopt(_ path: SpacePath, lock: SpaceLock) {}
}
