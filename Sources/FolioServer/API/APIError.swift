import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Every API error has one shape: `{"error": {"code": "...", "message": "..."}}` with a stable
/// code per kind of failure and a message for people.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as FolioError {
            let (status, code): (HTTPResponse.Status, String) =
                switch error {
                case .unauthorized: (.unauthorized, "unauthorized")
                case .forbidden: (.forbidden, "forbidden")
                case .notFound: (.notFound, "not_found")
                case .lockConflict: (.conflict, "locked")
                case .nameTaken: (.conflict, "name_taken")
                case .conflict, .modifiedSince: (.conflict, "conflict")
                case .invalidName: (.badRequest, "invalid_name")
                case .badRequest, .truncated: (.badRequest, "bad_request")
                case .tooLarge: (.contentTooLarge, "too_large")
                case .preconditionFailed: (.preconditionFailed, "precondition_failed")
                case .notImplemented: (.notImplemented, "not_implemented")
                case .proofFailed, .storage: (.internalServerError, "internal")
                case .unavailable: (.serviceUnavailable, "unavailable")
                }
            if status == .internalServerError || status == .serviceUnavailable {
                context.logger.error("API request failed", metadata: ["error": "\(error)"])
            }
            var response = Self.response(status, code: code, message: error.description)
            if status == .serviceUnavailable { response.headers[.retryAfter] = FolioError.retryAfterSeconds }
            return response
        } catch let error as APIProblem {
            return Self.response(error.status, code: error.code, message: error.message)
        } catch let error as any HTTPResponseError {
            return Self.response(
                error.status, code: error.status == .notFound ? "not_found" : "http_error", message: "\(error)")
        } catch {
            context.logger.error("API request failed", metadata: ["error": "\(error)"])
            return Self.response(.internalServerError, code: "internal", message: "internal error")
        }
    }

    static func response(_ status: HTTPResponse.Status, code: String, message: String) -> Response {
        let body = APIErrorBody(error: .init(code: code, message: message))
        let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// An API failure that is not a domain error: a missing scope, a malformed body.
struct APIProblem: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    static func badBody(_ message: String) -> APIProblem {
        APIProblem(status: .badRequest, code: "bad_request", message: message)
    }
}

/// `{"error": {"code", "message"}}`.
struct APIErrorBody: Encodable {
    struct Detail: Encodable {
        var code: String
        var message: String
    }
    var error: Detail
}
