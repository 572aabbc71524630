import AsyncHTTPClient
import FolioCore
import Foundation
import NIOCore

/// The JSON an application answers with (docs/connector-contract.md, Metadata and Errors).
struct HTTPSpaceMetadata: Decodable, Sendable {
    var name: String
    var isFolder: Bool
    var size: Int64
    /// Unix milliseconds.
    var modifiedAt: Int64
    var etag: String

    /// As Folio's entry at `path` (the application names only the last segment).
    func entry(at path: SpacePath) throws -> SpaceEntry {
        SpaceEntry(
            path: path, isFolder: isFolder, size: isFolder ? 0 : size, modifiedAt: modifiedAt * 1000,
            tag: try HTTPSpaceAnswer.strongTag(etag, of: path))
    }
}

struct HTTPSpaceListing: Decodable {
    var entries: [HTTPSpaceMetadata]
}

/// `{"error": {"code", "message", "limit"?}, "current"?}`
struct HTTPSpaceRefusal: Decodable, Sendable {
    struct Detail: Decodable, Sendable {
        var code: String
        var message: String
        var limit: Int64?
    }
    var error: Detail
    var current: HTTPSpaceMetadata?
}

enum HTTPSpaceAnswer {
    /// Longest JSON answer read (a listing of a big folder included).
    static let jsonLimit = 64 * 1024 * 1024

    static func decode<T: Decodable>(_ type: T.Type, from response: HTTPClientResponse, operation: String)
        async throws -> T
    {
        let buffer: ByteBuffer
        do {
            buffer = try await response.body.collect(upTo: jsonLimit)
        } catch let error as NIOTooManyBytesError {
            throw FolioError.storage(
                "\(operation): the application's answer is larger than \(error.maxBytes ?? 0) bytes")
        } catch {
            throw FolioError.unavailable("\(operation): the application stopped answering: \(error)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch {
            throw FolioError.storage(
                "\(operation): the application's answer is not the contract's JSON (\(error)): "
                    + String(decoding: buffer.readableBytesView.prefix(200), as: UTF8.self))
        }
    }

    /// The error body of a refusal; one with no JSON body still gives its status.
    static func refusal(_ response: HTTPClientResponse) async -> HTTPSpaceRefusal {
        if let buffer = try? await response.body.collect(upTo: 1024 * 1024),
            let refusal = try? JSONDecoder().decode(HTTPSpaceRefusal.self, from: Data(buffer.readableBytesView))
        {
            return refusal
        }
        return HTTPSpaceRefusal(
            error: .init(code: "", message: "(no JSON error body)", limit: nil), current: nil)
    }

    /// A tag Folio can compare: the contract's ETags are strong.
    static func strongTag(_ etag: String?, of path: SpacePath) throws -> String {
        guard let etag, !etag.isEmpty, !etag.hasPrefix("W/") else {
            throw FolioError.storage(
                "the application gave \(path) " + (etag.map { "the weak ETag \($0)" } ?? "no ETag")
                    + "; the contract asks for strong ETags")
        }
        return etag
    }

    /// What an answer Folio has no better meaning for becomes.
    static func failure(
        _ response: HTTPClientResponse, refusal known: HTTPSpaceRefusal? = nil, operation: String, space: String
    ) async -> FolioError {
        let status = Int(response.status.code)
        let refusal: HTTPSpaceRefusal
        if let known { refusal = known } else { refusal = await Self.refusal(response) }
        let said =
            "\(space) answered \(operation) with \(status)"
            + (refusal.error.code.isEmpty ? "" : " \(refusal.error.code)") + ": \(refusal.error.message)"
        switch status {
        case 500...: return .unavailable(said)
        case 401: return .storage(said + " (check the space's secret and both clocks)")
        case 413: return refusal.error.limit.map { .tooLarge(limit: $0) } ?? .storage(said)
        default: return .storage(said)
        }
    }
}
