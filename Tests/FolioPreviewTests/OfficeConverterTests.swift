import FolioCore
import FolioPreview
import FolioTestSupport
import Foundation
import Synchronization
import Testing

/// LibreOffice and poppler for real (Debian's packages; the deps stage installs them), in the
/// sandbox: what they make of real documents, what hostile ones cannot reach, and the limits.
@Suite(.serialized) struct OfficeConverterTests {
    let converter = OfficeConverter()

    init() throws {
        let missing = converter.missingTools
        guard missing.isEmpty else {
            throw FolioError.unavailable(
                "previews need \(missing.joined(separator: ", ")) (scripts/test installs them)")
        }
    }

    func scratch(_ name: String, _ content: Data) throws -> URL {
        let folder = URL(fileURLWithPath: try temporaryFolder())
        let input = folder.appendingPathComponent(name)
        try content.write(to: input)
        return input
    }

    /// A server shutting down cancels the conversions under way: the sandbox is killed at once
    /// and the run ends with `CancellationError` (it used to stop waiting and read the status of
    /// a process still running, which traps: the whole server crashed).
    @Test func aCancelledRunKillsTheSandboxAndSaysSo() async throws {
        let work = try temporaryFolder()
        // A sleep of five minutes: a run that waited it out instead of killing it would show.
        let marker = "300.\(Int.random(in: 100_000...999_999))"
        let sandbox = converter.sandbox
        let run = Task { try await sandbox.runForTest(["/usr/bin/sleep", marker], scratch: work) }
        var seen = false
        for _ in 0..<100 where !seen {
            try await Task.sleep(for: .milliseconds(50))
            seen = !(try tool("/usr/bin/pgrep", ["-f", marker])).isEmpty
        }
        #expect(seen, "the sandboxed sleep started")
        let cancelled = ContinuousClock.now
        run.cancel()
        await #expect(throws: CancellationError.self) { _ = try await run.value }
        #expect(ContinuousClock.now - cancelled < .seconds(60), "killed, not waited out")
        #expect(try tool("/usr/bin/pgrep", ["-f", marker]).isEmpty, "nothing of the sandbox is left")
    }

    /// A run cancelled at any moment of its start — also before bubblewrap's sandboxed child
    /// has asked to die with its parent — takes everything it started with it, at once. (Killed
    /// in that moment, the sandboxed process lived on, and the run waited until it ended: it
    /// keeps Foundation's end-of-process socket open.)
    @Test func aRunCancelledAsItStartsLeavesNothingAndEndsAtOnce() async throws {
        let work = try temporaryFolder()
        let sandbox = converter.sandbox
        for attempt in 0..<24 {
            let marker = "30.\(Int.random(in: 100_000...999_999))"
            let run = Task { try await sandbox.runForTest(["/usr/bin/sleep", marker], scratch: work) }
            // From at once to a few milliseconds in: bubblewrap's start is in that span.
            try await Task.sleep(for: .microseconds(attempt * 400))
            let cancelled = ContinuousClock.now
            run.cancel()
            _ = try? await run.value
            #expect(ContinuousClock.now - cancelled < .seconds(10), "attempt \(attempt): killed, not waited out")
            #expect(try tool("/usr/bin/pgrep", ["-f", marker]).isEmpty, "attempt \(attempt): nothing is left")
        }
    }

    /// Linux sends a sandbox's parent-death signal (`--die-with-parent`) when the *thread* that
    /// started it ends: a sandbox started from a thread that then ends is killed, which is what
    /// happened to conversions started from pool threads the pool retired under load. Started
    /// through the launcher, the same sandbox from the same kind of thread runs to its end.
    @Test func aSandboxOutlivesTheThreadThatAskedForIt() async throws {
        let work = try temporaryFolder()
        let sandbox = converter.sandbox
        func ended(launcher: Bool) async throws -> (reason: Process.TerminationReason, status: Int32) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sandbox.prlimit)
            process.arguments = sandbox.arguments(["/usr/bin/sleep", "2"], scratch: work)
            let exited = AsyncStream<Void>.makeStream()
            process.terminationHandler = { _ in exited.continuation.finish() }
            let handed = SandboxLauncher.Handed(process: process)
            // The asking thread stays until the sandbox has set its parent-death signal, then
            // ends, as a pool thread retired after a while of idleness does.
            let asker = Thread {
                if launcher { try? SandboxLauncher.startBlocking(handed.process) } else { try? handed.process.run() }
                Thread.sleep(forTimeInterval: 0.5)
            }
            asker.start()
            for await _ in exited.stream {}
            return (process.terminationReason, process.terminationStatus)
        }
        let direct = try await ended(launcher: false)
        #expect(direct.reason == .uncaughtSignal && direct.status == SIGKILL, "the hazard itself: \(direct)")
        let launched = try await ended(launcher: true)
        #expect(launched.reason == .exit && launched.status == 0, "\(launched)")
    }

    /// Runs a tool outside the sandbox (the test's own checks).
    func tool(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func pages(_ pdf: URL) throws -> Int {
        let info = try tool("/usr/bin/pdfinfo", [pdf.path])
        let line = info.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        return Int(line.split(separator: " ").last ?? "") ?? 0
    }

    /// Width, height and how many pixels are not white, read with Python's zlib (PNG, 8-bit).
    func pixels(_ png: URL) throws -> (width: Int, height: Int, inked: Int) {
        let script = """
            import struct, sys, zlib
            d = open(sys.argv[1], 'rb').read()
            i, idat, w, h, ct = 8, b'', 0, 0, 0
            while i < len(d):
                n, t = struct.unpack('>I4s', d[i:i+8]); body = d[i+8:i+8+n]; i += 12 + n
                if t == b'IHDR': w, h, _, ct = struct.unpack('>IIBB', body[:10])
                if t == b'IDAT': idat += body
            ch = {0: 1, 2: 3, 4: 2, 6: 4}[ct]; raw = zlib.decompress(idat); stride = w * ch
            prev = bytearray(stride); inked = 0; p = 0
            for y in range(h):
                f = raw[p]; line = bytearray(raw[p+1:p+1+stride]); p += 1 + stride
                for x in range(stride):
                    a = line[x-ch] if x >= ch else 0; b = prev[x]; c = prev[x-ch] if x >= ch else 0
                    if f == 1: line[x] = (line[x] + a) & 255
                    elif f == 2: line[x] = (line[x] + b) & 255
                    elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
                    elif f == 4:
                        pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                        line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                inked += sum(1 for x in range(0, stride, ch) if min(line[x:x+min(ch, 3)]) < 200)
                prev = line
            print(w, h, inked)
            """
        let out = try tool("/usr/bin/python3", ["-c", script, png.path]).split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return (out[0], out[1], out[2])
    }

    /// Three pages of text, as RTF (one of the legacy formats people convert).
    static let rtf = Data(
        #"{\rtf1\ansi\deff0{\fonttbl{\f0 DejaVu Sans;}}\fs48 First page of the minutes\page Second page: budget\page Third page: the end}"#
            .utf8)

    @Test func aDocumentBecomesAPDFWithItsPagesAndText() async throws {
        let input = try scratch("minutes.rtf", Self.rtf)
        let pdf = try await converter.convert(input, to: .pdf, scratch: input.deletingLastPathComponent())
        #expect(try pages(pdf) == 3)
        let text = try tool("/usr/bin/pdftotext", [pdf.path, "-"])
        #expect(text.contains("First page of the minutes") && text.contains("Third page: the end"), "\(text)")
    }

    @Test(arguments: DocumentTemplate.allCases) func everyBlankTemplateConverts(template: DocumentTemplate) async throws
    {
        let input = try scratch("blank.\(template.rawValue)", try #require(template.content))
        let pdf = try await converter.convert(input, to: .pdf, scratch: input.deletingLastPathComponent())
        #expect(try pages(pdf) >= 1)
    }

    @Test func aThumbnailIsAPNGOfTheAskedSizeShowingTheFirstPage() async throws {
        let input = try scratch("minutes.rtf", Self.rtf)
        let png = try await converter.convert(
            input, to: .thumbnail(size: 256), scratch: input.deletingLastPathComponent())
        let bytes = try Data(contentsOf: png)
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let (width, height, inked) = try pixels(png)
        #expect(max(width, height) == 256 && width < height, "a portrait page: \(width)×\(height)")
        #expect(inked > 50, "the first page's text shows: \(inked) dark pixels")
    }

    @Test func aLegacyDocumentBecomesOOXMLKeepingItsText() async throws {
        let input = try scratch("minutes.rtf", Self.rtf)
        let docx = try await converter.convert(input, to: .format("docx"), scratch: input.deletingLastPathComponent())
        #expect(try Data(contentsOf: docx).starts(with: [0x50, 0x4B]))
        // Back through the engine: the text is there.
        let again = try scratch("again.docx", try Data(contentsOf: docx))
        let pdf = try await converter.convert(again, to: .pdf, scratch: again.deletingLastPathComponent())
        #expect(try tool("/usr/bin/pdftotext", [pdf.path, "-"]).contains("Second page: budget"))
        await #expect(throws: FolioError.self) {
            _ = try await converter.convert(input, to: .format("exe"), scratch: input.deletingLastPathComponent())
        }
    }

    @Test func theSandboxHasNoNetworkAndSeesNothingButItsFolder() async throws {
        // A listener on the host's loopback, and a secret in a folder beside the scratch one.
        let listener = try LoopbackListener()
        let secretFolder = try temporaryFolder()
        try Data("TOP-SECRET-TOKEN".utf8).write(to: URL(fileURLWithPath: secretFolder + "/secret.key"))
        let work = try temporaryFolder()
        let probe = """
            import os, socket, sys
            try:
                socket.create_connection(('127.0.0.1', \(listener.port)), timeout=2); print('NET-OPEN')
            except OSError as e: print('net refused', e)
            for p in [sys.argv[1] + '/secret.key', '/etc/passwd', '/root', '\(FileManager.default.currentDirectoryPath)']:
                print(p, 'VISIBLE' if os.path.exists(p) else 'absent')
            print('uid', os.getuid())
            """
        let outcome = try await converter.sandbox.runForTest(
            ["/usr/bin/python3", "-c", probe, secretFolder], scratch: work)
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.output.contains("net refused") && !outcome.output.contains("NET-OPEN"), "\(outcome.output)")
        #expect(!outcome.output.contains("VISIBLE"), "\(outcome.output)")
        #expect(outcome.output.contains("uid 65534"))
        #expect(listener.connections == 0)

        // A spreadsheet whose formulas fetch a URL and read local files: a PDF without them.
        let sheet = """
            <?xml version="1.0" encoding="UTF-8"?>
            <office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
            <office:body><office:spreadsheet><table:table table:name="Sheet1">
            <table:table-row><table:table-cell office:value-type="string"><text:p>Quarterly figures</text:p></table:table-cell></table:table-row>
            <table:table-row><table:table-cell table:formula="of:=WEBSERVICE(&quot;http://127.0.0.1:\(listener.port)/leak&quot;)"/></table:table-row>
            <table:table-row><table:table-cell table:formula="of:=WEBSERVICE(&quot;file:///etc/passwd&quot;)"/></table:table-row>
            <table:table-row><table:table-cell table:formula="of:=WEBSERVICE(&quot;file://\(secretFolder)/secret.key&quot;)"/></table:table-row>
            <table:table-row><table:table-cell table:formula="of:=['file://\(secretFolder)/secret.key'#$Sheet1.A1]"/></table:table-row>
            </table:table></office:spreadsheet></office:body></office:document>
            """
        let input = try scratch("hostile.fods", Data(sheet.utf8))
        let pdf = try await converter.convert(input, to: .pdf, scratch: input.deletingLastPathComponent())
        let text = try tool("/usr/bin/pdftotext", [pdf.path, "-"])
        #expect(text.contains("Quarterly figures"), "\(text)")
        #expect(!text.contains("root:") && !text.contains("TOP-SECRET"), "\(text)")
        #expect(listener.connections == 0)
    }

    /// Work nobody waits for runs its sandbox under the idle scheduling policy (at Folio's own
    /// priority, one LibreOffice took a core from the requests for minutes), and where the
    /// kernel schedules sessions as groups (autogroup: the sandbox is a session of its own)
    /// with its group at niceness 19. A person's conversion runs as Folio does.
    @Test func backgroundConversionsRunAtTheLowestPriority() async throws {
        let work = try temporaryFolder()
        let sandbox = converter.sandbox
        // Field 41 of /proc/self/stat is the scheduling policy: 0 normal, 5 idle.
        let probe = [
            "/usr/bin/sh", "-c",
            "cut -d' ' -f41 /proc/self/stat; cat /proc/self/autogroup 2>/dev/null || true",
        ]
        let asked = try await sandbox.runForTest(probe, scratch: work)
        // Three at once: Linux takes one such change per 100 ms, so the others retry.
        let background = try await ConversionPriority.$current.withValue(.background) {
            try await withThrowingTaskGroup(of: Sandbox.Outcome.self) { group in
                for _ in 0..<3 { group.addTask { try await sandbox.runForTest(probe, scratch: work) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        #expect(asked.status == 0)
        let askedLines = asked.output.split(separator: "\n")
        #expect(askedLines.first == "0", "\(asked.output)")
        for outcome in background {
            let lines = outcome.output.split(separator: "\n")
            #expect(outcome.status == 0)
            #expect(lines.first == "5", "\(outcome.output)")
            if askedLines.count > 1 {
                #expect(lines.count > 1 && lines[1].hasSuffix("nice 19"), "\(outcome.output)")
            }
        }
        if askedLines.count > 1 { #expect(askedLines[1].hasSuffix("nice 0"), "\(asked.output)") }
    }

    @Test func aConversionPastItsTimeLimitIsKilledAndTheNextOneWorks() async throws {
        var hurried = OfficeConverter()
        hurried.sandbox.timeLimit = .milliseconds(300)
        let input = try scratch("minutes.rtf", Self.rtf)
        let started = ContinuousClock.now
        await #expect(throws: ConversionError.timedOut(.milliseconds(300))) {
            _ = try await hurried.convert(input, to: .pdf, scratch: input.deletingLastPathComponent())
        }
        #expect(started.duration(to: .now) < .seconds(5))
        let pdf = try await converter.convert(input, to: .pdf, scratch: input.deletingLastPathComponent())
        #expect(try pages(pdf) == 3)
    }

    /// A document made to keep the engine busy (a quarter of a million pages to lay out) is
    /// killed at the time limit with everything it started, and the same pool's next
    /// conversion works.
    @Test func aDocumentThatKeepsTheEngineBusyIsKilledAndThePoolGoesOn() async throws {
        var hurried = OfficeConverter()
        hurried.sandbox.timeLimit = .seconds(3)
        let limited = hurried
        let bomb = try scratch(
            "endless.rtf", Data((#"{\rtf1\ansi "# + String(repeating: #"x\page "#, count: 250_000) + "}").utf8))
        let pool = ConversionPool(workers: 1, queueLimit: 2)
        let started = ContinuousClock.now
        await #expect(throws: ConversionError.timedOut(.seconds(3))) {
            _ = try await pool.run {
                try await limited.convert(bomb, to: .pdf, scratch: bomb.deletingLastPathComponent())
            }
        }
        #expect(started.duration(to: .now) < .seconds(10))
        // Nothing of it is left running.
        var left = try tool("/usr/bin/pgrep", ["-f", "endless.rtf"])
        for _ in 0..<20 where !left.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            left = try tool("/usr/bin/pgrep", ["-f", "endless.rtf"])
        }
        #expect(left.isEmpty, "still running: \(left)")
        let input = try scratch("minutes.rtf", Self.rtf)
        let pdf = try await pool.run {
            try await limited.convert(input, to: .pdf, scratch: input.deletingLastPathComponent())
        }
        #expect(try pages(pdf) == 3)
    }

    @Test func thePoolRunsAFewAtOnceAndRefusesPastItsQueue() async throws {
        let pool = ConversionPool(workers: 1, queueLimit: 1)
        let peak = Peak()
        let results = await withTaskGroup(of: Result<Int, ConversionError>.self) { group in
            for i in 0..<3 {
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(20 * i))
                    do {
                        return .success(
                            try await pool.run {
                                peak.value.withLock {
                                    $0.now += 1
                                    $0.most = max($0.most, $0.now)
                                }
                                try await Task.sleep(for: .milliseconds(300))
                                peak.value.withLock { $0.now -= 1 }
                                return i
                            })
                    } catch let error as ConversionError {
                        return .failure(error)
                    } catch {
                        return .failure(.failed("\(error)"))
                    }
                }
            }
            var all: [Result<Int, ConversionError>] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.filter { if case .success = $0 { true } else { false } }.count == 2)
        #expect(results.contains { $0 == .failure(.busy) })
        #expect(peak.value.withLock { $0.most } == 1)
        #expect(await pool.load == (0, 0))
    }
}

/// How many jobs ran at once.
final class Peak: Sendable {
    let value = Mutex((now: 0, most: 0))
}

/// A TCP listener on 127.0.0.1 that counts connections (what a sandboxed process must not reach).
final class LoopbackListener: Sendable {
    final class Count: Sendable {
        let value = Mutex(0)
    }
    let fd: Int32
    let port: Int
    let count = Count()
    var connections: Int { count.value.withLock { $0 } }

    init() throws {
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, length) }
        }
        listen(sock, 16)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &length) }
        }
        fd = sock
        port = Int(UInt16(bigEndian: address.sin_port))
        let count = self.count
        Thread.detachNewThread {
            while true {
                let client = accept(sock, nil, nil)
                guard client >= 0 else { return }
                count.value.withLock { $0 += 1 }
                close(client)
            }
        }
    }

    deinit { close(fd) }
}
