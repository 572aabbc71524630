import FolioCore
import Foundation
import NIOCore
import NIOPosix
import _NIOFileSystem

#if canImport(Glibc)
    import Glibc
#endif

/// A directory tree on this machine (a mounted share included) as a space.
///
/// Compare-and-set: the new content is staged beside the document (`.folio-*.part`, fsynced),
/// then, holding an exclusive `flock` on the document's folder, the document's tag is compared
/// and the staged file renamed over it (or linked into place when it must be absent, which
/// fails atomically when something is there). Every Folio process takes that lock, so Folio
/// instances never overwrite each other; a program that writes without it can slip in between
/// the compare and the rename — a window of one `stat` and one `rename`, microseconds.
///
/// The tag is the inode, size and modification time in nanoseconds: a rename-into-place
/// (what Folio and most editors do) always gives a new inode.
///
/// Confinement: a path's folder is resolved with `realpath` and must lie inside the root; a
/// symlink that leads out of the tree is refused (400), and listings leave such links out.
public struct FolderConnector: SpaceConnector {
    public let root: String
    let fileSystem: FileSystem
    static let readChunk: ByteCount = .kibibytes(512)
    static let stagingPrefix = ".folio-"

    /// `root` must be an absolute path to an existing directory.
    public init(root: String, fileSystem: FileSystem = .shared) throws {
        guard root.hasPrefix("/") else {
            throw FolioError.badRequest("a folder space needs an absolute path, not \(root)")
        }
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.fileSystem = fileSystem
    }

    public var description: String { "folder \(root)" }

    // MARK: Paths

    /// The real root: fails as `unavailable` when the folder is gone (an unmounted share).
    func realRoot() throws -> String {
        guard let real = Self.realpath(root) else {
            throw FolioError.unavailable("the folder \(root) of this space is not there: \(Self.errno())")
        }
        var info = Glibc.stat()
        guard systemStat(real, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw FolioError.unavailable("\(root) is not a folder")
        }
        return real
    }

    /// Where `path` is on disk, with every symlink on the way resolved and checked to stay
    /// inside the root. The last name may be missing (a write or a folder to make); its
    /// folder must exist (`SpaceError.notFound` otherwise).
    func locate(_ path: SpacePath) throws -> String {
        let base = try realRoot()
        guard !path.isRoot else { return base }
        let parentText = path.parent.isRoot ? base : base + path.parent.description
        guard let parent = Self.realpath(parentText) else { throw SpaceError.notFound(path.parent) }
        try Self.confine(parent, to: base, path: path)
        let full = (parent == "/" ? "" : parent) + "/" + path.name
        var info = Glibc.stat()
        if lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            // A link to something missing, or anywhere outside, is not followed.
            guard let target = Self.realpath(full) else { throw Self.escape(path) }
            try Self.confine(target, to: base, path: path)
            return target
        }
        return full
    }

    static func confine(_ real: String, to base: String, path: SpacePath) throws {
        guard real == base || real.hasPrefix(base == "/" ? "/" : base + "/") else { throw escape(path) }
    }

    static func escape(_ path: SpacePath) -> FolioError {
        .badRequest("\(path) leads outside the space")
    }

    static func realpath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func errno() -> String { String(cString: strerror(Glibc.errno)) }

    // MARK: Entries

    static func tag(_ info: stat) -> String {
        "\(info.st_ino)-\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    static func entry(_ info: stat, path: SpacePath) -> SpaceEntry {
        let isFolder = info.st_mode & S_IFMT == S_IFDIR
        return SpaceEntry(
            path: path, isFolder: isFolder, size: isFolder ? 0 : Int64(info.st_size),
            modifiedAt: Int64(info.st_mtim.tv_sec) * 1_000_000 + Int64(info.st_mtim.tv_nsec) / 1000,
            tag: tag(info))
    }

    /// The entry at a located path, or nil; only documents and folders count.
    static func entry(at full: String, path: SpacePath) -> SpaceEntry? {
        var info = Glibc.stat()
        guard systemStat(full, &info) == 0 else { return nil }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFDIR else { return nil }
        return entry(info, path: path)
    }

    /// Blocking file-system work, off the threads that run Swift tasks.
    func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    public func stat(_ path: SpacePath) async throws -> SpaceEntry? {
        try await blocking {
            do {
                return Self.entry(at: try locate(path), path: path)
            } catch SpaceError.notFound {
                return nil
            }
        }
    }

    public func read(_ path: SpacePath, range: Range<Int64>?) async throws -> (entry: SpaceEntry, content: BlobReader) {
        let (full, entry) = try await blocking { () throws -> (String, SpaceEntry) in
            let full = try locate(path)
            guard let entry = Self.entry(at: full, path: path), !entry.isFolder else { throw SpaceError.notFound(path) }
            return (full, entry)
        }
        let fileSystem = self.fileSystem
        let reader = BlobReader { body in
            try await DirectoryBlobStore.readFile(
                FilePath(full), name: path.description, range: range, fileSystem: fileSystem, body)
        }
        return (entry, reader)
    }

    // MARK: Writes

    public func write(_ path: SpacePath, content: SpaceContent, condition: SpaceWriteCondition) async throws
        -> SpaceEntry
    {
        guard !path.isRoot else { throw FolioError.badRequest("the root of a space is not a document") }
        let full = try await blocking { try locate(path) }
        let folder = String(full[..<full.lastIndex(of: "/")!])
        let staged = (folder.isEmpty ? "" : folder) + "/" + Self.stagingPrefix + Identifier.random() + ".part"
        do {
            try await fileSystem.withFileHandle(
                forWritingAt: FilePath(staged), options: .newFile(replaceExisting: false)
            ) { handle in
                try await handle.withBufferedWriter { writer in
                    try await content.open().read { chunk in try await writer.write(contentsOf: chunk) }
                }
                try await handle.synchronize()
            }
            return try await blocking {
                try Self.withFolderLock(folder) {
                    var current = Glibc.stat()
                    let exists = lstat(full, &current) == 0
                    switch condition {
                    case .absent:
                        guard !exists else {
                            throw SpaceError.changed(path: path, current: Self.entry(at: full, path: path))
                        }
                        guard link(staged, full) == 0 else {
                            if Glibc.errno == EEXIST {
                                throw SpaceError.changed(path: path, current: Self.entry(at: full, path: path))
                            }
                            throw FolioError.storage("cannot create \(path): \(Self.errno())")
                        }
                        unlink(staged)
                    case .matches(let tag):
                        guard exists, current.st_mode & S_IFMT == S_IFREG, Self.tag(current) == tag else {
                            throw SpaceError.changed(path: path, current: Self.entry(at: full, path: path))
                        }
                        // The document keeps its permissions.
                        chmod(staged, current.st_mode & 0o7777)
                        guard rename(staged, full) == 0 else {
                            throw FolioError.storage("cannot replace \(path): \(Self.errno())")
                        }
                    }
                    try Self.syncFolder(folder)
                    guard let entry = Self.entry(at: full, path: path) else {
                        throw FolioError.storage("\(path) vanished right after it was written")
                    }
                    return entry
                }
            }
        } catch {
            unlink(staged)
            if let error = error as? FileSystemError, error.code == .notFound { throw SpaceError.notFound(path.parent) }
            throw error
        }
    }

    public func move(_ from: SpacePath, to: SpacePath, tag: String) async throws -> SpaceEntry {
        try await blocking {
            let source = try locate(from)
            let target = try locate(to)
            let sourceFolder = String(source[..<source.lastIndex(of: "/")!])
            let targetFolder = String(target[..<target.lastIndex(of: "/")!])
            return try Self.withFolderLock(sourceFolder) {
                try Self.withFolderLock(targetFolder, skip: targetFolder == sourceFolder) {
                    var current = Glibc.stat()
                    guard lstat(source, &current) == 0, current.st_mode & S_IFMT == S_IFREG,
                        Self.tag(current) == tag
                    else { throw SpaceError.changed(path: from, current: Self.entry(at: source, path: from)) }
                    // link + unlink: never replaces what is at the target.
                    guard link(source, target) == 0 else {
                        if Glibc.errno == EEXIST { throw SpaceError.exists(to) }
                        throw FolioError.storage("cannot move \(from) to \(to): \(Self.errno())")
                    }
                    guard unlink(source) == 0 else {
                        unlink(target)
                        throw FolioError.storage("cannot move \(from) to \(to): \(Self.errno())")
                    }
                    try Self.syncFolder(targetFolder)
                    if targetFolder != sourceFolder { try Self.syncFolder(sourceFolder) }
                    guard let entry = Self.entry(at: target, path: to) else {
                        throw FolioError.storage("\(to) vanished right after the move")
                    }
                    return entry
                }
            }
        }
    }

    public func delete(_ path: SpacePath, tag: String) async throws {
        try await blocking {
            let full = try locate(path)
            let folder = String(full[..<full.lastIndex(of: "/")!])
            try Self.withFolderLock(folder) {
                var current = Glibc.stat()
                guard lstat(full, &current) == 0 else { throw SpaceError.notFound(path) }
                guard current.st_mode & S_IFMT == S_IFREG, Self.tag(current) == tag else {
                    throw SpaceError.changed(path: path, current: Self.entry(at: full, path: path))
                }
                guard unlink(full) == 0 else { throw FolioError.storage("cannot delete \(path): \(Self.errno())") }
                try Self.syncFolder(folder)
            }
        }
    }

    public func list(_ folder: SpacePath) async throws -> [SpaceEntry] {
        try await blocking {
            let base = try realRoot()
            let full = try locate(folder)
            var info = Glibc.stat()
            guard systemStat(full, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                throw SpaceError.notFound(folder)
            }
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: full) else {
                throw SpaceError.notFound(folder)
            }
            return names.compactMap { name -> SpaceEntry? in
                guard !name.hasPrefix(Self.stagingPrefix), let path = try? folder.appending(name) else { return nil }
                var own = Glibc.stat()
                let item = full + "/" + name
                guard lstat(item, &own) == 0 else { return nil }
                if own.st_mode & S_IFMT == S_IFLNK {
                    guard let target = Self.realpath(item), (try? Self.confine(target, to: base, path: path)) != nil
                    else { return nil }
                }
                return Self.entry(at: item, path: path)
            }
        }
    }

    public func makeFolder(_ path: SpacePath) async throws {
        try await blocking {
            let full = try locate(path)
            guard mkdir(full, 0o777) == 0 else {
                switch Glibc.errno {
                case EEXIST: throw SpaceError.exists(path)
                case ENOENT: throw SpaceError.notFound(path.parent)
                default: throw FolioError.storage("cannot make \(path): \(Self.errno())")
                }
            }
            try Self.syncFolder(String(full[..<full.lastIndex(of: "/")!]))
        }
    }

    // MARK: Helpers

    /// Runs `body` holding an exclusive `flock` on `folder`: every Folio process writing into
    /// the folder takes it, so their compare-and-set steps never interleave.
    static func withFolderLock<T>(_ folder: String, skip: Bool = false, _ body: () throws -> T) throws -> T {
        if skip { return try body() }
        let fd = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw FolioError.storage("cannot open \(folder): \(errno())") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw FolioError.storage("cannot lock \(folder): \(errno())") }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Makes a new or renamed entry durable.
    static func syncFolder(_ folder: String) throws {
        let fd = open(folder.isEmpty ? "/" : folder, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw FolioError.storage("cannot open \(folder) to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FolioError.storage("fsync of \(folder) failed") }
    }
}

/// `stat(2)`: inside the connector the name is taken by the protocol's `stat`.
private func systemStat(_ path: String, _ info: inout Glibc.stat) -> Int32 { stat(path, &info) }
