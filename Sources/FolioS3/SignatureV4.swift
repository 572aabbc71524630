import Crypto
import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (header-based; see `Presigning.swift` for
/// query-based signing).
///
/// Each step is exposed so tests can compare it with AWS's published intermediate values:
/// `canonicalRequest` → `stringToSign` → `signature` → `sign`.
public struct SignatureV4: Sendable {
    public typealias Header = (name: String, value: String)

    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload-hash value that tells S3 the body is not covered by the signature.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    public var credentials: AWSCredentials
    public var region: String
    public var service: String
    /// Remove `.`/`..`/empty path segments before encoding. S3 keys may contain them, so S3 must not.
    public var normalizesPath: Bool
    /// Encode the wire path again (`%20` → `%2520`). S3 encodes the object key once.
    public var doubleEncodesPath: Bool
    /// Send and sign `x-amz-content-sha256`, which S3 requires and other services ignore.
    public var sendsContentSHA256: Bool

    /// The path and content-hash options default to what `service` needs: S3 behaviour for
    /// `"s3"`, the generic behaviour (and the AWS test suite's) for anything else.
    public init(
        credentials: AWSCredentials,
        region: String,
        service: String = "s3",
        normalizesPath: Bool? = nil,
        doubleEncodesPath: Bool? = nil,
        sendsContentSHA256: Bool? = nil
    ) {
        let isS3 = service == "s3"
        self.credentials = credentials
        self.region = region
        self.service = service
        self.normalizesPath = normalizesPath ?? !isS3
        self.doubleEncodesPath = doubleEncodesPath ?? !isS3
        self.sendsContentSHA256 = sendsContentSHA256 ?? isS3
    }

    /// Lower-case hex SHA-256 of a body, for the `payloadHash` arguments.
    public static func payloadHash(_ body: some DataProtocol) -> String {
        Hashing.sha256Hex(body)
    }

    /// The headers to add to the request: `Authorization`, `x-amz-date`, `x-amz-content-sha256`
    /// (when `sendsContentSHA256`) and `x-amz-security-token` (when the credentials carry one).
    ///
    /// Every header in `headers` is signed, so pass only those the client will send unchanged.
    /// `Host` is signed from `target` unless `headers` has one; the client is expected to send
    /// the same value, so it is not returned.
    public func sign(
        method: String,
        target: RequestTarget,
        headers: [Header],
        payloadHash: String,
        date: Date
    ) -> [Header] {
        let day = SigningDate(date)
        let added = addedHeaders(payloadHash: payloadHash, date: day)
        let canonical = canonicalize(
            method: method, target: target, headers: signedHeaderSet(target: target, headers: headers, added: added),
            payloadHash: payloadHash)
        let signature = signature(
            stringToSign: stringToSign(canonicalRequest: canonical.request, date: date), date: date)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(credentialScope(date: date)), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"
        return [("Authorization", authorization)] + added
    }

    /// `sign(method:target:…)` for a `URL`; `nil` when the URL has no host.
    public func sign(method: String, url: URL, headers: [Header], payloadHash: String, date: Date) -> [Header]? {
        guard let target = RequestTarget(url: url) else { return nil }
        return sign(method: method, target: target, headers: headers, payloadHash: payloadHash, date: date)
    }

    /// Step 1: the canonical request `sign` builds, including the headers it adds.
    public func canonicalRequest(
        method: String,
        target: RequestTarget,
        headers: [Header],
        payloadHash: String,
        date: Date
    ) -> String {
        let added = addedHeaders(payloadHash: payloadHash, date: SigningDate(date))
        return canonicalize(
            method: method, target: target, headers: signedHeaderSet(target: target, headers: headers, added: added),
            payloadHash: payloadHash
        ).request
    }

    /// Step 2: algorithm, timestamp, scope and the hash of the canonical request.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        [
            Self.algorithm, SigningDate(date).timestamp, credentialScope(date: date),
            Hashing.sha256Hex(Data(canonicalRequest.utf8)),
        ].joined(separator: "\n")
    }

    /// Step 3: the hex HMAC of the string to sign under the key derived for this date and scope.
    public func signature(stringToSign: String, date: Date) -> String {
        Hashing.hex(Hashing.hmac(key: signingKey(date: date), stringToSign))
    }

    /// The key derived for this day, region and service (also signs the chunks of a streamed body).
    func signingKey(date: Date) -> HashedAuthenticationCode<SHA256> {
        let kDate = Hashing.hmac(key: Data("AWS4\(credentials.secretAccessKey)".utf8), SigningDate(date).day)
        let kRegion = Hashing.hmac(key: kDate, region)
        let kService = Hashing.hmac(key: kRegion, service)
        return Hashing.hmac(key: kService, "aws4_request")
    }

    /// `yyyyMMdd/region/service/aws4_request`.
    public func credentialScope(date: Date) -> String {
        "\(SigningDate(date).day)/\(region)/\(service)/aws4_request"
    }

    func canonicalize(
        method: String,
        target: RequestTarget,
        headers: [Header],
        payloadHash: String
    ) -> (request: String, signedHeaders: String) {
        let canonicalHeaders = Canonicalization.headers(headers)
        let request = [
            method.uppercased(),
            Canonicalization.uri(path: target.path, normalize: normalizesPath, doubleEncode: doubleEncodesPath),
            Canonicalization.query(target.query),
            canonicalHeaders.lines,
            canonicalHeaders.signed,
            payloadHash,
        ].joined(separator: "\n")
        return (request, canonicalHeaders.signed)
    }

    private func addedHeaders(payloadHash: String, date: SigningDate) -> [Header] {
        var added: [Header] = [("x-amz-date", date.timestamp)]
        if sendsContentSHA256 { added.append(("x-amz-content-sha256", payloadHash)) }
        if let token = credentials.sessionToken { added.append(("x-amz-security-token", token)) }
        return added
    }

    /// The caller's headers, less any the signer sets itself (a stale `x-amz-date` would
    /// otherwise be signed twice), plus `Host` when missing, plus the signer's own.
    private func signedHeaderSet(target: RequestTarget, headers: [Header], added: [Header]) -> [Header] {
        let replaced = Set(added.map { $0.name } + ["authorization"])
        var result = headers.filter { !replaced.contains($0.name.lowercased()) }
        if !result.contains(where: { $0.name.lowercased() == "host" }) {
            result.append(("host", target.host))
        }
        return result + added
    }
}
