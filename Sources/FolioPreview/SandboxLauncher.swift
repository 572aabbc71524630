import Foundation
import NIOPosix

/// The one thread that starts sandboxes. bubblewrap's `--die-with-parent` asks Linux to kill
/// the sandbox when its parent goes, and Linux means the parent *thread*: a sandbox started from
/// a pool thread that the pool later retires (the cooperative pool adds and drops threads under
/// load) was killed mid-conversion — "killed by signal 9" with no kill() anywhere (strace).
/// This thread lives as long as Folio, so the signal comes when Folio goes, as intended.
package enum SandboxLauncher {
    static let thread: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    /// Starts `process` from the launcher thread; returns once it runs, or throws why it did not.
    static func start(_ process: Process) async throws {
        let handed = Handed(process: process)
        try await thread.runIfActive { try handed.process.run() }
    }

    /// The same for a caller that is a plain thread (tests).
    package static func startBlocking(_ process: Process) throws {
        let handed = Handed(process: process)
        try thread.runIfActive(eventLoop: MultiThreadedEventLoopGroup.singleton.any()) {
            try handed.process.run()
        }.wait()
    }

    /// A Process goes to the launcher thread and is not touched meanwhile.
    package struct Handed: @unchecked Sendable {
        package let process: Process
        package init(process: Process) { self.process = process }
    }
}
