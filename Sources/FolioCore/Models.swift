/// The domain records. Times are microseconds since the Unix epoch (see `WOPITime`).
public struct User: Sendable, Equatable, Codable {
    public var id: String
    public var login: String
    public var displayName: String
    public var isAdmin: Bool
    public var passwordHash: String?
    /// The WOPI `UserInfo` string set by PutUserInfo (≤ 1024 characters).
    public var userInfo: String
    public var rootFolderID: String
    public var createdAt: Int64
    /// A disabled user can neither sign in nor use any token issued before.
    public var isDisabled: Bool = false
    /// Set for a guest who came through a share link: the link's id.
    public var guestLinkID: String? = nil
    /// The language chosen in the web pages (`en`, `ru`); nil follows the browser.
    public var language: String? = nil
    /// The id an application knows this user by (users made through the API).
    public var externalID: String? = nil

    public var isGuest: Bool { guestLinkID != nil }

    public init(
        id: String, login: String, displayName: String, isAdmin: Bool, passwordHash: String?,
        userInfo: String, rootFolderID: String, createdAt: Int64, isDisabled: Bool = false,
        guestLinkID: String? = nil, language: String? = nil, externalID: String? = nil
    ) {
        self.id = id
        self.login = login
        self.displayName = displayName
        self.isAdmin = isAdmin
        self.passwordHash = passwordHash
        self.userInfo = userInfo
        self.rootFolderID = rootFolderID
        self.createdAt = createdAt
        self.isDisabled = isDisabled
        self.guestLinkID = guestLinkID
        self.language = language
        self.externalID = externalID
    }
}

public struct Folder: Sendable, Equatable, Codable {
    public var id: String
    /// nil for a user's root folder.
    public var parentID: String?
    public var ownerID: String
    public var name: String
    public var createdAt: Int64
    public var modifiedAt: Int64

    public init(id: String, parentID: String?, ownerID: String, name: String, createdAt: Int64, modifiedAt: Int64) {
        self.id = id
        self.parentID = parentID
        self.ownerID = ownerID
        self.name = name
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
    }
}

/// A file with its current version's facts folded in, so CheckFileInfo reads one row.
public struct StoredFile: Sendable, Equatable, Codable {
    public var id: String
    public var folderID: String
    public var ownerID: String
    public var name: String
    public var version: Int64
    public var size: Int64
    public var sha256: [UInt8]
    public var blobKey: String
    public var modifiedAt: Int64
    public var createdAt: Int64

    public init(
        id: String, folderID: String, ownerID: String, name: String, version: Int64, size: Int64,
        sha256: [UInt8], blobKey: String, modifiedAt: Int64, createdAt: Int64
    ) {
        self.id = id
        self.folderID = folderID
        self.ownerID = ownerID
        self.name = name
        self.version = version
        self.size = size
        self.sha256 = sha256
        self.blobKey = blobKey
        self.modifiedAt = modifiedAt
        self.createdAt = createdAt
    }
}

/// Where a version's content came from.
public enum VersionSource: String, Sendable, Codable, CaseIterable {
    case upload, wopi, onlyoffice, restore
    /// A change made in a space's storage by something other than Folio.
    case outside
}

/// The save flags editors send with PutFile (Collabora's `X-COOL-WOPI-*`, ONLYOFFICE's
/// `X-LOOL-WOPI-*`); nil when the editor did not say.
public struct SaveFlags: Sendable, Equatable, Codable {
    public var isAutosave: Bool?
    public var isExitSave: Bool?
    public var isModifiedByUser: Bool?

    public init(isAutosave: Bool? = nil, isExitSave: Bool? = nil, isModifiedByUser: Bool? = nil) {
        self.isAutosave = isAutosave
        self.isExitSave = isExitSave
        self.isModifiedByUser = isModifiedByUser
    }
}

/// One immutable version of a file's content.
public struct Version: Sendable, Equatable, Codable {
    public var fileID: String
    public var number: Int64
    public var size: Int64
    public var sha256: [UInt8]
    public var blobKey: String
    public var authorID: String
    public var createdAt: Int64
    public var source: VersionSource
    public var flags: SaveFlags
    /// User ids from `X-WOPI-Editors`.
    public var editors: [String]
    /// The editing session the save came from (`VersionSession`), nil for uploads and the like.
    public var session: String?
    /// Whether the content is still kept (a space with `history: none` lets older content go).
    public var hasContent: Bool { !blobKey.isEmpty }

    public init(
        fileID: String, number: Int64, size: Int64, sha256: [UInt8], blobKey: String, authorID: String,
        createdAt: Int64, source: VersionSource, flags: SaveFlags, editors: [String], session: String? = nil
    ) {
        self.fileID = fileID
        self.number = number
        self.size = size
        self.sha256 = sha256
        self.blobKey = blobKey
        self.authorID = authorID
        self.createdAt = createdAt
        self.source = source
        self.flags = flags
        self.editors = editors
        self.session = session
    }
}

/// Content already written to the blob store, waiting for its metadata commit.
public struct StoredBlob: Sendable, Equatable {
    public var key: String
    public var size: Int64
    public var sha256: [UInt8]

    public init(key: String, size: Int64, sha256: [UInt8]) {
        self.key = key
        self.size = size
        self.sha256 = sha256
    }
}

/// What a new version records besides its content.
public struct VersionInfo: Sendable, Equatable {
    public var authorID: String
    public var source: VersionSource
    public var flags: SaveFlags
    public var editors: [String]
    /// The editing session the save came from (`VersionSession`).
    public var session: String?

    public init(
        authorID: String, source: VersionSource, flags: SaveFlags = .init(), editors: [String] = [],
        session: String? = nil
    ) {
        self.authorID = authorID
        self.source = source
        self.flags = flags
        self.editors = editors
        self.session = session
    }
}

/// A file's lock as stored; `expiresAt` in microseconds.
/// A lock in force, with its file and who took it (for people who must decide to break it).
public struct LockEntry: Sendable, Equatable, Codable {
    public var fileID: String
    public var fileName: String
    public var lockID: String
    public var expiresAt: Int64
    /// The login of the user whose editor took the lock, when known.
    public var holder: String?
    /// When this lock was taken (refreshing it keeps the time), microseconds; nil for locks
    /// taken before Folio recorded it.
    public var takenAt: Int64?
    /// The editor that took it (`EditorKind`'s raw value), when known.
    public var editor: String?

    public init(
        fileID: String, fileName: String, lockID: String, expiresAt: Int64, holder: String?, takenAt: Int64? = nil,
        editor: String? = nil
    ) {
        self.fileID = fileID
        self.fileName = fileName
        self.lockID = lockID
        self.expiresAt = expiresAt
        self.holder = holder
        self.takenAt = takenAt
        self.editor = editor
    }
}

/// Who takes a lock: the user, and the editor when the token names one.
public struct LockHolder: Sendable, Equatable {
    public var userID: String
    public var editor: String?

    public init(userID: String, editor: String? = nil) {
        self.userID = userID
        self.editor = editor
    }
}

public struct FileLock: Sendable, Equatable {
    public var id: String
    public var expiresAt: Int64

    public init(id: String, expiresAt: Int64) {
        self.id = id
        self.expiresAt = expiresAt
    }
}
