import Crypto
import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// One access-log line per request: method, path with every token replaced by a short hash,
/// status, duration, the request id, the file id and the client's `X-WOPI-CorrelationId`.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let writer: (@Sendable (String) -> Void)?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        var status = HTTPResponse.Status.internalServerError
        defer {
            AccessLog.write(
                context.logger, writer: writer, method: request.method, target: request.uri.string,
                path: request.uri.path, headers: request.headers, status: status, elapsed: start.duration(to: .now))
        }
        do {
            let response = try await next(request, context)
            status = response.status
            return response
        } catch let error as any HTTPResponseError {
            status = error.status
            throw error
        }
    }
}

/// The access line of one request, written alike whichever lane answered it (the router's
/// middleware or the immediate CheckFileInfo lane): method, path with every token replaced by a
/// short hash, status, duration, the file id and the client's `X-WOPI-CorrelationId`.
enum AccessLog {
    static let correlationID = HTTPField.Name("X-WOPI-CorrelationId")!

    /// What the immediate lane calls after answering a request itself (always 200).
    static func immediate(_ logger: Logger, writer: (@Sendable (String) -> Void)?)
        -> @Sendable (HTTPRequest, Duration) -> Void
    {
        { request, elapsed in
            let target = request.path ?? ""
            let bytes = target.utf8
            let path = bytes.firstIndex(of: UInt8(ascii: "?")).map { String(Substring(bytes[..<$0])) } ?? target
            write(
                logger, writer: writer, method: request.method, target: target, path: path,
                headers: request.headerFields, status: .ok, elapsed: elapsed)
        }
    }

    static func write(
        _ logger: Logger, writer: (@Sendable (String) -> Void)? = nil, method: HTTPRequest.Method, target: String,
        path: String, headers: HTTPFields, status: HTTPResponse.Status, elapsed: Duration
    ) {
        // Tenths of a millisecond, written without Foundation's formatter (one line a request).
        let tenths = elapsed.components.seconds * 10_000 + elapsed.components.attoseconds / 100_000_000_000_000
        if let writer {
            // The same fields in key order, made as one string.
            var line = ""
            if let correlation = headers[correlationID] { line += "correlation_id=" + correlation + " " }
            if let file = fileID(path) { line += "file_id=" + file + " " }
            line += "method=" + method.rawValue + " ms=\(tenths / 10).\(tenths % 10) path=" + redacted(target)
            line += " status=" + String(status.code) + " access"
            writer(line)
            return
        }
        var metadata: Logger.Metadata = [
            "method": .string(method.rawValue), "path": .string(redacted(target)),
            "status": .string(String(status.code)),
            "ms": .string("\(tenths / 10).\(tenths % 10)"),
        ]
        if let correlation = headers[correlationID] { metadata["correlation_id"] = "\(correlation)" }
        if let file = fileID(path) { metadata["file_id"] = "\(file)" }
        logger.info("access", metadata: metadata)
    }

    /// `/wopi/files/{id}…`, `/files/{id}/…`, `/api/v1/files/{id}…`, `/office/{id}/…`. Read
    /// as bytes, as is all of this: it runs once a request, and walking a URL by Characters
    /// (grapheme clusters) cost more than half of CheckFileInfo's time on the event loop.
    static func fileID(_ path: String) -> String? {
        let parts = path.utf8.split(separator: UInt8(ascii: "/"))
        for (index, part) in parts.enumerated() where index + 1 < parts.count {
            if part.elementsEqual("files".utf8) || part.elementsEqual("office".utf8) {
                return String(Substring(parts[index + 1]))
            }
        }
        return nil
    }

    static let secretNames: [String] = ["access_token", "ticket", "key", "token"]

    /// The target with the values of secret-bearing query parameters replaced by a hash prefix
    /// (the same token always gives the same hash, so requests can still be followed).
    static func redacted(_ target: String) -> String {
        let bytes = target.utf8
        guard let question = bytes.firstIndex(of: UInt8(ascii: "?")) else { return target }
        var out = String(Substring(bytes[..<question]))
        out += "?"
        var first = true
        for pair in bytes[bytes.index(after: question)...].split(separator: UInt8(ascii: "&")) {
            if !first { out += "&" }
            first = false
            if let equals = pair.firstIndex(of: UInt8(ascii: "=")),
                secretNames.contains(where: { pair[..<equals].elementsEqual($0.utf8) })
            {
                out += String(Substring(pair[..<equals]))
                out += "="
                out += shortHash(String(Substring(pair[pair.index(after: equals)...])))
            } else {
                out += String(Substring(pair))
            }
        }
        return out
    }

    /// `sha256:` and the first 12 hex digits of the SHA-256 of `secret`.
    static func shortHash(_ secret: String) -> String {
        if let known = hashes.withLock({ $0[secret] }) { return known }
        let made = "sha256:" + Hex.lowercase(Array(SHA256.hash(data: Array(secret.utf8)).prefix(6)))
        hashes.withLock { hashes in
            if hashes.count >= 4096 { hashes.removeAll(keepingCapacity: true) }
            hashes[secret] = made
        }
        return made
    }

    /// Recent tokens' hashes: an editor sends the same token with every request.
    static let hashes = Mutex<[String: String]>([:])
}
