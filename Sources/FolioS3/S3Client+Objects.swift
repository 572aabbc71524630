import AsyncHTTPClient
import FolioCore
import Foundation
import NIOCore
import NIOHTTP1

/// The calls a bucket that other programs also write needs: look at one object, read it with
/// what it is, write it under a condition, copy it server-side, list one level of "folders".
extension S3Client {
    /// What is at `key` now (prefix added), or nil.
    public func headObject(_ key: String) async throws -> ObjectHead? {
        do {
            let response = try await send(.HEAD, key: key, operation: "HEAD \(key)")
            guard let head = ObjectHead(headers: response.headers) else {
                throw S3Error.malformed("the object store answered HEAD \(key) without an ETag")
            }
            return head
        } catch S3Error.noSuchKey, S3Error.status(_, 404, _, _) {
            return nil
        }
    }

    /// Starts a GET of `key` (prefix added): what the object is, from the same answer as its
    /// bytes, so the two always agree; nil when the object is missing or `range` starts at or
    /// past its end (S3's 416).
    public func getObjectWithHead(_ key: String, range: Range<Int64>?) async throws
        -> (head: ObjectHead, body: HTTPClientResponse.Body)?
    {
        var headers: [(String, String)] = []
        if let range { headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound - 1)")) }
        do {
            let response = try await send(
                .GET, key: key, headers: headers, operation: "GET \(key)", deadline: transferTimeout)
            guard let head = ObjectHead(headers: response.headers) else {
                throw S3Error.malformed("the object store answered GET \(key) without an ETag")
            }
            return (head, response.body)
        } catch S3Error.noSuchKey, S3Error.status(_, 416, _, _) {
            return nil
        }
    }

    /// Puts `size` bytes from `content` under `key` in ONE request, streamed: `sha256` (known
    /// up front) is the signed payload hash, so nothing is buffered to hash it and the gateway
    /// refuses the body if the bytes differ from it. `headers` carry the conditions (a single
    /// PUT is the only write S3 gateways apply them to atomically). The answer's headers.
    public func putObject(
        _ key: String, size: Int64, sha256: [UInt8], content: BlobReader, headers: [(String, String)]
    ) async throws -> HTTPHeaders {
        let operation = "PUT \(key)"
        var request = try signedRequest(
            .PUT, key: key, query: [], headers: headers, payloadHash: Hashing.hex(sha256))
        let body = content.chunks(size: size)
        request.body = .stream(body, length: .known(size))
        do {
            return try await execute(
                request, method: .PUT, key: key, operation: operation, deadline: transferTimeout
            ).headers
        } catch {
            // The blob that would not read is the cause, not the broken request it left.
            if let failure = body.readerFailure { throw failure }
            throw error
        }
    }

    /// Copies `source` to `key` inside the bucket (prefixes added), server-side; the copy's
    /// ETag (RGW writes it without quotes here) and time. `headers` carry the conditions. S3 may answer 200 with an `<Error>` body once it
    /// has started answering: that is a refusal too.
    public func copyObject(from source: String, to key: String, headers: [(String, String)]) async throws
        -> (etag: String, lastModified: Date)
    {
        let operation = "COPY \(source) to \(key)"
        let response = try await send(
            .PUT, key: key, headers: [("x-amz-copy-source", copySource(source))] + headers, operation: operation,
            deadline: transferTimeout)
        let buffer = try await response.body.collect(upTo: 1024 * 1024)
        let xml = try S3XML(Data(buffer.readableBytesView), record: "Error")
        if let error = xml.records.first {
            throw S3Error.status(
                operation: operation, status: 200, code: error["Code"] ?? "", message: error["Message"] ?? "")
        }
        guard let etag = xml.fields["ETag"], !etag.isEmpty else {
            throw S3Error.malformed("the object store answered \(operation) without an ETag")
        }
        return (etag, Self.date(xml.fields["LastModified"]))
    }

    /// `/bucket/key` with the key encoded as in a URL path, as `x-amz-copy-source` wants it.
    func copySource(_ key: String) -> String {
        "/" + location.bucket + "/"
            + (location.prefix + key).split(separator: "/", omittingEmptySubsequences: false).map {
                URIEncoding.encode(String($0))
            }.joined(separator: "/")
    }

    /// One level under `folder` (a key prefix, "" or ending in "/", without the location's
    /// prefix), as S3 groups it with the delimiter "/": objects right there, and the
    /// "sub-folders" (`CommonPrefixes`, ending in "/"). Keys are relative to the location's
    /// prefix. `limit` stops after one page of at most that many.
    public func listFolder(_ folder: String, limit: Int? = nil) async throws -> (objects: [Object], folders: [String]) {
        var objects: [Object] = []
        var folders: [String] = []
        var token: String?
        let base = location.prefix
        repeat {
            // encoding-type=url: a key another program wrote may hold characters XML 1.0 cannot.
            var query = [
                ("list-type", "2"), ("prefix", base + folder), ("delimiter", "/"), ("encoding-type", "url"),
            ]
            if let limit { query.append(("max-keys", "\(limit)")) }
            if let token { query.append(("continuation-token", token)) }
            let response = try await send(.GET, query: query, operation: "LIST \(base + folder)")
            let data = Data(try await response.body.collect(upTo: 16 * 1024 * 1024).readableBytesView)
            let contents = try S3XML(data, record: "Contents")
            for record in contents.records {
                guard let key = record["Key"].map(Self.urlDecoded), key.hasPrefix(base) else { continue }
                objects.append(
                    Object(
                        key: String(key.dropFirst(base.count)), size: Int64(record["Size"] ?? "") ?? 0,
                        lastModified: Self.date(record["LastModified"]), etag: record["ETag"] ?? ""))
            }
            for record in try S3XML(data, record: "CommonPrefixes").records {
                guard let prefix = record["Prefix"].map(Self.urlDecoded), prefix.hasPrefix(base) else { continue }
                folders.append(String(prefix.dropFirst(base.count)))
            }
            token =
                contents.fields["IsTruncated"] == "true" && limit == nil
                ? contents.fields["NextContinuationToken"] : nil
        } while token != nil
        return (objects, folders)
    }

    /// A key from a listing with `encoding-type=url`: AWS writes a space as "+" (and "+" as
    /// %2B), RGW writes %20; both decode the way botocore does it.
    static func urlDecoded(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
