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

    /// Writes `bytes` to a new file at `staging` in `folder` (made if missing), makes them
    /// durable, renames the file to `final` in the same folder and makes that durable: one trip
    /// to the pool for a whole small blob instead of one per step. Nothing is left at `staging`
    /// on failure.
    static func writeNewFile(_ bytes: ByteBuffer, staging: String, final: String, folder: String) throws {
        try makeFolder(folder)
        let fd = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("cannot create \(staging)") }
        var renamed = false
        defer { if !renamed { unlink(staging) } }
        do {
            defer { close(fd) }
            try bytes.withUnsafeReadableBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw failure("cannot write \(staging)")
                    }
                    offset += written
                }
            }
            guard fsync(fd) == 0 else { throw failure("fsync of \(staging) failed") }
        }
        guard rename(staging, final) == 0 else { throw failure("cannot move \(staging) to \(final)") }
        renamed = true
        try syncFolder(folder)
    }

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
