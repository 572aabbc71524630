import FolioCore
import FolioPreview
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import WOPI

/// `/api/v1/files/{id}/pdf`, `/thumbnail`, `/convert`: what LibreOffice makes of a file's
/// versions, in the sandbox (see `PreviewService`).
struct APIPreviewsController<Context: StreamingRequestContext>: Sendable {
    let folio: Folio
    let auth: APIAuth
    let previews: PreviewService?
    let missing: [String]

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("files/{id}/pdf", use: pdf)
        group.get("files/{id}/thumbnail", use: thumbnail)
        group.post("files/{id}/convert", use: convert)
    }

    func service() throws -> PreviewService {
        guard let previews else {
            throw FolioError.unavailable("previews need \(missing.joined(separator: ", ")) on the server")
        }
        return previews
    }

    /// The version asked for (`?version=N`), or the current one.
    func version(_ request: Request, file: StoredFile) async throws -> Version {
        let versions = try await folio.files.versions(fileID: file.id)
        guard let text = request.uri.queryParameters["version"] else {
            return try versions.last.unwrap(or: FolioError.notFound("the file has no content"))
        }
        guard let number = Int64(String(text)), let version = versions.first(where: { $0.number == number }) else {
            throw FolioError.notFound("no version \(text)")
        }
        return version
    }

    @Sendable func pdf(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.read, request)
        let previews = try service()
        let file = try await folio.requireFile(try context.parameters.require("id"))
        let version = try await version(request, file: file)
        let made = try await Self.answering { try await previews.pdf(of: version, fileName: file.name) }
        let name = FileName.splitExtension(file.name).base + ".pdf"
        return ContentResponse.made(
            made, type: "application/pdf", disposition: "inline; filename*=UTF-8''" + ActionURL.percentEncode(name),
            on: context.eventLoop)
    }

    @Sendable func thumbnail(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.read, request)
        let previews = try service()
        let file = try await folio.requireFile(try context.parameters.require("id"))
        let version = try await version(request, file: file)
        let size =
            try request.uri.queryParameters["size"].map {
                try Int(String($0)).unwrap(or: APIProblem.badBody("size is a number of pixels"))
            } ?? 256
        let made = try await Self.answering {
            try await previews.thumbnail(of: version, fileName: file.name, size: size)
        }
        return ContentResponse.made(made, type: "image/png", on: context.eventLoop)
    }

    struct ConvertBody: Decodable {
        var format: String
    }

    /// A new file beside this one in another format; the author is the key's acting user
    /// (`X-Folio-User`) or, without one, the file's owner.
    @Sendable func convert(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.write, request)
        let previews = try service()
        let body = try await request.decode(as: ConvertBody.self, context: context)
        let file = try await folio.requireFile(try context.parameters.require("id"))
        var user = try await folio.accounts.user(id: file.ownerID).unwrap(or: FolioError.notFound("the owner is gone"))
        if let external = request.headers[HTTPField.Name("X-Folio-User")!], !external.isEmpty {
            user = try await folio.requireExternalUser(external)
        }
        let session = try await folio.fileAccess(file.id, user: user)
        let made = try await Self.answering { try await previews.convert(session, to: body.format.lowercased()) }
        return try FileJSON(made).response(from: request, context: context).with(status: .created)
    }

    /// Conversion errors as the API says them (a format not for this file included): a full queue is 503 with Retry-After; a document
    /// that cannot be converted is 422, the same each time it is asked.
    static func answering<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ConversionError where error.isTransient {
            throw FolioError.unavailable(error.description)
        } catch let error as ConversionError {
            throw APIProblem(status: .unprocessableContent, code: "unconvertible", message: error.description)
        }
    }
}

extension Optional {
    func unwrap(or error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}
