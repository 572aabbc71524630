import FolioS3
import Foundation
import NIOCore
import Testing

/// AWS's published chunked-upload example ("Signature Calculations for the Authorization
/// Header: Transferring Payload in Multiple Chunks"): 66 560 bytes of "a" in a 64 KiB chunk, a
/// 1 KiB chunk and the empty final one, with the signatures AWS documents.
@Suite struct ChunkedPayloadTests {
    static let signer = SignatureV4(
        credentials: AWSCredentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    static let date = Date(timeIntervalSince1970: 1_369_353_600)  // 20130524T000000Z

    @Test func seedSignatureMatchesAWS() throws {
        let added = try #require(
            Self.signer.sign(
                method: "PUT", url: URL(string: "https://s3.amazonaws.com/examplebucket/chunkObject.txt")!,
                headers: [
                    ("x-amz-storage-class", "REDUCED_REDUNDANCY"), ("content-encoding", "aws-chunked"),
                    ("content-length", "66824"), ("x-amz-decoded-content-length", "66560"),
                ], payloadHash: ChunkedPayloadSigner.streamingPayload, date: Self.date))
        let authorization = try #require(added.first { $0.name == "Authorization" }?.value)
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                + "x-amz-decoded-content-length;x-amz-storage-class, "
                + "Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
    }

    @Test func chunkSignaturesChainAsAWSDocuments() {
        var chunks = ChunkedPayloadSigner(
            signer: Self.signer, date: Self.date,
            seedSignature: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
        let first = chunks.header(for: ByteBuffer(repeating: UInt8(ascii: "a"), count: 65_536))
        #expect(first == "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n")
        let second = chunks.header(for: ByteBuffer(repeating: UInt8(ascii: "a"), count: 1024))
        #expect(second == "400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n")
        let last = chunks.header(for: ByteBuffer())
        #expect(last == "0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n")
    }

    @Test func encodedLengthCountsEveryFrame() {
        #expect(ChunkedPayloadSigner.encodedLength(payload: 66_560) == 66_824)
        // Only the final chunk: "0;chunk-signature=<64>\r\n\r\n".
        #expect(ChunkedPayloadSigner.encodedLength(payload: 0) == 86)
        // Exactly one full chunk, then the final one.
        #expect(ChunkedPayloadSigner.encodedLength(payload: 65_536) == 65_536 + 90 + 86)
    }
}
