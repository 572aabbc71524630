import ArgumentParser
import FolioCore
import Foundation

struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Remove blobs no version refers to, and uploads a crash left half-written.",
        discussion: "Safe while a server runs on the folder: only what is older than --min-age goes.")

    @OptionGroup var data: DataOptions
    @Option(help: "Leave blobs younger than this many seconds (default 3600).") var minAge: Double = 3600
    @Flag(help: "Report what would go, remove nothing.") var dryRun = false
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let folio = try await data.open()
            let report = try await folio.collectGarbage(minimumAge: minAge, dryRun: dryRun) { line in
                FileHandle.standardError.write(Data("gc: \(line)\n".utf8))
            }
            if json {
                try printJSON(report)
            } else {
                print(
                    "\(dryRun ? "would remove" : "removed") \(report.orphansRemoved) orphan blobs and "
                        + "\(report.stagedRemoved) staged uploads, \(report.bytesFreed) bytes; "
                        + "\(report.youngOrphansKept) younger orphans kept; \(report.blobsScanned) blobs checked")
            }
        }
    }
}
