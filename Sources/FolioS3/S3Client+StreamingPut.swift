import AsyncHTTPClient
import FolioCore
import Foundation
import NIOCore

extension S3Client {
    /// Objects up to this size go up as one streamed PUT (S3's limit for a single PUT).
    public static let singlePutLimit: Int64 = 5 * 1024 * 1024 * 1024

    /// Streams exactly `size` bytes of `content` into `key` as one PUT with an `aws-chunked`
    /// body: one request whatever the size, one 64 KiB chunk in memory, every chunk signed.
    /// Returns the payload's SHA-256. Content that ends early or runs long fails the request
    /// before its final chunk, so nothing is stored.
    public func putObject<Content: AsyncSequence & Sendable>(_ key: String, size: Int64, streaming content: Content)
        async throws -> [UInt8] where Content.Element == ByteBuffer
    {
        let target = url(key: key, query: [])
        let date = Date()
        let signed: [(String, String)] = [
            ("content-encoding", "aws-chunked"),
            ("content-length", "\(ChunkedPayloadSigner.encodedLength(payload: size))"),
            ("x-amz-decoded-content-length", "\(size)"),
        ]
        let signer = SignatureV4(credentials: credentials, region: location.region)
        guard let requestURL = URL(string: target),
            let added = signer.sign(
                method: "PUT", url: requestURL, headers: signed.map { (name: $0.0, value: $0.1) },
                payloadHash: ChunkedPayloadSigner.streamingPayload, date: date),
            let authorization = added.first(where: { $0.name == "Authorization" })?.value,
            let seed = authorization.components(separatedBy: "Signature=").last
        else { throw S3Error.malformed("cannot sign a request to \(target)") }
        var request = HTTPClientRequest(url: target)
        request.method = .PUT
        for (name, value) in signed where name != "content-length" { request.headers.add(name: name, value: value) }
        for header in added { request.headers.add(name: header.name, value: header.value) }
        let digest = ChunkedBody<Content>.Digest()
        let body = ChunkedBody(
            source: content, size: size, signer: ChunkedPayloadSigner(signer: signer, date: date, seedSignature: seed),
            digest: digest)
        request.body = .stream(body, length: .known(ChunkedPayloadSigner.encodedLength(payload: size)))
        do {
            let response = try await execute(request, operation: "PUT \(key)", deadline: transferTimeout)
            _ = try await response.body.collect(upTo: 64 * 1024)
        } catch {
            // The content's own failure, not the store's: the client went away, or sent too little.
            if let failure = digest.failure.withLock({ $0 }) { throw failure }
            throw error
        }
        return digest.bytes
    }
}
