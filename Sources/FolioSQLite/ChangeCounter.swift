import Atomics
import FolioCore
import Foundation

/// A counter shared by every process that opens one data folder (the server and the CLI),
/// kept in a small memory-mapped file and bumped before and after every write transaction.
/// In-memory caches compare it with the value they saw before reading, so a change made by
/// any process is seen by the next request without asking the database.
public final class ChangeCounter: ChangeGeneration {
    private let value: UnsafeAtomic<UInt64>

    /// Maps (creating if needed) the counter file at `path`.
    public init(path: String) throws {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FolioError.storage("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let size = MemoryLayout<UInt64>.size
        guard ftruncate(fd, off_t(size)) == 0,
            let mapping = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), mapping != MAP_FAILED
        else { throw FolioError.storage("cannot map \(path): \(String(cString: strerror(errno)))") }
        // The mapping lives as long as the process: the counter is opened once per store.
        value = UnsafeAtomic(at: mapping.bindMemory(to: UInt64.AtomicRepresentation.self, capacity: 1))
    }

    public func current() -> UInt64 { value.load(ordering: .acquiring) }

    public func bump() { value.wrappingIncrement(ordering: .acquiringAndReleasing) }
}
