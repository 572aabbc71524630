import Crypto
import FolioCore
import Foundation

/// Signs a request as docs/connector-contract.md says: HMAC-SHA256 with the shared secret over
/// `v1`, the method, the request target as sent, the Unix time and the body's SHA-256. The body
/// is signed through its hash, so it can be streamed (Folio knows a document's hash before it
/// sends a byte) and the application checks the hash once the body has arrived.
public struct HTTPSpaceSigner: Sendable {
    let key: SymmetricKey

    public static let emptySHA256 = hex(SHA256.hash(data: [UInt8]()))

    public init(secret: String) {
        key = SymmetricKey(data: Array(secret.utf8))
    }

    /// The `X-Folio-Signature` value.
    public func signature(method: String, target: String, timestamp: Int, contentSHA256: String) -> String {
        let message = ["v1", method, target, String(timestamp), contentSHA256].joined(separator: "\n")
        return "v1=" + Self.hex(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: key))
    }

    /// The three signing headers of a request made at `timestamp` (Unix seconds).
    public func headers(method: String, target: String, contentSHA256: String, timestamp: Int) -> [(String, String)] {
        [
            ("X-Folio-Timestamp", String(timestamp)),
            ("X-Folio-Content-SHA256", contentSHA256),
            (
                "X-Folio-Signature",
                signature(method: method, target: target, timestamp: timestamp, contentSHA256: contentSHA256)
            ),
        ]
    }

    public static func hex(_ bytes: some Sequence<UInt8>) -> String { Hex.lowercase(bytes) }
}
