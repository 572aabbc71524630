import Foundation

/// What a space's storage says about one document or folder, now.
public struct SpaceEntry: Sendable, Equatable {
    public var path: SpacePath
    public var isFolder: Bool
    /// Bytes; 0 for a folder.
    public var size: Int64
    /// When the storage says it last changed, microseconds since the epoch.
    public var modifiedAt: Int64
    /// The storage's change tag (an ETag, or what stands for one): opaque, compared only for
    /// equality. A write is made only while the document still has the tag Folio last saw.
    public var tag: String

    public init(path: SpacePath, isFolder: Bool, size: Int64, modifiedAt: Int64, tag: String) {
        self.path = path
        self.isFolder = isFolder
        self.size = size
        self.modifiedAt = modifiedAt
        self.tag = tag
    }
}

/// Content to put into a space, written to Folio's blob store first: its size and hash are
/// known before the storage sees a byte, and it can be opened again (a retry, a conflict copy).
public struct SpaceContent: Sendable {
    public var size: Int64
    public var sha256: [UInt8]
    public var open: @Sendable () async throws -> BlobReader

    public init(size: Int64, sha256: [UInt8], open: @escaping @Sendable () async throws -> BlobReader) {
        self.size = size
        self.sha256 = sha256
        self.open = open
    }
}

/// The condition a write is made under.
public enum SpaceWriteCondition: Sendable, Equatable {
    /// Only if nothing is at the path (a new document, a conflict copy).
    case absent
    /// Only if the document still has this tag (compare-and-set against what Folio last saw).
    case matches(String)
}

/// A lock the storage itself holds for Folio (WebDAV `LOCK`), so its other clients see the
/// document as being edited.
public struct SpaceLock: Sendable, Equatable, Codable {
    public var token: String
    public var expiresAt: Int64

    public init(token: String, expiresAt: Int64) {
        self.token = token
        self.expiresAt = expiresAt
    }
}

/// Why a space refused an operation, so the service can answer the editor precisely.
public enum SpaceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The write's condition failed: the document changed (or appeared, or went) outside
    /// Folio; `current` is what is there now, when the storage said.
    case changed(path: SpacePath, current: SpaceEntry?)
    /// Nothing at the path.
    case notFound(SpacePath)
    /// A rename or create target is taken.
    case exists(SpacePath)
    /// Someone else holds the storage's own lock on the document.
    case lockedElsewhere(path: SpacePath, owner: String)

    public var description: String {
        switch self {
        case .changed(let path, _): "\(path) was changed outside Folio"
        case .notFound(let path): "nothing at \(path)"
        case .exists(let path): "\(path) exists already"
        case .lockedElsewhere(let path, let owner):
            "\(path) is locked in the storage" + (owner.isEmpty ? "" : " by \(owner)")
        }
    }
}
