import Foundation

extension SignatureV4 {
    /// The query string of a presigned request: `target.query` followed by the `X-Amz-*`
    /// parameters and `X-Amz-Signature`. Nothing is added to the headers, so only `headers`
    /// (and `Host`) are signed; S3 expects `UNSIGNED-PAYLOAD` as the payload hash here.
    public func presignedQuery(
        method: String,
        target: RequestTarget,
        headers: [Header] = [],
        expiresInSeconds: Int,
        date: Date,
        payloadHash: String = SignatureV4.unsignedPayload
    ) -> String {
        var signedHeaders = headers.filter { $0.name.lowercased() != "authorization" }
        if !signedHeaders.contains(where: { $0.name.lowercased() == "host" }) {
            signedHeaders.append(("host", target.host))
        }
        var parameters: [Header] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(credentialScope(date: date))"),
            ("X-Amz-Date", SigningDate(date).timestamp),
            ("X-Amz-Expires", String(expiresInSeconds)),
            ("X-Amz-SignedHeaders", Canonicalization.headers(signedHeaders).signed),
        ]
        if let token = credentials.sessionToken { parameters.append(("X-Amz-Security-Token", token)) }
        let added = parameters.map { "\(URIEncoding.encode($0.name))=\(URIEncoding.encode($0.value))" }
        var query = target.query
        query += (query.isEmpty ? "" : "&") + added.joined(separator: "&")

        let presigned = RequestTarget(host: target.host, path: target.path, query: query)
        let canonical = canonicalize(
            method: method, target: presigned, headers: signedHeaders, payloadHash: payloadHash)
        let signature = signature(
            stringToSign: stringToSign(canonicalRequest: canonical.request, date: date), date: date)
        return query + "&X-Amz-Signature=" + signature
    }

    /// `url` with the presigned query in place of its own; `nil` when it has no host.
    public func presignedURL(
        method: String,
        url: URL,
        headers: [Header] = [],
        expiresInSeconds: Int,
        date: Date
    ) -> URL? {
        guard let target = RequestTarget(url: url),
            var parts = URLComponents(url: url, resolvingAgainstBaseURL: false)
        else { return nil }
        parts.percentEncodedQuery = presignedQuery(
            method: method, target: target, headers: headers, expiresInSeconds: expiresInSeconds, date: date)
        return parts.url
    }
}
