import ArgumentParser
import FolioCore
import FolioS3
import FolioStores
import Foundation

struct BlobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blobs", abstract: "Move an installation's content.", subcommands: [MigrateBlobs.self])
}

struct MigrateBlobs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Copy every blob of a folder installation into a bucket.",
        discussion: """
            Each blob keeps its key and is read back and checked by SHA-256. Stopped, it can be run \
            again: what is already in the bucket is skipped. Then start Folio with --blobs naming \
            the bucket; the folder's blobs can go once it serves from the bucket.
            """)

    @OptionGroup var data: DataOptions
    @Option(
        help:
            "The bucket: s3://BUCKET[/PREFIX]?endpoint=URL[&region=R] (credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)."
    )
    var to: String
    @Flag(help: "Print the report as JSON.") var json = false

    func run() async throws {
        try await reportingErrors {
            guard case .bucket(let location) = try BlobLocation(url: to) else {
                throw FolioError.badRequest("--to names a bucket, s3://BUCKET[/PREFIX]?endpoint=URL, not \(to)")
            }
            let target = S3BlobStore(
                client: S3Client(
                    location: location,
                    credentials: try AWSCredentials(environment: ProcessInfo.processInfo.environment)))
            let migration = try BlobMigration(folio: try await data.open(), target: target)
            let report = try await migration.run { line in
                FileHandle.standardError.write(Data("blobs migrate: \(line)\n".utf8))
            }
            if json {
                try printJSON(report)
            } else {
                print(
                    "\(report.copied) blobs copied (\(report.bytesCopied) bytes) and checked, "
                        + "\(report.alreadyThere) already there, of \(report.blobs)")
            }
        }
    }
}
