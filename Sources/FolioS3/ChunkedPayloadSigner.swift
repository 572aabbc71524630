import Crypto
import Foundation
import NIOCore

/// Signs a body sent as `aws-chunked` (AWS's "chunked upload"): every chunk carries the
/// signature of its bytes chained to the one before, starting from the request's own
/// signature. So a body of known length streams out as it arrives, signed, without being held
/// or read twice; the gateway checks each chunk and refuses a body that was altered on the way.
public struct ChunkedPayloadSigner: Sendable {
    /// The `x-amz-content-sha256` of a request whose body is signed chunk by chunk.
    public static let streamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
    /// Bytes per chunk (AWS: at least 8 KiB, 64 KiB recommended); the last may be shorter.
    public static let chunkSize = 65_536
    static let emptyHash = Hashing.sha256Hex(Data())
    static let signatureMarker = ";chunk-signature="

    let key: SymmetricKey
    let prefix: String
    /// The signature the next chunk chains to: the request's, then each chunk's in turn.
    public private(set) var previous: String

    public init(signer: SignatureV4, date: Date, seedSignature: String) {
        key = SymmetricKey(data: signer.signingKey(date: date))
        prefix =
            "AWS4-HMAC-SHA256-PAYLOAD\n\(SigningDate(date).timestamp)\n\(signer.credentialScope(date: date))\n"
        previous = seedSignature
    }

    /// The signature of the next chunk (empty for the final one), chained to the last.
    public mutating func sign(_ chunk: UnsafeRawBufferPointer) -> String {
        let stringToSign = prefix + previous + "\n" + Self.emptyHash + "\n" + Hashing.hex(SHA256.hash(data: chunk))
        previous = Hashing.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key))
        return previous
    }

    /// The line that goes before a chunk's bytes: `hex-size;chunk-signature=SIG\r\n`.
    public mutating func header(for chunk: ByteBuffer) -> String {
        let signature = chunk.withUnsafeReadableBytes { sign($0) }
        return String(chunk.readableBytes, radix: 16) + Self.signatureMarker + signature + "\r\n"
    }

    /// The `Content-Length` of a `payload`-byte body sent in `chunkSize` chunks: every chunk's
    /// header and CRLF, and the empty final chunk.
    public static func encodedLength(payload: Int64, chunkSize: Int = chunkSize) -> Int64 {
        func framing(_ size: Int64) -> Int64 {
            Int64(String(size, radix: 16).utf8.count + signatureMarker.utf8.count + 64 + 2 + 2)
        }
        let full = payload / Int64(chunkSize)
        let rest = payload % Int64(chunkSize)
        return payload + full * framing(Int64(chunkSize)) + (rest > 0 ? framing(rest) : 0) + framing(0)
    }
}
