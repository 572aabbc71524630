import FolioCore
import Foundation

/// What the office engine and poppler make of a document: a PDF, a PNG of the first page, or
/// the document in another office format. Poppler always runs in the `Sandbox` (PDFs are
/// untrusted input too); the engine is LibreOffice in the sandbox unless told otherwise.
public struct OfficeConverter: Sendable {
    public enum Target: Sendable, Equatable {
        case pdf
        /// The first page (slide, sheet) as a PNG whose longer side is this many pixels.
        case thumbnail(size: Int)
        /// Another office format by its extension (docx, xlsx, pptx, odt, ods, odp).
        case format(String)
        /// One page of a PDF as a PNG this many pixels wide.
        case page(Int, width: Int)
    }

    public var sandbox: Sandbox {
        // LibreOffice runs in the same sandbox (its time limit with it).
        didSet {
            if var office = engine as? LibreOfficeEngine {
                office.sandbox = sandbox
                engine = office
            }
        }
    }
    public var engine: any OfficeEngine
    public var pdftoppm = "/usr/bin/pdftoppm"
    public var pdfinfo = "/usr/bin/pdfinfo"

    public init(sandbox: Sandbox = Sandbox(), engine: (any OfficeEngine)? = nil) {
        self.sandbox = sandbox
        self.engine = engine ?? LibreOfficeEngine(sandbox: sandbox)
    }

    /// What is missing for conversions, by path (none when they can run).
    public var missingTools: [String] {
        var missing = engine.missingTools
        for tool in sandbox.missingTools([pdftoppm, pdfinfo]) where !missing.contains(tool) { missing.append(tool) }
        return missing
    }

    /// How many pages a PDF has (poppler's pdfinfo, in the sandbox too: PDFs are input as well).
    public func pages(of pdf: URL) async throws -> Int {
        let outcome = try await sandbox.run(
            [pdfinfo, "/work/" + pdf.lastPathComponent], scratch: pdf.deletingLastPathComponent().path)
        let line = outcome.output.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        guard let count = line.flatMap({ Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }) else {
            throw ConversionError.failed("the PDF's pages could not be counted")
        }
        return count
    }

    /// Extensions LibreOffice may export to, by the family of the input.
    static let exports = ["docx", "xlsx", "pptx", "odt", "ods", "odp", "pdf"]

    /// Converts `input` (a file in `scratch`, named with its extension) and returns the result's
    /// path in `scratch`. A document that cannot be converted, or takes too long, is an error
    /// saying so.
    public func convert(_ input: URL, to target: Target, scratch: URL) async throws -> URL {
        switch target {
        case .pdf:
            return try await engine.convert(input, to: "pdf", scratch: scratch)
        case .format(let ext):
            guard Self.exports.contains(ext) else { throw FolioError.badRequest("cannot convert to .\(ext)") }
            return try await engine.convert(input, to: ext, scratch: scratch)
        case .page(let number, let width):
            guard number >= 1, (100...2400).contains(width) else { throw FolioError.badRequest("no such page size") }
            let outcome = try await sandbox.run(
                [
                    pdftoppm, "-png", "-f", String(number), "-l", String(number), "-scale-to-x", String(width),
                    "-scale-to-y", "-1", "-singlefile", "/work" + input.path.dropFirst(scratch.path.count),
                    "/work/page",
                ], scratch: scratch.path)
            let png = scratch.appendingPathComponent("page.png")
            try outcome.check(produced: png, what: "page \(number)", limit: sandbox.timeLimit)
            return png
        case .thumbnail(let size):
            guard (16...2048).contains(size) else { throw FolioError.badRequest("a thumbnail is 16 to 2048 pixels") }
            let pdf =
                input.pathExtension.lowercased() == "pdf"
                ? input : try await engine.convert(input, to: "pdf", scratch: scratch)
            let outcome = try await sandbox.run(
                [
                    pdftoppm, "-png", "-f", "1", "-l", "1", "-scale-to", String(size), "-singlefile",
                    "/work" + pdf.path.dropFirst(scratch.path.count), "/work/thumbnail",
                ], scratch: scratch.path)
            let png = scratch.appendingPathComponent("thumbnail.png")
            try outcome.check(produced: png, what: "the thumbnail", limit: sandbox.timeLimit)
            return png
        }
    }
}

extension Sandbox.Outcome {
    /// Throws unless the run made `file` (not empty) in time.
    func check(produced file: URL, what: String, limit: Duration) throws {
        if timedOut { throw ConversionError.timedOut(limit) }
        guard FileManager.default.fileExists(atPath: file.path),
            ((try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0) > 0
        else {
            let said = output.split(separator: "\n").last.map(String.init) ?? "no output"
            let ended = signalled ? "killed by signal \(status)" : "exit \(status)"
            throw ConversionError.failed("\(what) could not be made (\(ended): \(said))")
        }
    }
}

/// Why a conversion gave nothing.
public enum ConversionError: Error, Equatable, CustomStringConvertible {
    case timedOut(Duration)
    case failed(String)
    /// Every worker busy and the queue full: try again later.
    case busy
    /// The engine could not be reached or refused the work (not the document's fault): try
    /// again later; not remembered.
    case unavailable(String)
    /// A background conversion stopped to give its worker to a person (`ConversionPool`): made
    /// again later; not remembered.
    case preempted

    /// Busy, unreachable or stopped for a person: not the document's fault, so not remembered; asked again later.
    public var isTransient: Bool {
        switch self {
        case .busy, .unavailable, .preempted: true
        case .timedOut, .failed: false
        }
    }

    public var description: String {
        switch self {
        case .timedOut(let limit): "the conversion took longer than \(limit) and was stopped"
        case .failed(let reason): reason
        case .busy: "every conversion worker is busy; try again later"
        case .unavailable(let reason): reason
        case .preempted: "stopped to make room for a conversion someone is waiting for"
        }
    }
}
