import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WOPI

/// `/api/v1/files`: metadata, content (streamed, with ETag and Range), new versions, rename,
/// move, delete, versions.
struct APIFilesController<Context: StreamingRequestContext>: Sendable {
    let folio: Folio
    let auth: APIAuth

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("folders/{id}/files", use: create)
        group.get("files/{id}", use: metadata)
        group.patch("files/{id}", use: update)
        group.delete("files/{id}", use: delete)
        group.get("files/{id}/content", use: content)
        group.put("files/{id}/content", use: replace)
        group.get("files/{id}/versions", use: versions)
        group.get("files/{id}/versions/{number}/content", use: versionContent)
        group.get("files/{id}/lock", use: lock)
        group.delete("files/{id}/lock", use: breakLock)
    }

    /// The lock in force on the file, with who took it; 404 when there is none.
    @Sendable func lock(_ request: Request, context: Context) async throws -> LockJSON {
        _ = try await auth.require(.read, request)
        let file = try await folio.requireFile(try context.parameters.require("id"))
        guard let lock = try await folio.locksInForce(fileID: file.id).first else {
            throw FolioError.notFound("the file is not locked")
        }
        return LockJSON(lock)
    }

    /// Breaks the lock an editor left behind; `lock.changed` says it was broken by this key.
    @Sendable func breakLock(_ request: Request, context: Context) async throws -> Response {
        let key = try await auth.require(.write, request)
        try await folio.breakLock(fileID: try context.parameters.require("id"), by: "api:" + key.name)
        return Response(status: .noContent)
    }

    /// The author of a write: `X-Folio-User` names a user by external id.
    func author(_ request: Request) async throws -> User? {
        guard let external = request.headers[HTTPField.Name("X-Folio-User")!], !external.isEmpty else { return nil }
        return try await folio.requireExternalUser(external)
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.write, request)
        guard let name = request.uri.queryParameters["name"].map(String.init), !name.isEmpty else {
            throw APIProblem.badBody("the name query parameter is required")
        }
        let size = try request.contentLength()
        if let size, size > folio.settings.maxUploadBytes {
            throw FolioError.tooLarge(limit: folio.settings.maxUploadBytes)
        }
        let file = try await folio.appCreateFile(
            request.body, expectedSize: size, name: name, folderID: try context.parameters.require("id"),
            author: try await author(request))
        return try FileJSON(file).response(from: request, context: context).with(status: .created)
    }

    @Sendable func metadata(_ request: Request, context: Context) async throws -> FileJSON {
        _ = try await auth.require(.read, request)
        return FileJSON(try await folio.requireFile(try context.parameters.require("id")))
    }

    @Sendable func update(_ request: Request, context: Context) async throws -> FileJSON {
        _ = try await auth.require(.write, request)
        let id = try context.parameters.require("id")
        let body = try await request.json(UpdateBody.self)
        var file = try await folio.requireFile(id)
        if let name = body.name { file = try await folio.appRenameFile(id, to: name) }
        if let folder = body.folderId { file = try await folio.appMoveFile(id, to: folder) }
        return FileJSON(file)
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.write, request)
        try await folio.appDeleteFile(try context.parameters.require("id"))
        return Response(status: .noContent)
    }

    @Sendable func content(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.read, request)
        let file = try await folio.requireFile(try context.parameters.require("id"))
        return try await ContentRange.response(
            request, etag: FileJSON.etag(file), size: file.size, name: file.name, on: context.eventLoop
        ) { range in
            try await folio.openContent(of: file, range: range)
        }
    }

    @Sendable func replace(_ request: Request, context: Context) async throws -> FileJSON {
        _ = try await auth.require(.write, request)
        let id = try context.parameters.require("id")
        var expected: Int64?
        if let match = request.headers[.ifMatch] {
            // Strong comparison against the current version; `*` only asks that the file exists.
            let file = try await folio.requireFile(id)
            let list = ETagList(match)
            guard list.matches(FileJSON.etag(file), weak: false) else {
                throw FolioError.preconditionFailed("If-Match \(match) does not match \(FileJSON.etag(file))")
            }
            if !list.any { expected = file.version }
        }
        let size = try request.contentLength()
        if let size, size > folio.settings.maxUploadBytes {
            throw FolioError.tooLarge(limit: folio.settings.maxUploadBytes)
        }
        return FileJSON(
            try await folio.appReplaceContent(
                request.body, expectedSize: size, fileID: id, expectedVersion: expected,
                author: try await author(request)))
    }

    @Sendable func versions(_ request: Request, context: Context) async throws -> ListJSON<VersionJSON> {
        _ = try await auth.require(.read, request)
        let file = try await folio.requireFile(try context.parameters.require("id"))
        return ListJSON(items: try await folio.files.versions(fileID: file.id).map(VersionJSON.init))
    }

    @Sendable func versionContent(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.read, request)
        let file = try await folio.requireFile(try context.parameters.require("id"))
        guard let number = Int64(try context.parameters.require("number")),
            let version = try await folio.files.versions(fileID: file.id).first(where: { $0.number == number })
        else { throw FolioError.notFound("no version \(try context.parameters.require("number"))") }
        return try await ContentRange.response(
            request, etag: "\"v\(version.number)\"", size: version.size, name: file.name, on: context.eventLoop
        ) { range in
            try await folio.openVersion(version, range: range)
        }
    }
}

/// Streams content with `ETag`, `If-None-Match` (304) and one `Range` (206, or 416 in the
/// API's JSON error shape); another unit or several ranges get the whole content (RFC 9110).
enum ContentRange {
    static func response(
        _ request: Request, etag: String, size: Int64, name: String,
        on eventLoop: any EventLoop, open: (Range<Int64>?) async throws -> BlobReader
    ) async throws -> Response {
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.acceptRanges] = "bytes"
        // If-None-Match uses the weak comparison (RFC 9110 §13.1.2).
        if let none = request.headers[.ifNoneMatch], ETagList(none).matches(etag, weak: true) {
            return Response(status: .notModified, headers: headers)
        }
        var range: Range<Int64>?
        switch request.headers[.range].map({ parse($0, size: size) }) {
        case .none, .ignored?:
            break
        case .unsatisfiable?:
            var response = APIErrorMiddleware<FolioRequestContext>.response(
                .rangeNotSatisfiable, code: "range_not_satisfiable", message: "the range is outside the \(size) bytes")
            response.headers[.contentRange] = "bytes */\(size)"
            response.headers[.eTag] = etag
            response.headers[.acceptRanges] = "bytes"
            return response
        case .satisfiable(let parsed)?:
            range = parsed
            headers[.contentRange] = "bytes \(parsed.lowerBound)-\(parsed.upperBound - 1)/\(size)"
        }
        headers[.contentDisposition] = "attachment; filename*=UTF-8''" + ActionURL.percentEncode(name)
        let chosen = range
        return ContentResponse.make(
            size: chosen.map { $0.upperBound - $0.lowerBound } ?? size, status: chosen == nil ? .ok : .partialContent,
            headers: headers, reader: try await open(chosen), on: eventLoop)
    }

    enum RangeRequest: Equatable {
        case satisfiable(Range<Int64>)
        case unsatisfiable
        /// Another unit, several ranges, or not a range at all: answered whole (RFC 9110 §14.2).
        case ignored
    }

    /// One `bytes=a-b`, `bytes=a-` or `bytes=-n` range.
    static func parse(_ header: String, size: Int64) -> RangeRequest {
        guard header.lowercased().hasPrefix("bytes=") else { return .ignored }
        let spec = header.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .ignored }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        let digits = CharacterSet.decimalDigits
        guard first.unicodeScalars.allSatisfy(digits.contains), last.unicodeScalars.allSatisfy(digits.contains),
            !(first.isEmpty && last.isEmpty)
        else { return .ignored }
        if first.isEmpty {
            guard let suffix = Int64(last), suffix > 0, size > 0 else { return .unsatisfiable }
            return .satisfiable(max(0, size - suffix)..<size)
        }
        guard let start = Int64(first) else { return .ignored }
        guard start < size else { return .unsatisfiable }
        if last.isEmpty { return .satisfiable(start..<size) }
        guard let end = Int64(last), end >= start else { return .ignored }
        return .satisfiable(start..<(min(end, size - 1) + 1))
    }
}

/// An `If-Match` / `If-None-Match` list: `*` or entity tags, weak ones marked `W/`.
struct ETagList {
    let any: Bool
    let tags: [(tag: String, weak: Bool)]

    init(_ header: String) {
        let items = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        any = items.contains("*")
        tags = items.filter { $0 != "*" }.map { item in
            item.hasPrefix("W/") ? (String(item.dropFirst(2)), true) : (item, false)
        }
    }

    /// Strong comparison (If-Match) needs both tags strong; weak (If-None-Match) ignores `W/`.
    func matches(_ etag: String, weak: Bool) -> Bool {
        any || tags.contains { $0.tag == etag && (weak || !$0.weak) }
    }
}

extension Response {
    func with(status: HTTPResponse.Status) -> Response {
        var copy = self
        copy.status = status
        return copy
    }
}
