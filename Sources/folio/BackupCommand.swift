import ArgumentParser
import FolioCore
import FolioSQLite
import Foundation

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the installation, consistently, also while a server runs on it.",
        discussion: "The copy is itself a data folder; `folio restore` puts it back.")

    @OptionGroup var data: DataOptions
    @Argument(help: "A new (or empty) folder for the backup.") var destination: String
    @Flag(help: "Re-read every copied blob and check its size and SHA-256.") var verify = false
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            try refusePostgres(data)
            let report = try Backup(source: try data.folder).run(to: destination, verify: verify) { line in
                FileHandle.standardError.write(Data("backup: \(line)\n".utf8))
            }
            if json {
                try printJSON(report)
            } else {
                print(
                    "backed up \(report.versions) versions in \(report.blobs) blobs (\(report.bytes) bytes) to \(destination)"
                )
            }
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup into a new data folder (--data), checking every blob.")

    @OptionGroup var data: DataOptions
    @Argument(help: "The backup folder.") var backup: String
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            try refusePostgres(data)
            let target = try data.folder
            let report = try Backup.restore(from: backup, into: target.path) { line in
                FileHandle.standardError.write(Data("restore: \(line)\n".utf8))
            }
            if json {
                try printJSON(report)
            } else {
                print("restored \(report.versions) versions in \(report.blobs) blobs into \(target.path)")
            }
        }
    }
}

/// Backups copy the SQLite file with the blobs. A PostgreSQL installation is backed up with
/// the database's own tools; saying so beats copying a folder that holds no metadata.
/// Content in a bucket is not in the folder either: a backup of the folder alone would hold
/// no content, so it is refused too.
func refusePostgres(_ data: DataOptions) throws {
    let settings = try data.settings()
    if case .postgres = try data.database(settings) {
        throw FolioError.badRequest(
            "backup and restore copy a SQLite installation; with PostgreSQL use pg_dump (or the database's own backups) and copy the data folder's blobs/ and secret.key (docs/deployment.md)"
        )
    }
    if case .bucket(let location) = try data.blobs(settings) {
        throw FolioError.badRequest(
            "backup and restore copy the blob folder, but the content is in \(location); back up the bucket with the object store's own tools (versioning, replication) and the database with its own"
        )
    }
}
