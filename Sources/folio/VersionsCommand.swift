import ArgumentParser
import FolioCore
import Foundation
import WOPI

struct VersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions", abstract: "List a file's versions, or thin editors' autosaves.",
        subcommands: [VersionsListCommand.self, VersionsPruneCommand.self], defaultSubcommand: VersionsListCommand.self)
}

struct VersionsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List every version of a file, oldest first.")

    @OptionGroup var data: DataOptions
    @Argument(help: "The file id.") var fileID: String
    @Flag(help: "Print a JSON array.") var json = false

    struct Listed: Encodable {
        var number: Int64
        var size: Int64
        var sha256: String
        var author: String
        var createdAt: String
        var source: String
        var isAutosave: Bool?
        var isExitSave: Bool?
        var isModifiedByUser: Bool?
        var editors: [String]

        // Flags are written as null when the editor did not say, so every entry has one shape.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(number, forKey: .number)
            try c.encode(size, forKey: .size)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(author, forKey: .author)
            try c.encode(createdAt, forKey: .createdAt)
            try c.encode(source, forKey: .source)
            try c.encode(isAutosave, forKey: .isAutosave)
            try c.encode(isExitSave, forKey: .isExitSave)
            try c.encode(isModifiedByUser, forKey: .isModifiedByUser)
            try c.encode(editors, forKey: .editors)
        }

        enum CodingKeys: String, CodingKey {
            case number, size, sha256, author, createdAt, source, isAutosave, isExitSave, isModifiedByUser, editors
        }
    }

    func run() async throws {
        try await reportingErrors {
            let folio = try await data.open()
            guard try await folio.files.file(id: fileID) != nil else { throw FolioError.notFound("no file \(fileID)") }
            var logins: [String: String] = [:]
            var listed: [Listed] = []
            for version in try await folio.files.versions(fileID: fileID) {
                if logins[version.authorID] == nil {
                    logins[version.authorID] =
                        try await folio.accounts.user(id: version.authorID)?.login ?? version.authorID
                }
                listed.append(
                    Listed(
                        number: version.number, size: version.size,
                        sha256: version.sha256.map { String(format: "%02x", $0) }.joined(),
                        author: logins[version.authorID] ?? version.authorID,
                        createdAt: WOPITime.format(microseconds: version.createdAt), source: version.source.rawValue,
                        isAutosave: version.flags.isAutosave, isExitSave: version.flags.isExitSave,
                        isModifiedByUser: version.flags.isModifiedByUser, editors: version.editors))
            }
            if json {
                try printJSON(listed)
            } else {
                for v in listed { print("\(v.number)  \(v.createdAt)  \(v.size) bytes  \(v.source)  \(v.author)") }
            }
        }
    }
}

struct VersionsPruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Apply the version retention policy to every file now.",
        discussion:
            "Removes the autosaves version_retention no longer keeps (a running server does this in the background). Content leaves the blob store at the next `folio gc`."
    )

    @OptionGroup var data: DataOptions
    @Flag(help: "Report what would go, remove nothing.") var dryRun = false
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let policy = try data.retention(try data.settings())
            let folio = try await data.open()
            // Which files are whose space, for the spaces' own policies.
            try await folio.loadSpaces()
            let report = try await folio.applyRetention(policy, dryRun: dryRun) { line in
                FileHandle.standardError.write(Data("prune: \(line)\n".utf8))
            }
            if json {
                try printJSON(report)
            } else {
                print(
                    "\(dryRun ? "would remove" : "removed") \(report.versionsRemoved) versions (\(report.bytesRemoved) bytes) "
                        + "of \(report.filesChecked) files saved by editors; policy: \(policy)")
            }
        }
    }
}
