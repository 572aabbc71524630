import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// `/api/v1/files`: metadata, content (streamed, with ETag and Range), new versions, rename,
/// move, delete, versions.
struct APIFilesController<Context: RequestContext>: Sendable {
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
        return try ContentRange.response(
            request, etag: FileJSON.etag(file), size: file.size, name: file.name
        ) { range, write in
            try await folio.readContent(of: file, range: range, write)
        }
    }

    @Sendable func replace(_ request: Request, context: Context) async throws -> FileJSON {
        _ = try await auth.require(.write, request)
        let id = try context.parameters.require("id")
        var expected: Int64?
        if let match = request.headers[.ifMatch] {
            let value = match.trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
            guard value.hasPrefix("v"), let version = Int64(value.dropFirst()) else {
                let file = try await folio.requireFile(id)
                throw FolioError.preconditionFailed("If-Match \(match) does not match \(FileJSON.etag(file))")
            }
            expected = version
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
        return ListJSON(items: try await folio.store.versions(fileID: file.id).map(VersionJSON.init))
    }

    @Sendable func versionContent(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.read, request)
        let file = try await folio.requireFile(try context.parameters.require("id"))
        guard let number = Int64(try context.parameters.require("number")),
            let version = try await folio.store.versions(fileID: file.id).first(where: { $0.number == number })
        else { throw FolioError.notFound("no version \(try context.parameters.require("number"))") }
        return try ContentRange.response(
            request, etag: "\"v\(version.number)\"", size: version.size, name: file.name
        ) { range, write in
            try await folio.blobs.read(version.blobKey, range: range, write)
        }
    }
}

/// Streams content with `ETag`, `If-None-Match` (304) and one `Range` (206, or 416).
enum ContentRange {
    static func response(
        _ request: Request, etag: String, size: Int64, name: String,
        read: @escaping @Sendable (Range<Int64>?, (ByteBuffer) async throws -> Void) async throws -> Void
    ) throws -> Response {
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.acceptRanges] = "bytes"
        if let none = request.headers[.ifNoneMatch],
            none.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/octet-stream"
        headers[.contentDisposition] = "attachment; filename*=UTF-8''" + ActionURL.percentEncode(name)
        var range: Range<Int64>?
        if let header = request.headers[.range] {
            guard let parsed = parse(header, size: size) else {
                headers[.contentRange] = "bytes */\(size)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            range = parsed
            headers[.contentRange] = "bytes \(parsed.lowerBound)-\(parsed.upperBound - 1)/\(size)"
        }
        let chosen = range
        let length = chosen.map { $0.upperBound - $0.lowerBound } ?? size
        return Response(
            status: chosen == nil ? .ok : .partialContent, headers: headers,
            body: ResponseBody(contentLength: Int(length)) { writer in
                try await read(chosen) { try await writer.write($0) }
                try await writer.finish(nil)
            })
    }

    /// `bytes=a-b`, `bytes=a-` or `bytes=-n`; nil when unsatisfiable or not one range.
    static func parse(_ header: String, size: Int64) -> Range<Int64>? {
        guard header.hasPrefix("bytes="), size > 0 else { return nil }
        let spec = header.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return nil }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        if first.isEmpty {
            guard let suffix = Int64(last), suffix > 0 else { return nil }
            return max(0, size - suffix)..<size
        }
        guard let start = Int64(first), start >= 0, start < size else { return nil }
        if last.isEmpty { return start..<size }
        guard let end = Int64(last), end >= start else { return nil }
        return start..<(min(end, size - 1) + 1)
    }
}

extension Response {
    func with(status: HTTPResponse.Status) -> Response {
        var copy = self
        copy.status = status
        return copy
    }
}
