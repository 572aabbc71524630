import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import WOPI

/// Turns domain errors into WOPI answers: the status each operation's contract names, with
/// `X-WOPI-Lock` on every lock conflict and `X-WOPI-ServerError` on server failures.
struct WOPIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as FolioError {
            return Self.response(for: error, logger: context.logger)
        } catch let problem as RelativeTargetProblem {
            var headers = HTTPFields()
            headers[.wopiValidRelativeTarget] = UTF7.encode(problem.validTarget)
            let status: HTTPResponse.Status = problem.kind == .illegal ? .badRequest : .conflict
            let message = problem.kind == .illegal ? "the name is not legal" : "a file with that name exists"
            return Self.text(status, message, headers: headers)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            var headers = HTTPFields()
            headers[.wopiServerError] = "internal error"
            return Self.text(.internalServerError, "internal error", headers: headers)
        }
    }

    static func response(for error: FolioError, logger: Logger) -> Response {
        var headers = HTTPFields()
        let message = error.description
        switch error {
        case .unauthorized:
            return text(.unauthorized, message)
        case .notFound:
            return text(.notFound, message)
        case .lockConflict(let current, let reason):
            headers[.wopiLock] = current
            // Header values are ASCII: a reason naming a file with other characters goes as
            // UTF-7, as WOPI's other headers with names do.
            headers[.wopiLockFailureReason] = reason.utf8.allSatisfy { $0 < 0x80 } ? reason : UTF7.encode(reason)
            return text(.conflict, message, headers: headers)
        case .modifiedSince:
            // Collabora's "document changed in storage" answer; legacy builds read LOOLStatusCode.
            let body = #"{"COOLStatusCode":1010,"LOOLStatusCode":1010}"#
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.wopiLockFailureReason] = message
            return Response(status: .conflict, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        case .nameTaken(let suggestion):
            headers[.wopiValidRelativeTarget] = UTF7.encode(suggestion)
            return text(.conflict, message, headers: headers)
        case .invalidName:
            headers[.wopiInvalidFileNameError] = message
            return text(.badRequest, message, headers: headers)
        case .badRequest, .truncated:
            return text(.badRequest, message)
        case .forbidden:
            return text(.forbidden, message)
        case .tooLarge:
            return text(.contentTooLarge, message)
        case .preconditionFailed:
            return text(.preconditionFailed, message)
        case .notImplemented:
            return text(.notImplemented, message)
        case .conflict:
            return text(.conflict, message)
        case .proofFailed:
            Counter(label: "folio_proof_failures_total").increment()
            logger.warning("proof check failed", metadata: ["reason": "\(message)"])
            headers[.wopiServerError] = message
            return text(.internalServerError, message, headers: headers)
        case .storage:
            logger.error("storage failure", metadata: ["error": "\(message)"])
            headers[.wopiServerError] = message
            return text(.internalServerError, "storage failure", headers: headers)
        case .unavailable:
            logger.error("store unavailable", metadata: ["error": "\(message)"])
            headers[.wopiServerError] = message
            headers[.retryAfter] = FolioError.retryAfterSeconds
            return text(.serviceUnavailable, "storage unavailable, try again later", headers: headers)
        }
    }

    static func text(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
    }
}
