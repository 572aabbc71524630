import ArgumentParser
import FolioCore
import FolioServer
import FolioStores
import Foundation

struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check a configuration end to end and say what is wrong and how to fix it.",
        discussion: "Takes the same options and environment as `serve`. Exit status 0 only when all is well.")

    @OptionGroup var data: DataOptions
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the findings as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let settings = try data.settings()
            let configuration = try server.configuration(settings)
            let folder = data.folder(settings)
            let database = try data.database(settings)
            let blobs = try data.blobs(settings) ?? .directory(path: folder.blobsPath)
            var spaces: [Space] = []
            for location in try data.spaces(settings) { spaces.append(try await location.open()) }
            let findings = await Doctor(
                data: folder, databaseName: database?.description ?? "SQLite",
                checkDatabase: {
                    try await folder.open(database: database, secretFile: data.secretFile(settings)).maintenance.ping()
                },
                blobsName: blobs.description, checkBlobs: { try await blobs.open().checkWritable() },
                configuration: configuration, spaces: spaces
            ).run()
            if json {
                try printJSON(findings)
            } else {
                for finding in findings {
                    let mark =
                        switch finding.level {
                        case .ok: "ok  "
                        case .warning: "warn"
                        case .failure: "FAIL"
                        }
                    print("\(mark)  \(finding.subject): \(finding.message)")
                    if let fix = finding.fix, finding.level != .ok || finding.subject.hasSuffix("allow-list") {
                        print("      → \(fix)")
                    }
                }
            }
            if findings.contains(where: { $0.level == .failure }) { throw ExitCode.failure }
        }
    }
}
