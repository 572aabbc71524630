import Foundation
import Synchronization

/// How a conversion runs: LibreOffice and poppler are handed untrusted documents, so each run
/// happens in a bubblewrap sandbox — every namespace unshared (no network at all), an
/// unprivileged uid, a clean environment, the system read-only, a private /tmp, and of the
/// outside world only one scratch folder holding the input (never Folio's data folder, its
/// database, secret or other documents) — under an address-space limit, and is killed at a
/// time limit with everything it started.
public struct Sandbox: Sendable {
    public var bubblewrap = "/usr/bin/bwrap"
    public var prlimit = "/usr/bin/prlimit"
    /// Lower the priority of background conversions (`ConversionPriority`).
    public var chrt = "/usr/bin/chrt"
    public var shell = "/usr/bin/sh"
    /// The most address space a conversion may map.
    public var memoryLimitBytes: Int64 = 2 << 30
    /// The longest a conversion may take.
    public var timeLimit: Duration = .seconds(60)

    public init() {}

    /// What must exist for conversions to run (checked at start and by `folio doctor`).
    public func missingTools(_ tools: [String]) -> [String] {
        ([bubblewrap, prlimit, chrt, shell] + tools).filter { !FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// `command` run inside the sandbox with `scratch` mounted read-write at /work, at the
    /// current task's `ConversionPriority`.
    package func arguments(_ command: [String], scratch: String) -> [String] {
        var args = ["--as=\(memoryLimitBytes)", "--"]
        var command = command
        let niceness = ConversionPriority.current.niceness
        if niceness != 0 {
            // SCHED_IDLE rather than a niceness: an idle-policy task is preempted at once by
            // any other task that wakes, where a nice-19 one may first finish its slice (not
            // measured apart here: the machine's speed drifted more than the difference).
            // chrt execs bwrap (the sandbox keeps its pid; everything in it inherits the
            // policy). `--new-session` makes the sandbox a session, and with autogroups (most
            // desktops' and containers' default) each session is weighed as one whole against
            // the others, so the sandbox also lowers its own session's group before the
            // command runs. Linux takes such a change from an unprivileged process at most once
            // per 100 ms machine-wide (EAGAIN otherwise), so sandboxes starting together retry,
            // for up to a second.
            args += [chrt, "--idle", "0"]
            let lower = """
                if [ -e /proc/self/autogroup ]; then n=0; until echo \(niceness) 2>/dev/null >/proc/self/autogroup \
                || [ $n -ge 20 ]; do n=$((n+1)); sleep 0.05; done; fi; exec "$@"
                """
            command = [shell, "-c", lower, "sh"] + command
        }
        args.append(bubblewrap)
        args += [
            "--unshare-all", "--die-with-parent", "--new-session", "--clearenv", "--uid", "65534", "--gid", "65534",
            "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
            "--ro-bind", "/etc/fonts", "/etc/fonts", "--ro-bind-try", "/etc/libreoffice", "/etc/libreoffice",
            "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
            "--bind", scratch, "/work", "--chdir", "/work",
            "--setenv", "HOME", "/work", "--setenv", "PATH", "/usr/bin", "--setenv", "LANG", "C.UTF-8",
        ]
        return args + command
    }

    public struct Outcome: Sendable {
        /// The exit status, or the signal that ended the sandbox when `signalled`.
        public var status: Int32
        public var signalled = false
        public var output: String
        public var timedOut: Bool
    }

    /// Runs `command` in the sandbox; nonzero exits are returned, not thrown. A cancelled run
    /// kills the sandbox, waits for it to be gone and throws `CancellationError`.
    func run(_ command: [String], scratch: String) async throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: prlimit)
        process.arguments = arguments(command, scratch: scratch)
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "folio-sandbox-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        let exited = AsyncStream<Void>.makeStream()
        // Set once the process is reaped: its pid may then be another process's.
        let ended = Atomic<Bool>(false)
        process.terminationHandler = { _ in
            ended.store(true, ordering: .sequentiallyConsistent)
            exited.continuation.yield()
            exited.continuation.finish()
        }
        try await SandboxLauncher.start(process)
        let pid = process.processIdentifier
        // At the time limit the sandbox goes, with everything in it.
        let fired = Mutex(false)
        let limit = timeLimit
        let end: @Sendable () -> Void = {
            if !ended.load(ordering: .sequentiallyConsistent) { SandboxKill.killSoon(pid) }
        }
        let watchdog = Task {
            try await Task.sleep(for: limit)
            fired.withLock { $0 = true }
            end()
        }
        // The exit is always awaited, even by a cancelled caller (a server shutting down, a
        // request gone): iterating the stream in the caller's task would end at cancellation
        // with the process still running, and reading its status then traps.
        let waiting = Task { for await _ in exited.stream {} }
        await withTaskCancellationHandler {
            await waiting.value
        } onCancel: {
            end()
        }
        watchdog.cancel()
        try Task.checkCancellation()
        let timedOut = fired.withLock { $0 }
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return Outcome(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            output: String(output.suffix(2000)), timedOut: timedOut)
    }
}

extension Sandbox {
    /// Runs any command in the sandbox (tests probe what it can reach).
    package func runForTest(_ command: [String], scratch: String) async throws -> Outcome {
        try await run(command, scratch: scratch)
    }
}
