import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Ending a sandbox with everything in it, whatever moment of its start it is in.
///
/// Killing bubblewrap alone relies on its child having asked to die with it
/// (`--die-with-parent`), which the child does only some milliseconds into its start: a
/// conversion cancelled (or timed out) before then left the sandboxed process running, and the
/// run waited for it to end by itself, since it holds Foundation's end-of-process socket. So
/// bubblewrap is frozen first (it starts nothing more), and its children — the init of the
/// sandbox's own process namespace, whose death takes every process inside — are killed
/// before it.
enum SandboxKill {
    /// Kills the sandbox whose bubblewrap runs as `pid`. Blocks for at most ~100 ms, while it
    /// waits for the freeze to take.
    static func kill(_ pid: pid_t) {
        guard Glibc.kill(pid, SIGSTOP) == 0 else { return }  // gone, and its sandbox with it
        for _ in 0..<200 where !isStopped(pid) { usleep(500) }
        for child in descendants(of: pid) { Glibc.kill(child, SIGKILL) }
        Glibc.kill(pid, SIGKILL)
    }

    /// The same off the calling thread (a cancellation handler must not block).
    static func killSoon(_ pid: pid_t) {
        Thread.detachNewThread { kill(pid) }
    }

    /// Whether `pid` is stopped or ended (state `T`, `t`, `Z` or `X` in `/proc/PID/stat`).
    static func isStopped(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return true }
        let state = stat[stat.index(after: close)...].drop(while: { $0 == " " }).first
        return state.map { "TtZX".contains($0) } ?? true
    }

    /// Every process under `pid`, children before their own children, from
    /// `/proc/PID/task/TID/children`.
    static func descendants(of pid: pid_t) -> [pid_t] {
        var found: [pid_t] = []
        var queue = [pid]
        while let next = queue.popLast(), found.count < 10_000 {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(next)/task")) ?? []
            for task in tasks {
                guard let list = try? String(contentsOfFile: "/proc/\(next)/task/\(task)/children", encoding: .utf8)
                else { continue }
                let children = list.split(separator: " ").compactMap {
                    pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
                }
                found += children
                queue += children
            }
        }
        return found
    }
}
