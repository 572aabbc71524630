import FolioS3
import Foundation
import Testing

/// AWS's generic test suite: service "service", path normalised and double-encoded.
@Suite struct SuiteTests {
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    static func signer(token: String?) -> SignatureV4 {
        SignatureV4(
            credentials: AWSCredentials(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                sessionToken: token),
            region: "us-east-1", service: "service")
    }

    @Test(arguments: suiteVectors)
    func vector(_ vector: SuiteVector) {
        let request = RawRequest(vector.req)
        // post-sts-header-before: the token travels in the credentials, as it would in use.
        let signer = Self.signer(token: request.header("x-amz-security-token"))
        let payloadHash = SignatureV4.payloadHash(Data(request.body.utf8))

        let creq = signer.canonicalRequest(
            method: request.method, target: request.target, headers: request.headers, payloadHash: payloadHash,
            date: Self.date)
        #expect(creq == vector.creq)

        let sts = signer.stringToSign(canonicalRequest: creq, date: Self.date)
        #expect(sts == vector.sts)

        let signature = signer.signature(stringToSign: sts, date: Self.date)
        #expect(vector.authz.hasSuffix("Signature=\(signature)"))

        let added = signer.sign(
            method: request.method, target: request.target, headers: request.headers, payloadHash: payloadHash,
            date: Self.date)
        #expect(added.first { $0.name == "Authorization" }?.value == vector.authz)
        #expect(added.first { $0.name == "x-amz-date" }?.value == "20150830T123600Z")
        #expect(added.first { $0.name == "x-amz-security-token" }?.value == request.header("x-amz-security-token"))
        // Not S3, so no content hash header.
        #expect(!added.contains { $0.name == "x-amz-content-sha256" })
    }
}

/// The worked examples in Amazon S3's "Signature Calculations for the Authorization Header:
/// Transferring Payload in a Single Chunk" and "Authenticating Requests: Using Query Parameters".
@Suite struct S3ExampleTests {
    static let date = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
    static let emptyHash = SignatureV4.payloadHash(Data())
    static let signer = SignatureV4(
        credentials: AWSCredentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")

    static func signature(_ headers: [SignatureV4.Header]) -> Substring? {
        headers.first { $0.name == "Authorization" }?.value.split(separator: "Signature=").last
    }

    @Test func getObject() {
        let target = RequestTarget(host: "examplebucket.s3.amazonaws.com", path: "/test.txt")
        let headers: [SignatureV4.Header] = [("Range", "bytes=0-9")]
        let creq = Self.signer.canonicalRequest(
            method: "GET", target: target, headers: headers, payloadHash: Self.emptyHash, date: Self.date)
        #expect(
            creq
                == "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
                + "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                + "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let sts = Self.signer.stringToSign(canonicalRequest: creq, date: Self.date)
        #expect(
            sts
                == "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                + "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972")
        #expect(
            Self.signer.signature(stringToSign: sts, date: Self.date)
                == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")

        let url = URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!
        let added = Self.signer.sign(
            method: "GET", url: url, headers: headers, payloadHash: Self.emptyHash, date: Self.date)
        #expect(
            added?.first { $0.name == "Authorization" }?.value
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(added?.first { $0.name == "x-amz-content-sha256" }?.value == Self.emptyHash)
        #expect(added?.first { $0.name == "x-amz-date" }?.value == "20130524T000000Z")
        #expect(added?.contains { $0.name == "x-amz-security-token" } == false)
    }

    // The key is "test$file.text": S3 mode must encode "$" once, to %24, on a single pass.
    @Test func putObject() {
        let body = Data("Welcome to Amazon S3.".utf8)
        let payloadHash = SignatureV4.payloadHash(body)
        #expect(payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let url = URL(string: "https://examplebucket.s3.amazonaws.com/test%24file.text")!
        let added = Self.signer.sign(
            method: "PUT", url: url,
            headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")],
            payloadHash: payloadHash, date: Self.date)
        let authorization = added?.first { $0.name == "Authorization" }?.value ?? ""
        #expect(authorization.contains("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"))
        #expect(Self.signature(added ?? []) == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func getBucketLifecycle() {
        let url = URL(string: "https://examplebucket.s3.amazonaws.com/?lifecycle")!
        let added = Self.signer.sign(method: "GET", url: url, headers: [], payloadHash: Self.emptyHash, date: Self.date)
        let authorization = added?.first { $0.name == "Authorization" }?.value ?? ""
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date,"))
        #expect(Self.signature(added ?? []) == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func getBucketListObjects() {
        let url = URL(string: "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J")!
        let added = Self.signer.sign(method: "GET", url: url, headers: [], payloadHash: Self.emptyHash, date: Self.date)
        #expect(Self.signature(added ?? []) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func presignedGetObject() {
        let url = URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!
        let presigned = Self.signer.presignedURL(method: "GET", url: url, expiresInSeconds: 86_400, date: Self.date)
        #expect(
            presigned?.absoluteString
                == "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
                + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }
}
