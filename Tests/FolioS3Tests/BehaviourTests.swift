import FolioS3
import Foundation
import Testing

/// Behaviour the published vectors do not pin down. No expected signatures here: only
/// properties of the canonical form and of the credentials' printing.
@Suite struct BehaviourTests {
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        sessionToken: "TOKEN123")
    static let date = Date(timeIntervalSince1970: 1_440_938_160)

    @Test func credentialsNeverPrintSecrets() {
        var dumped = ""
        dump(Self.credentials, to: &dumped)
        for text in [
            Self.credentials.description, Self.credentials.debugDescription, "\(Self.credentials)", dumped,
            String(reflecting: Self.credentials),
        ] {
            #expect(!text.contains("wJalrXUtnFEMI"))
            #expect(!text.contains("TOKEN123"))
            #expect(text.contains("AKIDEXAMPLE"))
        }
    }

    static func canonicalURI(_ signer: SignatureV4, path: String) -> Substring {
        let creq = signer.canonicalRequest(
            method: "GET", target: RequestTarget(host: "h", path: path), headers: [],
            payloadHash: SignatureV4.unsignedPayload, date: date)
        return creq.split(separator: "\n", omittingEmptySubsequences: false)[1]
    }

    @Test func s3PathIsEncodedOnceAndNotNormalised() {
        let s3 = SignatureV4(credentials: Self.credentials, region: "us-east-1")
        #expect(Self.canonicalURI(s3, path: "/a%20b/./c//d/../e%2Ff") == "/a%20b/./c//d/../e%2Ff")
        #expect(Self.canonicalURI(s3, path: "/caf%C3%A9+(1).txt") == "/caf%C3%A9%2B%281%29.txt")
    }

    @Test func genericPathIsNormalisedAndDoubleEncoded() {
        let generic = SignatureV4(credentials: Self.credentials, region: "us-east-1", service: "service")
        #expect(Self.canonicalURI(generic, path: "/a%20b/./c//d/../e") == "/a%2520b/c/e")
    }

    @Test func urlPortIsKeptOnlyWhenNotDefault() {
        #expect(RequestTarget(url: URL(string: "https://h.example:443/x")!)?.host == "h.example")
        #expect(RequestTarget(url: URL(string: "http://127.0.0.1:9000/b/k?x=1")!)?.host == "127.0.0.1:9000")
        #expect(RequestTarget(url: URL(string: "http://127.0.0.1:9000")!)?.path == "/")
        #expect(RequestTarget(url: URL(string: "http://127.0.0.1:9000/b/k?x=1")!)?.query == "x=1")
    }

    @Test func signerHeadersReplaceCallerCopiesAndTokenIsSigned() {
        let s3 = SignatureV4(credentials: Self.credentials, region: "us-east-1")
        let creq = s3.canonicalRequest(
            method: "get", target: RequestTarget(host: "h", path: "/k", query: "b=2&a=&c"),
            headers: [("X-Amz-Date", "19990101T000000Z"), ("X-Custom", "  x  y  ")],
            payloadHash: SignatureV4.unsignedPayload, date: Self.date)
        #expect(
            creq
                == "GET\n/k\na=&b=2&c=\nhost:h\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20150830T123600Z\n"
                + "x-amz-security-token:TOKEN123\nx-custom:x y\n\n"
                + "host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-custom\nUNSIGNED-PAYLOAD")
        let added = s3.sign(
            method: "GET", target: RequestTarget(host: "h", path: "/k"), headers: [],
            payloadHash: SignatureV4.unsignedPayload, date: Self.date)
        #expect(added.map(\.name) == ["Authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"])
    }

    @Test func presignedQueryCarriesTokenAndKeepsExistingQuery() {
        let s3 = SignatureV4(credentials: Self.credentials, region: "us-east-1")
        let query = s3.presignedQuery(
            method: "GET", target: RequestTarget(host: "h", path: "/k", query: "partNumber=1"), expiresInSeconds: 60,
            date: Self.date)
        #expect(query.hasPrefix("partNumber=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&"))
        #expect(query.contains("&X-Amz-Security-Token=TOKEN123&"))
        #expect(query.contains("&X-Amz-SignedHeaders=host&"))
    }
}
