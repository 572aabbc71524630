import FolioCore
import Foundation
import Logging
import NIOCore
import Synchronization
import WOPI
import _NIOFileSystem

/// PDFs, thumbnails and conversions of a file's versions: each made once per content (by its
/// SHA-256) in the sandbox, kept in the blob store and shared by every version with the same
/// bytes; a document that cannot be converted is remembered as such for that content.
public struct PreviewService: Sendable {
    public let folio: Folio
    public let converter: OfficeConverter
    public let pool: ConversionPool
    let logger: Logger
    /// Thumbnails being made in the background, by content and kind.
    let background = BackgroundWork()

    public init(folio: Folio, converter: OfficeConverter = OfficeConverter(), pool: ConversionPool, logger: Logger) {
        self.folio = folio
        self.converter = converter
        self.pool = pool
        self.logger = logger
    }

    /// Extensions LibreOffice opens (documents, spreadsheets, presentations).
    public static let previewable: Set<String> = [
        "docx", "docm", "dotx", "doc", "dot", "odt", "ott", "rtf", "txt", "xlsx", "xlsm", "xltx", "xls", "xlt", "ods",
        "ots", "csv", "pptx", "pptm", "potx", "ppt", "pps", "ppsx", "odp", "otp", "pdf",
    ]

    /// What each family converts to.
    public static func conversions(for ext: String) -> [String] {
        switch ext {
        case "doc", "dot", "rtf", "txt", "docm", "dotx": ["docx", "odt"]
        case "docx": ["odt"]
        case "odt", "ott": ["docx"]
        case "xls", "xlt", "csv", "xlsm", "xltx": ["xlsx", "ods"]
        case "xlsx": ["ods"]
        case "ods", "ots": ["xlsx"]
        case "ppt", "pps", "pptm", "potx", "ppsx": ["pptx", "odp"]
        case "pptx": ["odp"]
        case "odp", "otp": ["pptx"]
        default: []
        }
    }

    public struct Made: Sendable {
        public var content: DerivedContent
        public var reader: BlobReader
    }

    /// The version as a PDF.
    public func pdf(of version: Version, fileName: String) async throws -> Made {
        let made = try await pdfContent(of: version, fileName: fileName)
        return Made(content: made, reader: try await folio.blobs.open(made.blobKey ?? "", range: nil))
    }

    /// The version's PDF as kept (made now if it was not).
    func pdfContent(of version: Version, fileName: String) async throws -> DerivedContent {
        try await derive(version, kind: "pdf", fileName: fileName) { input, scratch in
            try await converter.convert(input, to: .pdf, scratch: scratch)
        }
    }

    /// The version's first page as a PNG, made from its PDF.
    public func thumbnail(of version: Version, fileName: String, size: Int) async throws -> Made {
        guard (16...2048).contains(size) else { throw FolioError.badRequest("a thumbnail is 16 to 2048 pixels") }
        let made = try await fromPDF(of: version, fileName: fileName, kind: "thumbnail-\(size)") { input, scratch, _ in
            try await converter.convert(input, to: .thumbnail(size: size), scratch: scratch)
        }
        return Made(content: made, reader: try await folio.blobs.open(made.blobKey ?? "", range: nil))
    }

    /// Page `number` of the version (from its PDF) as a PNG `width` pixels wide.
    public func page(of version: Version, fileName: String, number: Int, width: Int) async throws -> Made {
        let made = try await fromPDF(of: version, fileName: fileName, kind: "page-\(number)-\(width)") {
            input, scratch, pdf in
            guard number <= pdf.pages ?? Int.max else { throw FolioError.notFound("no page \(number)") }
            return try await converter.convert(input, to: .page(number, width: width), scratch: scratch)
        }
        return Made(content: made, reader: try await folio.blobs.open(made.blobKey ?? "", range: nil))
    }

    /// Content made from the version's PDF. The PDF is made (or found) first, outside the
    /// worker this one then takes: a job holding a worker while it waited for another would
    /// deadlock the pool once every worker did so.
    func fromPDF(
        of version: Version, fileName: String, kind: String,
        make: @escaping @Sendable (URL, URL, DerivedContent) async throws -> URL
    ) async throws -> DerivedContent {
        if let known = try await folio.derived.derived(sha256: version.sha256, kind: kind), known.blobKey != nil {
            return known
        }
        let pdf = try await pdfContent(of: version, fileName: fileName)
        return try await derive(version, kind: kind, fileName: fileName, from: pdf) { input, scratch in
            try await make(input, scratch, pdf)
        }
    }

    /// The thumbnail if it was made already; otherwise it is made in the background (when a
    /// worker is free) and nil comes back at once: listings never wait for the engine.
    public func thumbnailIfMade(of version: Version, fileName: String, size: Int) async throws -> Made? {
        if let known = try await folio.derived.derived(sha256: version.sha256, kind: "thumbnail-\(size)"),
            let key = known.blobKey
        {
            return Made(content: known, reader: try await folio.blobs.open(key, range: nil))
        }
        let load = await pool.load
        // One background make per content: a listing seen by several people (or a page reloaded)
        // asks again while the first is still being made.
        let key = Hex.lowercase(version.sha256) + "/thumbnail-\(size)"
        if load.queued < pool.queueLimit / 2 {
            background.start(key) {
                do {
                    _ = try await ConversionPriority.$current.withValue(.background) {
                        try await thumbnail(of: version, fileName: fileName, size: size)
                    }
                } catch ConversionError.timedOut {
                    // Not remembered (see `produce`): the listing leaves it for a while rather
                    // than start it again at every visit.
                    background.rest(key, for: .seconds(3600))
                } catch is ConversionError, is CancellationError {
                    // Said where it happened (produce), and remembered when it is the document's;
                    // or the server is stopping.
                } catch {
                    logger.warning(
                        "a thumbnail asked for by a listing was not made",
                        metadata: ["sha256": "\(Hex.lowercase(version.sha256))", "error": "\(error)"])
                }
            }
        }
        return nil
    }

    /// What a stopping server waits for: thumbnails under way in the background are cancelled
    /// (their sandboxes killed, their scratch folders removed) and awaited.
    public func stopBackground() async {
        await background.stop()
    }

    /// A new file beside the session's, holding its current version in another format
    /// ("report.doc" → "report.docx"), made by the user (who needs the edit role on the folder).
    public func convert(_ session: FileSession, to ext: String) async throws -> StoredFile {
        let (base, fromExt) = FileName.splitExtension(session.file.name)
        let from = String(fromExt.dropFirst()).lowercased()
        let targets = Self.conversions(for: from)
        // Unprocessable rather than malformed: the format is one Folio knows, not for this file.
        guard targets.contains(ext) else {
            throw ConversionError.failed(
                targets.isEmpty
                    ? ".\(from) files cannot be converted"
                    : ".\(from) files convert to \(targets.map { "." + $0 }.joined(separator: " or ")), not .\(ext)")
        }
        guard !folio.isSpaceFile(session.file) else {
            throw ConversionError.failed("documents in a space cannot be converted yet")
        }
        _ = try await folio.folderAccess(session.file.folderID, user: session.user)
        guard let version = try await folio.files.versions(fileID: session.file.id).last else {
            throw FolioError.notFound("the file has no content")
        }
        return try await produce(version, kind: ext, fileName: session.file.name) { input, scratch in
            try await converter.convert(input, to: .format(ext), scratch: scratch)
        } consume: { output in
            try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(output.path)) { handle in
                try await folio.upload(
                    handle.readChunks(), expectedSize: nil, name: base + "." + ext, folderID: session.file.folderID,
                    user: session.user)
            }
        }
    }

    /// The content `kind` of the version: from the cache, or made now and kept.
    func derive(
        _ version: Version, kind: String, fileName: String, from pdf: DerivedContent? = nil,
        make: @escaping @Sendable (URL, URL) async throws -> URL
    ) async throws -> DerivedContent {
        if let known = try await folio.derived.derived(sha256: version.sha256, kind: kind), known.blobKey != nil {
            return known
        }
        let made = try await produce(version, kind: kind, fileName: fileName, from: pdf, make: make) { output in
            let blob = try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(output.path)) { handle in
                try await folio.blobs.write(handle.readChunks(), maxBytes: 1 << 32, expectedSize: nil)
            }
            var pages: Int?
            if kind == "pdf" { pages = try? await converter.pages(of: output) }
            return DerivedContent(
                sha256: version.sha256, kind: kind, blobKey: blob.key, size: blob.size, pages: pages,
                createdAt: folio.now())
        }
        let kept = try await folio.derived.recordDerived(made)
        // Another instance made it at the same moment: theirs is kept, this blob goes.
        if kept.blobKey != made.blobKey, let key = made.blobKey { try? await folio.blobs.remove(key) }
        return kept
    }

    /// Makes `kind` of the version in the pool, in a scratch folder of its own (from the
    /// version, or from its `pdf` when given), and hands the result to `consume` before the
    /// folder goes. A failure is remembered for that content (and said again without trying on
    /// later asks); a full queue is not, nor a background conversion's timeout.
    func produce<T: Sendable>(
        _ version: Version, kind: String, fileName: String, from pdf: DerivedContent? = nil,
        make: @escaping @Sendable (URL, URL) async throws -> URL,
        consume: @escaping @Sendable (URL) async throws -> T
    ) async throws -> T {
        if let known = try await folio.derived.derived(sha256: version.sha256, kind: kind), known.blobKey == nil {
            throw ConversionError.failed(known.failure ?? "this content could not be converted")
        }
        guard version.hasContent else { throw FolioError.notFound("the content of this version is not kept") }
        let ext = String(FileName.splitExtension(fileName).ext.dropFirst()).lowercased()
        guard Self.previewable.contains(ext) else {
            throw ConversionError.failed(".\(ext) files cannot be previewed or converted")
        }
        let started = ContinuousClock.now
        do {
            let result = try await pool.run {
                let scratch = try ConversionScratch.make()
                defer {
                    do { try FileManager.default.removeItem(at: scratch) } catch {
                        logger.warning(
                            "a conversion's scratch folder could not be removed",
                            metadata: ["folder": "\(scratch.path)", "error": "\(error)"])
                    }
                }
                let input: URL
                if let key = pdf?.blobKey {
                    input = scratch.appendingPathComponent("document.pdf")
                    try await save(try await folio.blobs.open(key, range: nil), to: input)
                } else {
                    input = scratch.appendingPathComponent("document." + ext)
                    try await save(try await folio.openVersion(version), to: input)
                }
                return try await consume(try await make(input, scratch))
            }
            PreviewMetrics.converted(kind: kind, result: "ok", duration: started.duration(to: .now))
            return result
        } catch ConversionError.busy {
            PreviewMetrics.converted(kind: kind, result: "busy", duration: .zero)
            throw ConversionError.busy
        } catch ConversionError.preempted {
            PreviewMetrics.converted(kind: kind, result: "preempted", duration: started.duration(to: .now))
            logger.debug("a background conversion made room for a person's", metadata: ["kind": "\(kind)"])
            throw ConversionError.preempted
        } catch let error as ConversionError where error.isTransient {
            PreviewMetrics.converted(kind: kind, result: "unavailable", duration: started.duration(to: .now))
            logger.warning("conversion engine unavailable", metadata: ["kind": "\(kind)", "error": "\(error)"])
            throw error
        } catch ConversionError.timedOut(let limit) where ConversionPriority.current == .background {
            // At the lowest priority on a busy machine the time says nothing of the document:
            // not remembered, so the conversion someone asks for later gets its full chance.
            PreviewMetrics.converted(kind: kind, result: "timeout", duration: started.duration(to: .now))
            logger.info("a background conversion ran out of time", metadata: ["kind": "\(kind)"])
            throw ConversionError.timedOut(limit)
        } catch let error as ConversionError {
            PreviewMetrics.converted(kind: kind, result: "failed", duration: started.duration(to: .now))
            logger.warning("conversion failed", metadata: ["kind": "\(kind)", "error": "\(error)"])
            _ = try await folio.derived.recordDerived(
                DerivedContent(
                    sha256: version.sha256, kind: kind, blobKey: nil, size: 0, failure: error.description,
                    createdAt: folio.now()))
            throw error
        }
    }

    func save(_ reader: BlobReader, to file: URL) async throws {
        try await FileSystem.shared.withFileHandle(
            forWritingAt: FilePath(file.path), options: .newFile(replaceExisting: true)
        ) { handle in
            var writer = handle.bufferedWriter()
            try await reader.read { try await writer.write(contentsOf: $0) }
            try await writer.flush()
        }
    }
}
