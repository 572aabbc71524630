import WOPI

/// How a content write is checked against the file's lock, in the same transaction as the write.
public enum LockCheck: Sendable, Equatable {
    /// The WOPI PutFile rule (PROTOCOL.md §A.3) with this `X-WOPI-Lock` (nil: header absent).
    case wopi(String?)
    /// Write only if the file is not locked (PutRelativeFile overwriting a target).
    case mustBeUnlocked
    /// No lock rule: a change made outside Folio, recorded as it happened.
    case none
}

/// Conditions a new version must meet; checked inside the write transaction.
public struct WriteConditions: Sendable, Equatable {
    public var lock: LockCheck
    /// Collabora's `X-COOL-WOPI-Timestamp`: write only if the current version's time is this.
    public var unmodifiedSince: Int64?
    /// Write only if the current version number is this (`If-Match`).
    public var expectedVersion: Int64?

    public init(lock: LockCheck, unmodifiedSince: Int64? = nil, expectedVersion: Int64? = nil) {
        self.lock = lock
        self.unmodifiedSince = unmodifiedSince
        self.expectedVersion = expectedVersion
    }
}

/// What a save is decided on before its content is taken in: the file and its lock in force,
/// read together, held by nothing. Given back with the save, it lets a store write only if
/// neither moved since (`stamp` is the store's own mark of the file's lock changes) instead of
/// reading them again; when something moved, the store decides again on what is in force.
public struct SaveBasis: Sendable, Equatable {
    public var file: StoredFile
    public var lock: FileLock?
    public var stamp: Int64

    public init(file: StoredFile, lock: FileLock?, stamp: Int64) {
        self.file = file
        self.lock = lock
        self.stamp = stamp
    }
}

/// A file, the user asking for it, and the role that user has on it now.
public struct FileAccessRecord: Sendable, Equatable {
    public var file: StoredFile
    public var user: User
    /// nil when the user has no access at all.
    public var role: Role?
    /// The name of the file's folder (Microsoft's breadcrumbs), read in the same transaction.
    public var folderName: String? = nil

    package init(file: StoredFile, user: User, role: Role?, folderName: String? = nil) {
        self.file = file
        self.user = user
        self.role = role
        self.folderName = folderName
    }
}

/// What a lock operation did: the decision, and the lock in force afterwards.
public struct LockResult: Sendable, Equatable {
    public var decision: LockDecision
    public var lock: FileLock?
}

/// Everything Folio keeps besides content, one narrow protocol per concern; a store type
/// conforms to all of them. Every implementation passes the same conformance suites; all
/// times are microseconds since the epoch, passed in so tests control the clock.
public typealias MetadataStore = AccountStore & FileStore & BrowseStore & SharingStore & APIKeyStore
    & WebhookStore & OfficeKeyStore & MaintenanceStore & SpaceStore & RetentionStore & DerivedStore
