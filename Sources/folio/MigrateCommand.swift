import ArgumentParser
import FolioCore
import FolioStores
import Foundation

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move an installation's metadata from SQLite to PostgreSQL, with all history.",
        discussion: """
            Stop Folio first. The blobs and the secret stay in the data folder; afterwards start \
            Folio with the same --data and --database set to the --to URL. The target must be \
            empty; on any error it stays empty. Progress goes to standard error, the row counts \
            to standard output (JSON with --json).
            """)

    @OptionGroup var data: DataOptions
    @Option(help: "The SQLite database, sqlite://PATH (default: the data folder's folio.sqlite).") var from: String?
    @Option(help: "The PostgreSQL database, postgres://USER:PASSWORD@HOST:PORT/DATABASE[?schema=NAME].")
    var to: String
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            let folder = try data.folder
            let source = try from.map { try DatabaseLocation(url: $0) } ?? .sqlite(path: folder.databasePath)
            guard case .sqlite(let path) = source else {
                throw FolioError.badRequest("--from must be a sqlite:// URL")
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw FolioError.notFound("no SQLite database at \(path)")
            }
            let target = try DatabaseLocation(url: to)
            guard case .postgres = target else { throw FolioError.badRequest("--to must be a postgres:// URL") }
            let report = try await StoreMigration.open(sqlite: path, postgres: target).run { line in
                FileHandle.standardError.write(Data("migrate: \(line)\n".utf8))
            }
            if json {
                try printJSON(report)
            } else {
                let total = report.rows.values.reduce(0, +)
                print(
                    "moved \(total) rows (\(report.rows["files"] ?? 0) files, \(report.rows["versions"] ?? 0) versions, "
                        + "\(report.rows["users"] ?? 0) users) to \(target)")
            }
        }
    }
}
