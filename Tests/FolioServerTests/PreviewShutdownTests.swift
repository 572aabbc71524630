import FolioCore
import FolioPreview
import FolioTestSupport
import Foundation
import Logging
import Synchronization
import Testing

@testable import FolioServer

/// A stopping server ends the thumbnails it was making in the background (sandbox killed,
/// scratch folder removed) before it exits, and a starting one sweeps the scratch folders a
/// killed one left. Before, every run of the browser tests left a few `folio-convert-*`
/// folders in /tmp: thumbnails a listing asked for were cut off by the process's exit.
@Suite struct PreviewShutdownTests {
    /// An engine whose runs last until they are ended: a sandboxed `sleep`, its scratch folder
    /// remembered.
    final class EndlessEngine: OfficeEngine {
        let scratches = Mutex<[URL]>([])
        let sandbox = Sandbox()
        var name: String { "endless" }
        var missingTools: [String] { sandbox.missingTools(["/usr/bin/sleep"]) }

        func convert(_ input: URL, to ext: String, scratch: URL) async throws -> URL {
            scratches.withLock { $0.append(scratch) }
            _ = try await sandbox.runForTest(["/usr/bin/sleep", "300"], scratch: scratch.path)
            throw ConversionError.failed("the endless engine ended")
        }
    }

    @Test func stoppingEndsBackgroundThumbnailsAndRemovesTheirScratch() async throws {
        let f = try await ServerFixture.make(content: PreviewAPITests.rtf, name: "minutes.rtf")
        let engine = EndlessEngine()
        let service = PreviewService(
            folio: f.folio, converter: OfficeConverter(engine: engine), pool: ConversionPool(workers: 2, queueLimit: 8),
            logger: PreviewsAheadTests.quiet)
        let version = try #require(try await f.folio.files.versions(fileID: f.file.id).last)
        #expect(try await service.thumbnailIfMade(of: version, fileName: f.file.name, size: 64) == nil)
        let deadline = ContinuousClock.now + .seconds(60)
        while engine.scratches.withLock({ $0.isEmpty }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let scratch = try #require(engine.scratches.withLock { $0.first }, "the background thumbnail never started")
        #expect(FileManager.default.fileExists(atPath: scratch.path))

        let started = ContinuousClock.now
        await service.stopBackground()
        #expect(started.duration(to: .now) < .seconds(30), "the sandbox was ended, not waited out")
        #expect(!FileManager.default.fileExists(atPath: scratch.path), "the scratch folder went with the run")
        #expect(await service.pool.load.running == 0)
        // Nothing was remembered against the document, and nothing new starts once stopped.
        #expect(try await f.folio.derived.derived(sha256: version.sha256, kind: "pdf") == nil)
        #expect(try await service.thumbnailIfMade(of: version, fileName: f.file.name, size: 64) == nil)
        try await Task.sleep(for: .milliseconds(300))
        #expect(engine.scratches.withLock { $0.count } == 1)
    }

    @Test func aStartSweepsOnlyScratchFoldersOlderThanAnyRun() async throws {
        let parent = try temporaryFolder()
        let fm = FileManager.default
        func folder(_ name: String, ageSeconds: Double) throws {
            try fm.createDirectory(atPath: parent + "/" + name + "/out", withIntermediateDirectories: true)
            #expect(fm.createFile(atPath: parent + "/" + name + "/document.docx", contents: Data("x".utf8)))
            try fm.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-ageSeconds)], ofItemAtPath: parent + "/" + name)
        }
        try folder("folio-convert-left", ageSeconds: 3_600)
        try folder("folio-convert-running", ageSeconds: 30)
        try folder("someone-elses", ageSeconds: 3_600)

        let f = try await ServerFixture.make()
        let service = PreviewService(
            folio: f.folio, converter: OfficeConverter(engine: EndlessEngine()),
            pool: ConversionPool(workers: 1, queueLimit: 1),
            logger: PreviewsAheadTests.quiet)
        // A run may last 60 s by default: the cut-off is 15 minutes (or four time limits).
        #expect(
            PreviewsBackgroundService(previews: service, timeLimitSeconds: 60, logger: PreviewsAheadTests.quiet)
                .leftoverAge == .seconds(900))
        #expect(
            PreviewsBackgroundService(previews: service, timeLimitSeconds: 600, logger: PreviewsAheadTests.quiet)
                .leftoverAge == .seconds(2_400))
        let background = PreviewsBackgroundService(
            previews: service, timeLimitSeconds: 60, logger: PreviewsAheadTests.quiet, scratchParent: parent)
        let running = Task { await background.run() }
        let deadline = ContinuousClock.now + .seconds(30)
        while fm.fileExists(atPath: parent + "/folio-convert-left"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try fm.contentsOfDirectory(atPath: parent).sorted() == ["folio-convert-running", "someone-elses"])
        // Cancelled (as a service group does when it cannot shut down gracefully), it ends.
        running.cancel()
        await running.value
    }
}
