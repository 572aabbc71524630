import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

extension Request {
    /// The access token: the `access_token` query parameter (every client sends it), else
    /// `Authorization: Bearer`.
    var accessToken: String? {
        if let query = uri.queryParameters["access_token"], !query.isEmpty { return String(query) }
        return Self.bearerToken(headers[.authorization])
    }

    /// The token of an `Authorization: Bearer …` header.
    static func bearerToken(_ authorization: String?) -> String? {
        guard let authorization, authorization.lowercased().hasPrefix("bearer ") else { return nil }
        let token = String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// A header that must hold a UTF-7 encoded name (PROTOCOL.md §A.4); 400 when malformed.
    func utf7Header(_ name: HTTPField.Name) throws -> String? {
        guard let raw = headers[name] else { return nil }
        guard let decoded = UTF7.decode(raw) else {
            throw FolioError.badRequest("\(name) is not valid UTF-7")
        }
        return decoded
    }

    /// A non-negative integer header; 400 when present and malformed.
    func integerHeader(_ name: HTTPField.Name) throws -> Int64? {
        guard let raw = headers[name] else { return nil }
        guard let value = Int64(raw.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw FolioError.badRequest("\(name) must be a non-negative integer, not \"\(raw)\"")
        }
        return value
    }

    /// A `true`/`false` header; nil when absent, 400 when neither.
    func booleanHeader(_ name: HTTPField.Name) throws -> Bool? {
        guard let raw = headers[name] else { return nil }
        switch raw.lowercased() {
        case "true": return true
        case "false": return false
        default: throw FolioError.badRequest("\(name) must be true or false, not \"\(raw)\"")
        }
    }

    /// The declared body size: `Content-Length`, when the client sent one.
    func contentLength() throws -> Int64? { try integerHeader(.contentLength) }
}
