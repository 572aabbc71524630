import AsyncHTTPClient
import FolioCore
import Foundation
import NIOCore
import NIOHTTP1

/// The handful of S3 calls Folio needs, signed with Signature V4, on AsyncHTTPClient: objects
/// (put, streamed get with a range, delete), multipart uploads, and listings.
public struct S3Client: Sendable {
    public let location: BucketLocation
    let credentials: AWSCredentials
    /// Longest a call without a body may take; calls that move content are bounded by the
    /// client's read timeout instead (no byte for that long fails the call).
    public var timeout: TimeAmount = .seconds(30)
    /// Longest a transfer of content may take in all.
    public var transferTimeout: TimeAmount = .hours(6)

    /// One client for every bucket: connections are pooled, and a store that stops answering
    /// fails a call after `read` seconds without a byte instead of hanging it.
    /// A download to a slow client holds its connection for as long as it lasts, so the pool is
    /// not held to AsyncHTTPClient's eight per host: a request queued behind eight slow readers
    /// would fail after the connect timeout. A refused connection fails its request at once
    /// instead of being retried until the connect timeout: with this many connections a dead
    /// host's retries backed off for up to half a minute under load, and the caller (an
    /// editor, through a 503) retries anyway.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(30)))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 1_024)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init(location: BucketLocation, credentials: AWSCredentials) {
        self.location = location
        self.credentials = credentials
    }

    // MARK: Objects

    /// Puts `body` whole under `key` (prefix added).
    public func putObject(_ key: String, body: ByteBuffer) async throws {
        _ = try await send(.PUT, key: key, body: body, operation: "PUT \(key)")
    }

    /// The object's bytes as they arrive (the caller's pace holds the connection back), or
    /// nil when the range starts at or past the end.
    public func getObject(_ key: String, range: Range<Int64>?) async throws -> HTTPClientResponse.Body? {
        var headers: [(String, String)] = []
        if let range {
            guard !range.isEmpty else { return nil }
            headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)"))
        }
        do {
            let response = try await send(
                .GET, key: key, headers: headers, operation: "GET \(key)", deadline: transferTimeout)
            return response.body
        } catch S3Error.status(_, 416, _, _) {
            return nil
        }
    }

    /// Deletes `key`; deleting what is not there is no error (S3 answers 204 either way).
    /// `headers` may carry a condition (`If-Match`) for gateways that honour one.
    public func deleteObject(_ key: String, headers: [(String, String)] = []) async throws {
        _ = try await send(.DELETE, key: key, headers: headers, operation: "DELETE \(key)")
    }

    public struct Object: Sendable {
        /// Without the prefix.
        public var key: String
        public var size: Int64
        public var lastModified: Date
        /// As the listing gave it (quoted); empty where a call does not read it.
        public var etag: String = ""
    }

    /// Every object under the prefix, a page of up to 1000 at a time.
    public func listObjects() async throws -> [Object] {
        var objects: [Object] = []
        var token: String?
        repeat {
            var query = [("list-type", "2"), ("prefix", location.prefix)]
            if let token { query.append(("continuation-token", token)) }
            let xml = try await sendForXML(.GET, query: query, record: "Contents", operation: "LIST objects")
            for record in xml.records {
                guard let key = record["Key"], key.hasPrefix(location.prefix) else { continue }
                objects.append(
                    Object(
                        key: String(key.dropFirst(location.prefix.count)), size: Int64(record["Size"] ?? "") ?? 0,
                        lastModified: Self.date(record["LastModified"])))
            }
            token = xml.fields["IsTruncated"] == "true" ? xml.fields["NextContinuationToken"] : nil
        } while token != nil
        return objects
    }

    // MARK: Multipart uploads

    public func createMultipartUpload(_ key: String) async throws -> String {
        let xml = try await sendForXML(
            .POST, key: key, query: [("uploads", "")], record: "-", operation: "start upload of \(key)")
        guard let id = xml.fields["UploadId"], !id.isEmpty else {
            throw S3Error.malformed("the object store started an upload of \(key) without an UploadId")
        }
        return id
    }

    /// Uploads one part; its ETag, which completing the upload names.
    public func uploadPart(_ key: String, uploadID: String, number: Int, body: ByteBuffer) async throws -> String {
        let response = try await send(
            .PUT, key: key, query: [("partNumber", "\(number)"), ("uploadId", uploadID)], body: body,
            operation: "upload part \(number) of \(key)", deadline: transferTimeout)
        guard let etag = response.headers.first(name: "etag") else {
            throw S3Error.malformed("the object store took part \(number) of \(key) without an ETag")
        }
        return etag
    }

    public func completeMultipartUpload(_ key: String, uploadID: String, etags: [String]) async throws {
        var xml = "<CompleteMultipartUpload>"
        for (index, etag) in etags.enumerated() {
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(Self.escapeXML(etag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        // S3 may answer 200 with an <Error> body after it has started answering: read it.
        let answer = try await sendForXML(
            .POST, key: key, query: [("uploadId", uploadID)], body: ByteBuffer(string: xml), record: "Error",
            operation: "complete upload of \(key)")
        if let error = answer.records.first {
            throw S3Error.status(
                operation: "complete upload of \(key)", status: 200, code: error["Code"] ?? "",
                message: error["Message"] ?? "")
        }
    }

    public func abortMultipartUpload(_ key: String, uploadID: String) async throws {
        do {
            _ = try await send(
                .DELETE, key: key, query: [("uploadId", uploadID)], operation: "abort upload of \(key)")
        } catch S3Error.status(_, 404, _, _) {
            // Already gone: what an abort wants.
        }
    }

    public struct Upload: Sendable {
        /// Without the prefix.
        public var key: String
        public var uploadID: String
        public var initiated: Date
    }

    /// Multipart uploads under the prefix that were started and neither completed nor aborted.
    public func listMultipartUploads() async throws -> [Upload] {
        var uploads: [Upload] = []
        var markers: (key: String, upload: String)?
        repeat {
            var query = [("uploads", ""), ("prefix", location.prefix)]
            if let markers { query += [("key-marker", markers.key), ("upload-id-marker", markers.upload)] }
            let xml = try await sendForXML(.GET, query: query, record: "Upload", operation: "LIST uploads")
            for record in xml.records {
                guard let key = record["Key"], let id = record["UploadId"], key.hasPrefix(location.prefix) else {
                    continue
                }
                uploads.append(
                    Upload(
                        key: String(key.dropFirst(location.prefix.count)), uploadID: id,
                        initiated: Self.date(record["Initiated"])))
            }
            markers =
                xml.fields["IsTruncated"] == "true"
                ? (xml.fields["NextKeyMarker"] ?? "", xml.fields["NextUploadIdMarker"] ?? "") : nil
        } while markers != nil
        return uploads
    }

    // MARK: Requests

    /// The URL of `key` (prefix added) or of the bucket, with the query in S3's canonical order.
    func url(key: String?, query: [(String, String)]) -> String {
        let encodedKey = key.map {
            (location.prefix + $0).split(separator: "/", omittingEmptySubsequences: false).map {
                URIEncoding.encode(String($0))
            }.joined(separator: "/")
        }
        var path: String
        var host = location.endpoint.host ?? ""
        if location.pathStyle {
            path = "/" + location.bucket + "/" + (encodedKey ?? "")
        } else {
            host = location.bucket + "." + host
            path = "/" + (encodedKey ?? "")
        }
        let port = location.endpoint.port.map { ":\($0)" } ?? ""
        let queryText = query.sorted { $0 < $1 }.map {
            URIEncoding.encode($0.0) + "=" + URIEncoding.encode($0.1)
        }.joined(separator: "&")
        return "\(location.endpoint.scheme ?? "https")://\(host)\(port)\(path)"
            + (queryText.isEmpty ? "" : "?" + queryText)
    }

    func send(
        _ method: HTTPMethod, key: String? = nil, query: [(String, String)] = [],
        headers extra: [(String, String)] = [],
        body: ByteBuffer? = nil, operation: String, deadline: TimeAmount? = nil
    ) async throws -> HTTPClientResponse {
        // Signed payloads: the gateway refuses a body that does not match its hash.
        let payloadHash = body?.withUnsafeReadableBytes { Hashing.sha256Hex($0) } ?? Hashing.sha256Hex(Data())
        var request = try signedRequest(method, key: key, query: query, headers: extra, payloadHash: payloadHash)
        if let body {
            request.headers.add(name: "content-length", value: "\(body.readableBytes)")
            request.body = .bytes(body)
        }
        return try await execute(request, method: method, key: key, operation: operation, deadline: deadline)
    }

    /// A request to `key` (or the bucket) with its signature headers, no body yet.
    func signedRequest(
        _ method: HTTPMethod, key: String?, query: [(String, String)], headers extra: [(String, String)],
        payloadHash: String
    ) throws -> HTTPClientRequest {
        let target = url(key: key, query: query)
        var request = HTTPClientRequest(url: target)
        request.method = method
        for (name, value) in try signedHeaders(
            method: method.rawValue, url: target, extra: extra, payloadHash: payloadHash)
        {
            request.headers.add(name: name, value: value)
        }
        return request
    }

    /// `execute` for a request to `key` by `method` (a GET's 404 is NoSuchKey).
    func execute(
        _ request: HTTPClientRequest, method: HTTPMethod, key: String?, operation: String, deadline: TimeAmount?
    ) async throws -> HTTPClientResponse {
        try await execute(request, operation: operation, deadline: deadline, missingKey: method == .GET ? key : nil)
    }

    /// Sends a request and checks its answer: a store that does not answer, or answers 5xx, is
    /// `FolioError.unavailable`; another refusal an `S3Error` (NoSuchKey as `.noSuchKey`). A
    /// `FolioError` thrown by a streamed body (cut off, too long) comes through as it is.
    func execute(
        _ request: HTTPClientRequest, operation: String, deadline: TimeAmount? = nil, missingKey: String? = nil
    ) async throws -> HTTPClientResponse {
        let response: HTTPClientResponse
        do {
            response = try await Self.http.execute(request, timeout: deadline ?? timeout)
        } catch let error as FolioError {
            throw error
        } catch {
            throw FolioError.unavailable(
                "the object store at \(location.endpoint.absoluteString) did not answer \(operation): \(error)")
        }
        guard (200..<300).contains(response.status.code) else {
            let text = try? await response.body.collect(upTo: 64 * 1024)
            let error = text.flatMap { try? S3XML(Data($0.readableBytesView), record: "Error") }?.records.first ?? [:]
            if response.status.code == 404, error["Code"] == "NoSuchKey" || missingKey != nil {
                throw S3Error.noSuchKey(missingKey ?? "")
            }
            let refusal = S3Error.status(
                operation: operation, status: Int(response.status.code), code: error["Code"] ?? "",
                message: error["Message"] ?? "")
            // 5xx (InternalError, SlowDown, a proxy's 502/504) pass by themselves: say so.
            if response.status.code >= 500 { throw FolioError.unavailable(refusal.description) }
            throw refusal
        }
        return response
    }

    func sendForXML(
        _ method: HTTPMethod, key: String? = nil, query: [(String, String)], body: ByteBuffer? = nil, record: String,
        operation: String
    ) async throws -> S3XML {
        let response = try await send(method, key: key, query: query, body: body, operation: operation)
        let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return try S3XML(Data(buffer.readableBytesView), record: record)
    }

    /// The request's headers with the signature's: every header passed is signed, the host
    /// from the URL.
    func signedHeaders(method: String, url: String, extra: [(String, String)], payloadHash: String) throws
        -> [(String, String)]
    {
        let signer = SignatureV4(credentials: credentials, region: location.region)
        guard let target = URL(string: url),
            let added = signer.sign(
                method: method, url: target, headers: extra.map { (name: $0.0, value: $0.1) },
                payloadHash: payloadHash, date: Date())
        else { throw S3Error.malformed("cannot sign a request to \(url)") }
        return extra + added.map { ($0.name, $0.value) }
    }

    /// S3 writes times as ISO 8601, with or without fractions of a second.
    static func date(_ text: String?) -> Date {
        guard let text else { return .distantPast }
        return (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
            ?? (try? Date.ISO8601FormatStyle().parse(text)) ?? .distantPast
    }

    static func escapeXML(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
