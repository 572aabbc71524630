import FolioCore
import FolioPreview
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import WOPI

/// People look before they open: any version of a document as pages in the browser (for every
/// role, guests of a view link included, with or without an editor), its PDF, and a button to
/// convert a legacy format into a new file beside it. Made by `PreviewService`.
struct PreviewPages<Context: StreamingRequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth
    let previews: PreviewService?
    /// Width of a page image, in pixels.
    static var pageWidth: Int { 1000 }

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("files/{id}/preview", use: page)
        router.get("files/{id}/preview/pages/{number}", use: pageImage)
        router.get("files/{id}/thumbnail", use: thumbnail)
        router.get("trash/file/{id}/thumbnail", use: trashThumbnail)
        router.get("files/{id}/pdf", use: pdf)
        router.post("files/{id}/convert", use: convert)
    }

    func open(_ request: Request, _ context: Context) async throws -> (User, FileSession, Version) {
        let (user, _) = try await auth.visitor(request).requireUser()
        let session = try await folio.fileAccess(try context.parameters.require("id"), user: user)
        let versions = try await folio.files.versions(fileID: session.file.id)
        let number = request.uri.queryParameters["version"].flatMap { Int64(String($0)) }
        guard let version = number.map({ n in versions.first { $0.number == n } }) ?? versions.last else {
            throw FolioError.notFound("no such version")
        }
        return (user, session, version)
    }

    func service() throws -> PreviewService {
        guard let previews else { throw FolioError.unavailable("previews are not available on this server") }
        return previews
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let (_, session, version) = try await open(request, context)
        let t = visitor.language
        let query = version.number == session.file.version ? "" : "?version=\(version.number)"
        var view = PreviewView(
            fileID: session.file.id, fileName: session.file.name, version: version.number,
            current: version.number == session.file.version, query: query, pages: [], problem: nil,
            versionsHref: visitor.user.map { $0.isGuest ? nil : "/files/\(session.file.id)/versions" } ?? nil,
            conversions: [], csrf: visitor.session?.csrfToken ?? "")
        var status = HTTPResponse.Status.ok
        do {
            let pdf = try await service().pdf(of: version, fileName: session.file.name)
            view.pages = Array(1...max(1, pdf.content.pages ?? 1))
            if session.canWrite, !folio.isSpaceFile(session.file), visitor.user?.isGuest == false {
                let ext = String(FileName.splitExtension(session.file.name).ext.dropFirst()).lowercased()
                view.conversions = PreviewService.conversions(for: ext)
            }
        } catch let error as ConversionError where error.isTransient {
            view.problem = t(.previewsBusy)
            status = .serviceUnavailable
        } catch let error as ConversionError {
            view.problem = t(.cannotPreview) + " " + error.description
        } catch FolioError.unavailable {
            view.problem = t(.previewsUnavailable)
        }
        var response = WebPage(
            title: t(.preview) + ": " + session.file.name, visitor: visitor, template: "preview", view: view,
            status: status
        ).response()
        if status == .serviceUnavailable { response.headers[.retryAfter] = "10" }
        return response
    }

    @Sendable func pageImage(_ request: Request, context: Context) async throws -> Response {
        let (_, session, version) = try await open(request, context)
        guard let number = Int(try context.parameters.require("number")), number >= 1 else {
            throw FolioError.notFound("no such page")
        }
        let made = try await Self.converting {
            try await service().page(of: version, fileName: session.file.name, number: number, width: Self.pageWidth)
        }
        return ContentResponse.made(made, type: "image/png", on: context.eventLoop)
    }

    /// The listing's thumbnail (64 pixels unless `size` says otherwise). Never waits for the
    /// engine: one not made yet is started in the background and this answers 404 (the page
    /// keeps the plain icon; the next visit shows it).
    @Sendable func thumbnail(_ request: Request, context: Context) async throws -> Response {
        let (_, session, version) = try await open(request, context)
        return try await thumbnail(of: version, name: session.file.name, request, context)
    }

    /// A thumbnail of a file in the visitor's trash.
    @Sendable func trashThumbnail(_ request: Request, context: Context) async throws -> Response {
        let (user, _) = try await auth.visitor(request).requireUser()
        let (name, version) = try await folio.trashedVersion(try context.parameters.require("id"), user: user)
        return try await thumbnail(of: version, name: name, request, context)
    }

    func thumbnail(of version: Version, name: String, _ request: Request, _ context: Context) async throws
        -> Response
    {
        let size = request.uri.queryParameters["size"].flatMap { Int(String($0)) } ?? 64
        guard (16...2048).contains(size) else { throw FolioError.badRequest("a thumbnail is 16 to 2048 pixels") }
        guard let made = try await service().thumbnailIfMade(of: version, fileName: name, size: size)
        else {
            var headers = HTTPFields()
            headers[.cacheControl] = "no-store"
            return Response(status: .notFound, headers: headers)
        }
        return ContentResponse.made(made, type: "image/png", on: context.eventLoop)
    }

    @Sendable func pdf(_ request: Request, context: Context) async throws -> Response {
        let (_, session, version) = try await open(request, context)
        let made = try await Self.converting { try await service().pdf(of: version, fileName: session.file.name) }
        let (base, _) = FileName.splitExtension(session.file.name)
        return ContentResponse.made(
            made, type: "application/pdf",
            disposition: "attachment; filename*=UTF-8''" + ActionURL.percentEncode("\(base) (v\(version.number)).pdf"),
            on: context.eventLoop)
    }

    @Sendable func convert(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let session = try await folio.fileAccess(try context.parameters.require("id"), user: user)
        let made = try await Self.converting { try await service().convert(session, to: form["format"] ?? "") }
        return WebPage.redirect("/browse/\(made.folderID)")
    }

    /// Conversion errors as pages say them: busy is 503 (with Retry-After), a document that
    /// cannot be converted a 422 with the reason.
    static func converting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ConversionError where error.isTransient {
            throw FolioError.unavailable(error.description)
        } catch let error as ConversionError {
            throw FolioError.badRequest(error.description)
        }
    }
}

/// The preview page (`preview.mustache`).
struct PreviewView: MustacheParent {
    let fileID: String
    let fileName: String
    let version: Int64
    let current: Bool
    /// `?version=N` for an older version, empty for the current one.
    let query: String
    var pages: [Int]
    var problem: String?
    let versionsHref: String?
    var conversions: [String]
    let csrf: String

    func child(named key: String) -> Any? {
        switch key {
        case "fileID": fileID
        case "fileName": fileName
        case "version": version
        case "current": current
        case "query": query
        case "pages": pages
        case "hasPages": !pages.isEmpty
        case "problem": problem
        case "versionsHref": versionsHref
        case "conversions": conversions
        case "hasConversions": !conversions.isEmpty
        case "csrf": csrf
        default: nil
        }
    }
}
