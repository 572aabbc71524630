import Foundation
import Synchronization

/// Where the server's log lines go: standard error, in batches. A line of level notice or
/// above is written at once (with everything gathered before it); the others within 100 ms,
/// or as soon as 64 KiB have gathered. A busy server thus pays no write, and no lock held
/// across one, per access line (one per request): that had cost more than half of
/// CheckFileInfo's throughput. Whatever is gathered is written at exit too.
final class LogOutput: Sendable {
    static let shared = LogOutput()

    private struct Gathered {
        var bytes: [UInt8] = []
        /// The current second and its stamp, made once per second.
        var second = -1
        var stamp = ""
    }

    private let gathered = Mutex(Gathered())
    /// Held while writing, so batches leave in the order they were gathered.
    private let writing = Mutex(())

    private init() {
        let flusher = Thread { [self] in
            while true {
                Thread.sleep(forTimeInterval: 0.1)
                flush()
            }
        }
        flusher.name = "folio-log"
        flusher.start()
        atexit { LogOutput.shared.flush() }
    }

    func write(_ line: String, urgent: Bool) {
        let full = gathered.withLock { gathered -> Bool in
            gathered.bytes.append(contentsOf: line.utf8)
            return gathered.bytes.count >= 65_536
        }
        if urgent || full { flush() }
    }

    func flush() {
        writing.withLock { _ in
            let bytes = gathered.withLock { gathered -> [UInt8] in
                defer { gathered.bytes.removeAll(keepingCapacity: true) }
                return gathered.bytes
            }
            var offset = 0
            bytes.withUnsafeBytes { buffer in
                while offset < buffer.count {
                    let written = Foundation.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { if errno == EINTR { continue } else { return } }
                    offset += written
                }
            }
        }
    }

    /// The time for a line, `2026-12-04T15:50:01Z` (UTC, to the second).
    func timestamp() -> String {
        var now = time_t(Date().timeIntervalSince1970)
        return gathered.withLock { gathered in
            if gathered.second != Int(now) {
                var parts = tm()
                gmtime_r(&now, &parts)
                func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
                gathered.stamp =
                    "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
                    + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
                gathered.second = Int(now)
            }
            return gathered.stamp
        }
    }
}
