import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One access-log line per request: method, path with every token replaced by a short hash,
/// status, duration, the request id, the file id and the client's `X-WOPI-CorrelationId`.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        var status = HTTPResponse.Status.internalServerError
        defer {
            AccessLog.write(
                context.logger, method: request.method, target: request.uri.string, path: request.uri.path,
                headers: request.headers, status: status, elapsed: start.duration(to: .now))
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
    static func immediate(_ logger: Logger) -> @Sendable (HTTPRequest, Duration) -> Void {
        { request, elapsed in
            let target = request.path ?? ""
            let path = String(target.prefix { $0 != "?" })
            write(
                logger, method: request.method, target: target, path: path, headers: request.headerFields,
                status: .ok, elapsed: elapsed)
        }
    }

    static func write(
        _ logger: Logger, method: HTTPRequest.Method, target: String, path: String, headers: HTTPFields,
        status: HTTPResponse.Status, elapsed: Duration
    ) {
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "method": "\(method.rawValue)", "path": "\(redacted(target))", "status": "\(status.code)",
            "ms": "\(String(format: "%.1f", ms))",
        ]
        if let correlation = headers[correlationID] { metadata["correlation_id"] = "\(correlation)" }
        if let file = fileID(path) { metadata["file_id"] = "\(file)" }
        logger.info("access", metadata: metadata)
    }

    /// `/wopi/files/{id}…`, `/files/{id}/…`, `/api/v1/files/{id}…`, `/office/{id}/…`.
    static func fileID(_ path: String) -> String? {
        let parts = path.split(separator: "/")
        for (index, part) in parts.enumerated() where (part == "files" || part == "office") && index + 1 < parts.count {
            return String(parts[index + 1])
        }
        return nil
    }

    /// The target with the values of secret-bearing query parameters replaced by a hash prefix
    /// (the same token always gives the same hash, so requests can still be followed).
    static func redacted(_ target: String) -> String {
        guard let question = target.firstIndex(of: "?") else { return target }
        let secrets: Set<String> = ["access_token", "ticket", "key", "token"]
        let query = target[target.index(after: question)...].split(separator: "&").map { pair -> String in
            guard let equals = pair.firstIndex(of: "="), secrets.contains(String(pair[..<equals])) else {
                return String(pair)
            }
            return pair[..<equals] + "=" + shortHash(String(pair[pair.index(after: equals)...]))
        }
        return target[..<question] + "?" + query.joined(separator: "&")
    }

    /// `sha256:` and the first 12 hex digits of the SHA-256 of `secret`.
    static func shortHash(_ secret: String) -> String {
        "sha256:" + SHA256.hash(data: Data(secret.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }
}
