import FolioCore
import FolioS3
import Foundation

/// Where an installation's content lives: a folder (the default, the data folder's `blobs/`)
/// or a bucket of an S3-compatible object store shared by every instance.
public enum BlobLocation: Sendable, Equatable, CustomStringConvertible {
    case directory(path: String)
    case bucket(BucketLocation)

    /// Reads `DIR`, `file:///DIR` or `s3://BUCKET[/PREFIX]?endpoint=URL[&region=R][&path_style=false]`.
    public init(url text: String) throws {
        if text.hasPrefix("s3://") {
            self = .bucket(try BucketLocation(url: text))
        } else if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
            guard path.hasPrefix("/") else {
                throw FolioError.badRequest("file:// needs an absolute path, e.g. file:///srv/blobs")
            }
            self = .directory(path: path)
        } else if text.contains("://") || text.isEmpty {
            throw FolioError.badRequest(
                "the blobs are a folder, file:///DIR or s3://BUCKET[/PREFIX]?endpoint=URL, not \(text)")
        } else {
            self = .directory(path: text)
        }
    }

    public var description: String {
        switch self {
        case .directory(let path): path
        case .bucket(let location): location.description
        }
    }

    /// The store at this location; a bucket takes its credentials from the environment
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`).
    public func open(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any BlobStore {
        switch self {
        case .directory(let path):
            return try DirectoryBlobStore(root: path)
        case .bucket(let location):
            return S3BlobStore(
                client: S3Client(location: location, credentials: try AWSCredentials(environment: environment)))
        }
    }
}
