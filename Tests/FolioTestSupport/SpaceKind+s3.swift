import FolioCore
import FolioS3
import Foundation

extension SpaceKind {
    /// A bucket joins when `FOLIO_TEST_S3_URL` names one (tests/spaces/s3.sh starts a Ceph
    /// gateway), credentials in `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`; each space is
    /// a fresh random prefix of it.
    package static var s3: SpaceKind? {
        guard BlobStoreKind.bucketURL != nil else { return nil }
        return SpaceKind("s3") { try makeS3Space() }
    }
}

/// A new, empty space in the test bucket: a prefix no other test uses.
package func makeS3Space() throws -> S3SpaceConnector {
    guard let url = BlobStoreKind.bucketURL else { throw FolioError.storage("FOLIO_TEST_S3_URL is not set") }
    var location = try BucketLocation(url: url)
    location.prefix += "space-" + StoreKind.schemaSuffix() + "/"
    return S3SpaceConnector(
        client: S3Client(
            location: location, credentials: try AWSCredentials(environment: ProcessInfo.processInfo.environment)))
}
