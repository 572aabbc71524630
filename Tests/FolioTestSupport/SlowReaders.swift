import FolioCore
import Synchronization

/// Where slow readers wait: how many have their first chunk, and whether they may go on.
private final class Gate: Sendable {
    let arrived = Atomic<Int>(0)
    let released = Atomic<Bool>(false)
}

/// Opens `readers` readers at once; each takes its first chunk and waits there until all have
/// theirs (for at most 20 s), then `meanwhile` runs (a save while they all hold on) and they
/// read to the end. Returns how many had their first chunk together, and each one's size.
package func holdSlowReaders(
    _ readers: Int, open: @escaping @Sendable () async throws -> BlobReader, meanwhile: () async throws -> Void
) async throws -> (together: Int, sizes: [Int]) {
    let gate = Gate()
    return try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<readers {
            group.addTask {
                var size = 0
                try await open().read { chunk in
                    if size == 0 {
                        gate.arrived.add(1, ordering: .relaxed)
                        while !gate.released.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    size += chunk.readableBytes
                }
                return size
            }
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while gate.arrived.load(ordering: .relaxed) < readers, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let together = gate.arrived.load(ordering: .relaxed)
        do {
            try await meanwhile()
        } catch {
            gate.released.store(true, ordering: .relaxed)
            throw error
        }
        gate.released.store(true, ordering: .relaxed)
        return (together, try await group.reduce(into: []) { $0.append($1) })
    }
}
