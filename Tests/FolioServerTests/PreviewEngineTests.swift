import FolioCore
import FolioPreview
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@testable import FolioServer

/// Thumbnails and PDFs made ahead of time after saves, and Collabora's convert-to as the
/// engine (against a stand-in Collabora that converts with the real LibreOffice).
@Suite(.serialized) struct PreviewsAheadTests {
    static var quiet: Logger {
        var logger = Logger(label: "folio-test")
        logger.logLevel = .critical
        return logger
    }

    static var registry: EditorRegistry {
        EditorRegistry(editors: [:], fetcher: HTTPDiscoveryFetcher(timeout: .seconds(1)), logger: quiet)
    }

    /// Previews of the fixture's files with `engine` and a pool of one worker.
    static func service(_ f: ServerFixture, _ engine: some OfficeEngine) -> PreviewService {
        PreviewService(
            folio: f.folio, converter: OfficeConverter(engine: engine), pool: ConversionPool(workers: 1, queueLimit: 4),
            logger: quiet)
    }

    func save(_ f: ServerFixture, _ text: String) async throws -> StoredFile {
        let session = try await f.folio.fileAccess(f.file.id, user: f.alice)
        return try await f.folio.saveContent(
            BufferSequence([ByteBuffer(string: #"{\rtf1\ansi "# + text + "}")]), expectedSize: nil, session: session,
            conditions: WriteConditions(lock: .none), source: .upload)
    }

    func thumbnail(_ f: ServerFixture, version number: Int64) async throws -> DerivedContent? {
        let version = try #require(try await f.folio.files.versions(fileID: f.file.id).first { $0.number == number })
        return try await f.folio.derived.derived(sha256: version.sha256, kind: "thumbnail-64")
    }

    /// A burst of saves makes one thumbnail, of the last, once they settle; files the engine
    /// does not draw make none; while the pool is busy it waits.
    @Test func aBurstOfSavesMakesOneThumbnailOfTheLastOnceItSettles() async throws {
        let f = try await ServerFixture.make(content: PreviewAPITests.rtf, name: "minutes.rtf")
        let pool = ConversionPool(workers: 1, queueLimit: 4)
        let service = PreviewService(folio: f.folio, pool: pool, logger: Self.quiet)
        let ahead = PreviewsAhead(service: service, settle: .milliseconds(300))
        let running = Task { await ahead.run() }
        defer { running.cancel() }
        // The only worker is taken by someone's conversion until the saves are done.
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        let busy = Task { try await pool.run { for await _ in gate { break } } }
        while await pool.load.running == 0 { try await Task.sleep(for: .milliseconds(10)) }
        for i in 1...3 { _ = try await save(f, "Save \(i)") }
        _ = try await f.folio.createFile(
            BufferSequence([ByteBuffer(string: "PK")]), expectedSize: 2, name: "archive.zip",
            folderID: f.file.folderID, owner: f.alice, source: .upload, uniqueName: false)
        try await Task.sleep(for: .seconds(1))
        #expect(try await thumbnail(f, version: 4) == nil, "nothing while the pool is busy")
        open.finish()
        try await busy.value
        var made: DerivedContent?
        // Up to two minutes: what is tested is that it is made (once), not how fast; with the
        // whole suite converting at once on two cores one conversion took over 30 s.
        for _ in 0..<1_200 where made == nil {
            try await Task.sleep(for: .milliseconds(100))
            made = try await thumbnail(f, version: 4)
        }
        #expect(made?.blobKey != nil, "the last save's thumbnail, made ahead")
        try await Task.sleep(for: .milliseconds(500))
        #expect(await ahead.made == 1)
        for earlier: Int64 in 2...3 { #expect(try await thumbnail(f, version: earlier) == nil) }
        // The PDF came with it: the preview page will not wait either.
        let last = try #require(try await f.folio.files.versions(fileID: f.file.id).last)
        #expect(try await f.folio.derived.derived(sha256: last.sha256, kind: "pdf")?.pages == 1)
    }

    /// The listing asks for a thumbnail not made yet: many asks at once (people, reloads)
    /// make it once.
    @Test func aThumbnailAskedForManyTimesAtOnceIsMadeOnce() async throws {
        let f = try await ServerFixture.make(content: PreviewAPITests.rtf, name: "minutes.rtf")
        let engine = CountingEngine()
        let lines = ImmediateAnswerTests.Lines()
        let service = PreviewService(
            folio: f.folio, converter: OfficeConverter(engine: engine), pool: ConversionPool(workers: 2, queueLimit: 8),
            logger: Logger(label: "folio-test") { _ in ImmediateAnswerTests.Recorder(lines: lines) })
        let version = try #require(try await f.folio.files.versions(fileID: f.file.id).last)
        for _ in 0..<5 {
            #expect(try await service.thumbnailIfMade(of: version, fileName: f.file.name, size: 64) == nil)
        }
        var made: PreviewService.Made?
        for _ in 0..<1_200 where made == nil {  // (as above: made, not how fast)
            try await Task.sleep(for: .milliseconds(100))
            made = try await service.thumbnailIfMade(of: version, fileName: f.file.name, size: 64)
        }
        let failure = try await f.folio.derived.derived(sha256: version.sha256, kind: "thumbnail-64")?.failure
        let said = lines.records.withLock { $0.map { "\($0.message) \($0.metadata)" } }
        #expect(made != nil, "not made; remembered failure: \(failure ?? "none"); logged: \(said)")
        #expect(engine.calls.withLock { $0 } == 1)
    }

    /// A background conversion that runs out of time is not held against the document (at the
    /// lowest priority on a busy machine its time says nothing of it), and the listing that
    /// started it leaves it for a while; the same timeout for a person asking is remembered.
    @Test func aBackgroundTimeoutIsNotHeldAgainstTheDocument() async throws {
        let f = try await ServerFixture.make(content: PreviewAPITests.rtf, name: "minutes.rtf")
        let engine = TimingOutEngine()
        let service = Self.service(f, engine)
        let version = try #require(try await f.folio.files.versions(fileID: f.file.id).last)
        let remembered = { try await f.folio.derived.derived(sha256: version.sha256, kind: "pdf") }
        await #expect(throws: ConversionError.timedOut(.seconds(60))) {
            try await ConversionPriority.$current.withValue(.background) {
                _ = try await service.pdf(of: version, fileName: f.file.name)
            }
        }
        #expect(try await remembered() == nil)
        // A listing's background thumbnail times out once, and is not started again at once.
        #expect(try await service.thumbnailIfMade(of: version, fileName: f.file.name, size: 64) == nil)
        for _ in 0..<100 where engine.calls.withLock({ $0 }) < 2 { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await service.thumbnailIfMade(of: version, fileName: f.file.name, size: 64) == nil)
        try await Task.sleep(for: .milliseconds(300))
        #expect(engine.calls.withLock { $0 } == 2)
        #expect(engine.priorities.withLock { $0 } == [.background, .background])
        #expect(try await remembered() == nil)
        // Someone waiting for it: the timeout is the document's.
        await #expect(throws: ConversionError.timedOut(.seconds(60))) {
            _ = try await service.pdf(of: version, fileName: f.file.name)
        }
        #expect(engine.priorities.withLock { $0.last } == .interactive)
        #expect(try await remembered()?.failure == ConversionError.timedOut(.seconds(60)).description)
    }

    /// A person asking for a preview while the only worker is held by a listing's background
    /// thumbnail (starved at the idle priority on a busy machine) does not wait for it: the
    /// background conversion is stopped, not held against the document, and made on a later visit.
    @Test func aPersonDoesNotWaitBehindABackgroundConversion() async throws {
        let f = try await ServerFixture.make(content: PreviewAPITests.rtf, name: "minutes.rtf")
        let engine = StallingEngine()
        let service = Self.service(f, engine)
        let version = try #require(try await f.folio.files.versions(fileID: f.file.id).last)
        #expect(try await service.thumbnailIfMade(of: version, fileName: f.file.name, size: 64) == nil)
        for _ in 0..<500 where engine.stalled.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(engine.stalled.withLock { $0 } == 1, "the listing's conversion holds the worker")
        let started = ContinuousClock.now
        let pdf = try await service.pdf(of: version, fileName: f.file.name)
        #expect((pdf.content.pages ?? 0) >= 1)
        // The person's conversion took a few seconds of LibreOffice, not the background's 120 s.
        #expect(started.duration(to: .now) < .seconds(60))
        #expect(engine.stopped.withLock { $0 } == 1)
        #expect(try await f.folio.derived.derived(sha256: version.sha256, kind: "thumbnail-64") == nil)
        // The next visit makes it (from the PDF the person's request left).
        var made: PreviewService.Made?
        for _ in 0..<1_200 where made == nil {  // (made, not how fast: see above)
            made = try await service.thumbnailIfMade(of: version, fileName: f.file.name, size: 64)
            if made == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(made != nil)
    }

    /// A document made ahead of time whose conversion gave its worker to a person is made again
    /// once the pool is idle, not dropped.
    @Test func aPreviewAheadStoppedForAPersonIsMadeLater() async throws {
        let f = try await ServerFixture.make(content: PreviewAPITests.rtf, name: "minutes.rtf")
        let engine = StallingEngine()
        let service = Self.service(f, engine)
        let ahead = PreviewsAhead(service: service, settle: .milliseconds(300))
        let running = Task { await ahead.run() }
        defer { running.cancel() }
        _ = try await save(f, "Second version")
        for _ in 0..<1_000 where engine.stalled.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(engine.stalled.withLock { $0 } == 1)
        let version = try #require(try await f.folio.files.versions(fileID: f.file.id).last)
        _ = try await service.pdf(of: version, fileName: f.file.name)
        #expect(engine.stopped.withLock { $0 } == 1)
        for _ in 0..<1_200 where await ahead.made == 0 { try await Task.sleep(for: .milliseconds(100)) }
        #expect(await ahead.made == 1)
        #expect(try await thumbnail(f, version: 2)?.blobKey != nil)
    }

    @Test func theServerStartsItAndTheSettingTurnsItOff() async throws {
        let f = try await ServerFixture.make(content: PreviewAPITests.rtf, name: "minutes.rtf")
        var configuration = f.configuration
        configuration.previewAheadSeconds = 0
        #expect(ServerParts(folio: f.folio, configuration: configuration, editors: Self.registry).ahead != nil)
        configuration.previewAheadSeconds = nil
        #expect(ServerParts(folio: f.folio, configuration: configuration, editors: Self.registry).ahead == nil)
        configuration.previewAheadSeconds = 0
        configuration.previewEngine = .off
        let off = ServerParts(folio: f.folio, configuration: configuration, editors: Self.registry)
        #expect(off.previews == nil && off.ahead == nil && off.previewsMissing == ["previews are off (preview_engine)"])
    }
}

/// LibreOffice, counting its conversions.
final class CountingEngine: OfficeEngine {
    let calls = Mutex(0)
    let office = LibreOfficeEngine()
    var name: String { office.name }
    var missingTools: [String] { office.missingTools }

    func convert(_ input: URL, to ext: String, scratch: URL) async throws -> URL {
        calls.withLock { $0 += 1 }
        return try await office.convert(input, to: ext, scratch: scratch)
    }
}

/// A stand-in for Collabora's convert-to (Collabora itself does not run here): it parses the
/// multipart form as coolwsd does and converts with the real LibreOffice in the sandbox. It
/// answers 403 to everything when `refuse` is set, as coolwsd does for addresses outside
/// net.post_allow.
final class StandInConvertTo: Sendable {
    let requests = Mutex<[(path: String, field: String, fileName: String)]>([])
    let refuse: Bool

    init(refuse: Bool = false) {
        self.refuse = refuse
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("hosting/capabilities") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(
                    byteBuffer: ByteBuffer(string: #"{"convert-to":{"available":true},"productName":"Stand-in"}"#)))
        }
        router.post("cool/convert-to/{format}") { request, context -> Response in
            let format = try context.parameters.require("format")
            let type = request.headers[.contentType] ?? ""
            guard let range = type.range(of: "boundary=") else { return Response(status: .badRequest) }
            let boundary = "--" + type[range.upperBound...]
            let body = Data(buffer: try await request.body.collect(upTo: 64 << 20))
            guard let part = Self.firstPart(body, boundary: Data(boundary.utf8)) else {
                return Response(status: .badRequest)
            }
            self.requests.withLock {
                $0.append((request.uri.path, part.name, part.fileName))
            }
            if self.refuse { return Response(status: .forbidden) }
            let scratch = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
                "standin-" + Identifier.random())
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: scratch.path)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let input = scratch.appendingPathComponent(part.fileName)
            try part.content.write(to: input)
            do {
                let output = try await LibreOfficeEngine().convert(input, to: format, scratch: scratch)
                return Response(
                    status: .ok, body: .init(byteBuffer: ByteBuffer(data: try Data(contentsOf: output))))
            } catch {
                return Response(status: .internalServerError)
            }
        }
        return router
    }

    /// The first part of a multipart body: its field name, file name and bytes.
    static func firstPart(_ body: Data, boundary: Data) -> (name: String, fileName: String, content: Data)? {
        guard let start = body.range(of: boundary),
            let headersEnd = body.range(of: Data("\r\n\r\n".utf8), in: start.upperBound..<body.endIndex),
            let end = body.range(of: Data("\r\n".utf8) + boundary, in: headersEnd.upperBound..<body.endIndex)
        else { return nil }
        let headers = String(decoding: body[start.upperBound..<headersEnd.lowerBound], as: UTF8.self)
        func value(_ key: String) -> String {
            guard let range = headers.range(of: key + "=\"") else { return "" }
            return String(headers[range.upperBound...].prefix { $0 != "\"" })
        }
        return (value(" name"), value("filename"), body[headersEnd.upperBound..<end.lowerBound])
    }
}

@Suite(.serialized) struct CollaboraEngineTests {
    func pdfText(_ data: Data) throws -> String { try PreviewAPITests().pdfText(ByteBuffer(data: data)) }

    @Test func theBaseComesFromDiscovery() {
        #expect(
            CollaboraEngine.base(ofDiscovery: "https://cool.example.com:9980/hosting/discovery")
                == "https://cool.example.com:9980")
        #expect(
            CollaboraEngine.base(ofDiscovery: "https://example.com/office/hosting/discovery?x=1")
                == "https://example.com/office")
    }

    /// PDFs through convert-to (a node that does not answer is skipped), thumbnails drawn from
    /// them by poppler; a refusing Collabora is unavailable, said with the fix, and not
    /// remembered against the document.
    @Test func convertsThroughCollaboraAndSaysWhatIsWrongWhenItRefuses() async throws {
        let f = try await ServerFixture.make(content: PreviewAPITests.rtf, name: "minutes.rtf")
        let standIn = StandInConvertTo()
        try await Application(router: standIn.router(), logger: PreviewsAheadTests.quiet).test(.live) { client in
            let node = "http://127.0.0.1:\(try #require(client.port))"
            let engine = CollaboraEngine(nodes: ["http://127.0.0.1:9", node])
            #expect(try await engine.offersConvertTo(node))
            let service = PreviewService(
                folio: f.folio, converter: OfficeConverter(engine: engine),
                pool: ConversionPool(workers: 1, queueLimit: 4), logger: PreviewsAheadTests.quiet)
            let version = try #require(try await f.folio.files.versions(fileID: f.file.id).last)
            let pdf = try await service.pdf(of: version, fileName: f.file.name)
            var data = Data()
            try await pdf.reader.read { data.append(contentsOf: $0.readableBytesView) }
            #expect(try pdfText(data).contains("First page of the minutes"))
            #expect(pdf.content.pages == 2)
            let thumbnail = try await service.thumbnail(of: version, fileName: f.file.name, size: 64)
            #expect(thumbnail.content.size > 100)
            let seen = standIn.requests.withLock { $0 }
            #expect(seen.count == 1, "the thumbnail came from the kept PDF")
            #expect(seen.first?.path == "/cool/convert-to/pdf" && seen.first?.field == "data")
            #expect(seen.first?.fileName == "document.rtf")
        }

        let refusing = StandInConvertTo(refuse: true)
        try await Application(router: refusing.router(), logger: PreviewsAheadTests.quiet).test(.live) { client in
            let node = "http://127.0.0.1:\(try #require(client.port))"
            let service = PreviewService(
                folio: f.folio, converter: OfficeConverter(engine: CollaboraEngine(nodes: [node])),
                pool: ConversionPool(workers: 1, queueLimit: 4), logger: PreviewsAheadTests.quiet)
            let session = try await f.folio.fileAccess(f.file.id, user: f.alice)
            _ = try await f.folio.saveContent(
                BufferSequence([ByteBuffer(string: #"{\rtf1\ansi Refused}"#)]), expectedSize: nil, session: session,
                conditions: WriteConditions(lock: .none), source: .upload)
            let version = try #require(try await f.folio.files.versions(fileID: f.file.id).last)
            await #expect {
                _ = try await service.pdf(of: version, fileName: f.file.name)
            } throws: { error in
                guard case ConversionError.unavailable(let reason) = error else { return false }
                return reason.contains("403") && reason.contains("net.post_allow")
            }
            #expect(try await f.folio.derived.derived(sha256: version.sha256, kind: "pdf") == nil, "not remembered")
        }
    }

    /// `preview_engine`: auto takes LibreOffice where it is installed; collabora takes the
    /// configured Collabora's nodes; doctor names the one chosen.
    @Test func theSettingChoosesTheEngineAndDoctorNamesIt() async throws {
        let standIn = StandInConvertTo()
        try await Application(router: standIn.router(), logger: PreviewsAheadTests.quiet).test(.live) { client in
            let node = "http://127.0.0.1:\(try #require(client.port))"
            var configuration = ServerConfiguration(editors: [.collabora: [node + "/hosting/discovery"]])
            #expect(PreviewSetup(configuration).converter?.engine is LibreOfficeEngine)
            configuration.previewEngine = .collabora
            let chosen = try #require(PreviewSetup(configuration).converter?.engine as? CollaboraEngine)
            #expect(chosen.nodes == [node])
            let finding = await Doctor.previewsFinding(configuration)
            #expect(finding.level == .ok, "\(finding.message)")
            #expect(finding.message.hasPrefix("Collabora convert-to at \(node) (its capabilities offer it)"))
            configuration.editors = [:]
            #expect(PreviewSetup(configuration).missing.first?.contains("no Collabora is configured") == true)
        }
    }
}

/// An engine whose every conversion runs out of time, noting the priority it was asked at.
final class TimingOutEngine: OfficeEngine {
    let calls = Mutex(0)
    let priorities = Mutex<[ConversionPriority]>([])
    var name: String { "timing out" }
    var missingTools: [String] { [] }

    func convert(_ input: URL, to ext: String, scratch: URL) async throws -> URL {
        calls.withLock { $0 += 1 }
        priorities.withLock { $0.append(ConversionPriority.current) }
        throw ConversionError.timedOut(.seconds(60))
    }
}

/// LibreOffice for people; for background work an engine that never finishes (a conversion
/// starved of CPU at the idle priority) until it is cancelled.
final class StallingEngine: OfficeEngine {
    let stalled = Mutex(0)
    let stopped = Mutex(0)
    let office = LibreOfficeEngine()
    var name: String { "stalling" }
    var missingTools: [String] { office.missingTools }

    func convert(_ input: URL, to ext: String, scratch: URL) async throws -> URL {
        guard ConversionPriority.current == .background else {
            return try await office.convert(input, to: ext, scratch: scratch)
        }
        stalled.withLock { $0 += 1 }
        do {
            try await Task.sleep(for: .seconds(120))
        } catch {
            stopped.withLock { $0 += 1 }
            throw error
        }
        throw ConversionError.timedOut(.seconds(120))
    }
}
