import CFolioSystem
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Blocking file work that mostly waits for the disk (fsync), on threads of its own.
///
/// NIO's shared blocking pool has one thread per core: with two cores, two fsyncs at a time
/// were the ceiling of every save (16 concurrent PutFiles of 100 KiB waited in line for two
/// threads while the disk could have flushed them together). Waiting threads cost no CPU, so
/// this pool has many; CPU-bound work (password hashing) stays on the shared one.
package enum DurableFileWrites {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 32)
        pool.start()
        return pool
    }()

    /// Runs `work` on the pool's threads.
    package static func run<Result: Sendable>(_ work: @Sendable @escaping () throws -> Result) async throws -> Result {
        try await pool.runIfActive(work)
    }

    /// Writes `bytes` to a new file at `path` in `folder` (made if missing) and makes it and
    /// its name durable: one trip to the pool for a whole small blob instead of one per step.
    /// Nothing is left at `path` on failure.
    ///
    /// Written where it ends up, not staged and renamed: a blob's name is new and nothing
    /// refers to it until its version is committed (after this returns), so a crash mid-write
    /// leaves an orphan that `folio gc` removes, never a half-written version. The folder is
    /// synced too unless `nameDurableWithFile` says the file's fsync already made its new name
    /// durable (see `fsyncCoversNewNames`).
    static func writeNewFile(_ bytes: ByteBuffer, at path: String, folder: String, nameDurableWithFile: Bool) throws {
        // The folder nearly always exists: made only when the file cannot be created in it,
        // not tried (a syscall taking the parent's lock) before every save.
        var fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 && errno == ENOENT {
            try makeFolder(folder)
            fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else { throw failure("cannot create \(path)") }
        var written = false
        defer { if !written { unlink(path) } }
        do {
            defer { close(fd) }
            try bytes.withUnsafeReadableBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let count = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        throw failure("cannot write \(path)")
                    }
                    offset += count
                }
            }
            guard fsync(fd) == 0 else { throw failure("fsync of \(path) failed") }
        }
        if !nameDurableWithFile { try syncFolder(folder) }
        written = true
    }

    /// Whether, on the filesystem holding `folder`, the fsync of a newly created file also
    /// makes its name durable, so the folder's own fsync (a second device flush per save) adds
    /// nothing. True of ext4 (with a journal the name is in the same or an earlier journal
    /// commit than the file's last change; without one ext4 syncs the parent itself), XFS (the
    /// create is one logged transaction with the folder's change, forced by the file's fsync)
    /// and btrfs (its fsync logs a new file's parent entries); filesystems' own crash tests
    /// (xfstests, dm-log-writes) hold them to it. Anything else, or a failed look, answers
    /// false and the folder is synced as POSIX asks.
    package static func fsyncCoversNewNames(_ folder: String) -> Bool {
        let type = folio_filesystem_type(folder)
        return type >= 0 && filesystemsSyncingNewNames.contains(UInt64(type))
    }

    /// `f_type` of ext4 (ext2 and ext3 share the number; kernels mount them with ext4's
    /// driver), XFS and btrfs.
    static let filesystemsSyncingNewNames: Set<UInt64> = [0xEF53, 0x5846_5342, 0x9123_683E]

    /// Makes `folder` if it is missing, durably (its parent synced too, once, when made).
    static func makeFolder(_ folder: String) throws {
        if mkdir(folder, 0o755) == 0 {
            if let slash = folder.lastIndex(of: "/") { try syncFolder(String(folder[..<slash])) }
        } else if errno != EEXIST {
            throw failure("cannot create \(folder)")
        }
    }

    /// Makes a new entry in `path` durable: fsync the folder.
    static func syncFolder(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open \(path) to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync of \(path) failed") }
    }

    static func failure(_ what: String) -> FolioError {
        FolioError.storage("\(what): \(String(cString: strerror(errno)))")
    }
}
