import Foundation

/// What turns an office document into a PDF or another office format: LibreOffice in the
/// sandbox, or a Collabora Online's convert-to service. Page images and thumbnails are always
/// drawn from the PDF by poppler, in the sandbox.
public protocol OfficeEngine: Sendable {
    /// How `folio doctor` and the log name it.
    var name: String { get }
    /// What this machine lacks for it, by path (none when it can run).
    var missingTools: [String] { get }
    /// Converts `input` (a file in `scratch`, named with its extension) to `ext` and returns
    /// the result's path in `scratch`. A document it cannot convert is `ConversionError.failed`
    /// (remembered for that content); an engine that cannot be reached is
    /// `ConversionError.unavailable` (tried again on the next ask).
    func convert(_ input: URL, to ext: String, scratch: URL) async throws -> URL
}

/// LibreOffice (Debian's -nogui packages), headless, in the bubblewrap sandbox.
public struct LibreOfficeEngine: OfficeEngine {
    public var sandbox: Sandbox
    public var soffice = "/usr/bin/soffice"

    public init(sandbox: Sandbox = Sandbox()) {
        self.sandbox = sandbox
    }

    public var name: String { "LibreOffice" }
    public var missingTools: [String] { sandbox.missingTools([soffice]) }

    public func convert(_ input: URL, to ext: String, scratch: URL) async throws -> URL {
        // LibreOffice refuses to write over its input: the result goes to a folder of its own.
        let out = scratch.appendingPathComponent("out", isDirectory: true)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let outcome = try await sandbox.run(
            [
                soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault", "--nofirststartwizard",
                "-env:UserInstallation=file:///tmp/profile", "--convert-to", ext, "--outdir", "/work/out",
                "/work/" + input.lastPathComponent,
            ], scratch: scratch.path)
        let result = out.appendingPathComponent(input.deletingPathExtension().lastPathComponent + "." + ext)
        try outcome.check(produced: result, what: "the .\(ext)", limit: sandbox.timeLimit)
        return result
    }
}
