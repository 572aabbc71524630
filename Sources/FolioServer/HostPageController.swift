import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// `/files/{id}/edit` and `/view`: the host page for the chosen editor; `/download` and
/// `/closed` for the URLs editors show. Opened with a host-page ticket (`folio open`, and the
/// HostViewUrl / HostEditUrl handed to Office).
struct HostPageController<Context: StreamingRequestContext>: Sendable {
    let folio: Folio
    let registry: EditorRegistry
    let urls: WOPIURLs
    /// What editors call (WOPISrc).
    let wopiURLs: WOPIURLs
    let links: HostPageLinks
    let auth: WebAuth
    var chooser: EditorChooser { EditorChooser(registry: registry) }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("{id}/edit") { request, context in try await page(request, context, action: "edit") }
        group.get("{id}/view") { request, context in try await page(request, context, action: "view") }
        group.get("{id}/download", use: download)
        group.post("{id}/token", use: renewToken)
        group.get("{id}/closed") { request, _ in
            let visitor = try await auth.visitor(request)
            return WebPage.message(
                visitor.language(.documentClosed), visitor: visitor, status: .ok,
                link: visitor.user.map { $0.isGuest ? nil : (href: "/browse", label: visitor.language(.files)) } ?? nil
            )
        }
    }

    func page(_ request: Request, _ context: Context, action: String) async throws -> Response {
        let id = try context.parameters.require("id")
        let opener = try await auth.fileOpener(request, fileID: id)
        let session = opener.session
        let ext = String(FileName.splitExtension(session.file.name).ext.dropFirst()).lowercased()
        let wanted = try request.uri.queryParameters["editor"].map { try EditorKind.named(String($0)) }
        // Editing needs at least the comment role; an empty file opens with Office's editnew.
        var actionName = action
        if action == "edit", session.role < .comment { actionName = "view" }
        // An explicit choice is remembered for the extension; without one, the remembered one wins.
        let remembered = try await folio.accounts.editorChoice(userID: session.user.id, fileExtension: ext)
            .flatMap(EditorKind.init(rawValue:))
        var options = await chooser.options(
            ext: ext, action: actionName, emptyFile: session.file.size == 0, canConvert: session.role == .edit,
            fileID: session.file.id)
        // A file no editor can edit (or convert) for this user still opens for viewing.
        if options.isEmpty, actionName == "edit" {
            actionName = "view"
            options = await chooser.options(
                ext: ext, action: "view", emptyFile: false, canConvert: false, fileID: session.file.id)
        }
        guard
            let (kind, app, chosen) = options.first(where: { $0.0 == wanted })
                ?? options.first(where: { $0.0 == remembered }) ?? options.first
        else {
            let download = links.page("download", file: session.file, user: session.user, role: .view, expiresAtMs: nil)
            let page = NoEditorPage(fileName: session.file.name, ext: ext, downloadURL: download)
            return HTML.response(PageTemplates.render(page, "no-editor"), status: .unsupportedMediaType)
        }
        if let wanted, wanted == kind, wanted != remembered {
            try await folio.accounts.setEditorChoice(
                userID: session.user.id, fileExtension: ext, editor: wanted.rawValue)
        }
        // Viewing (asked for, or all the role allows) stays viewing whichever action opens it.
        let role: Role = chosen.name == "view" || actionName == "view" ? .view : session.role
        let token = editorToken(opener, role: role, editor: kind)
        let language = opener.visitor?.language.editorLocale ?? Self.language(request.headers[.acceptLanguage])
        let canShare = opener.visitor?.user.map { !$0.isGuest } == true && session.role == .edit
        // Closing goes back to the folder for people who browse; to a plain page otherwise.
        var closeURL = links.closed(session.file)
        if let user = opener.visitor?.user, !user.isGuest {
            if folio.isSpaceFile(session.file) {
                closeURL = urls.base + (try await SpaceLinks.folderHref(of: session.file, folio: folio))
            } else if try await folio.files.role(userID: user.id, folderID: session.file.folderID) != nil {
                closeURL = urls.base + "/browse/" + session.file.folderID
            }
        }
        let actionURL = ActionURL.fill(
            urlsrc: chosen.urlsrc, wopiSrc: wopiURLs.file(session.file.id),
            values: ["UI_LLCC": language, "DC_LLCC": language])
        // The phone version of the chosen action, from the same app (Office's and Collabora's
        // discoveries publish mobileView and mobileEdit).
        let mobileName = ["view": "mobileView", "edit": "mobileEdit"][chosen.name]
        let mobileActionURL = app.actions.first { $0.name == mobileName && $0.ext == chosen.ext }.map {
            ActionURL.fill(
                urlsrc: $0.urlsrc, wopiSrc: wopiURLs.file(session.file.id),
                values: ["UI_LLCC": language, "DC_LLCC": language])
        }
        var page = HostPage(
            title: session.file.name, actionURL: actionURL, token: token.token, tokenTTL: token.expiresAtMs,
            favicon: app.favIconURL, closeURL: closeURL, language: language,
            docsAPIConfig: kind == .onlyoffice ? #"{"editorConfig":{"customization":{"forcesave":true}}}"# : nil,
            alternatives: options.count > 1
                ? options.map { option in
                    (
                        name: option.0.displayName, url: Self.with(editor: option.0, request.uri.string),
                        current: option.0 == kind
                    )
                } : [],
            shareURL: canShare ? urls.base + "/share/file/" + session.file.id : nil,
            versionsURL: opener.visitor?.user.map {
                $0.isGuest ? nil : urls.base + "/files/\(session.file.id)/versions"
            }
                ?? nil)
        page.mobileActionURL = mobileActionURL
        // Before the token expires the page asks for a new one the way it was opened (its
        // ticket, or the sign-in); Collabora takes it through Reset_Access_Token.
        var renew = "/files/\(session.file.id)/token?editor=\(kind.rawValue)&role=\(role.name)"
        if let ticket = request.uri.queryParameters["ticket"] { renew += "&ticket=" + String(ticket) }
        page.renewURL = renew
        page.editorTakesNewTokens = kind == .collabora
        let texts =
            opener.visitor?.language
            ?? Language.pick(user: nil, cookie: nil, acceptLanguage: request.headers[.acceptLanguage])
        page.sessionEndsText = texts(.sessionEnds)
        var headers = HTTPFields()
        // The page carries a token: never framed by another site, never cached (§A.9).
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Content-Security-Policy")!] = "frame-ancestors 'none'"
        headers[.cacheControl] = "no-cache, no-store"
        headers[.expires] = "-1"
        headers[HTTPField.Name("Pragma")!] = "no-cache"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        return HTML.response(page.html(), headers: headers)
    }

    /// A WOPI token for the page's editor: the smaller of `role` and the user's role now,
    /// never outliving the sign-in (a guest's ends with the link).
    func editorToken(_ opener: (session: FileSession, visitor: WebVisitor?), role: Role, editor: EditorKind) -> (
        token: String, expiresAtMs: Int64
    ) {
        let limit = opener.visitor?.session.map { $0.expiresAt / 1000 }
        let defaultExpiry = folio.now() / 1000 + folio.settings.tokenLifetimeSeconds * 1000
        return folio.issueToken(
            .file(opener.session.file.id), userID: opener.session.user.id, role: min(role, opener.session.role),
            expiresAtMs: min(defaultExpiry, limit ?? .max), editor: editor)
    }

    /// `POST /files/{id}/token?editor=KIND&role=ROLE`: a fresh token for a host page whose
    /// token is about to expire (it hands it to the editor with `Reset_Access_Token`). Asked
    /// the way the page was opened (its ticket, or the sign-in), so access withdrawn since
    /// gets none; the header `X-Folio-Renew` keeps other sites' pages from asking.
    func renewToken(_ request: Request, _ context: Context) async throws -> Response {
        guard request.headers[HTTPField.Name("X-Folio-Renew")!] == "1" else {
            throw FolioError.forbidden("a token is renewed by the host page only")
        }
        let id = try context.parameters.require("id")
        let opener = try await auth.fileOpener(request, fileID: id)
        let query = request.uri.queryParameters
        guard let editor = try query["editor"].map({ try EditorKind.named(String($0)) }) else {
            throw FolioError.badRequest("say which editor the token is for (editor=)")
        }
        let asked = query["role"].flatMap { Role(name: String($0)) } ?? .view
        let token = editorToken(opener, role: asked, editor: editor)
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        return try JSONResponse.make(
            RenewedToken(access_token: token.token, access_token_ttl: token.expiresAtMs), headers: headers)
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    /// The renewal's answer, in the host page's form field names.
    struct RenewedToken: Encodable {
        let access_token: String
        let access_token_ttl: Int64
    }

    /// `target` (the request's path and query) with `editor=` set to `kind`.
    static func with(editor kind: EditorKind, _ target: String) -> String {
        let parts = target.split(separator: "?", maxSplits: 1).map(String.init)
        let query = (parts.count > 1 ? parts[1].split(separator: "&").map(String.init) : [])
            .filter { !$0.hasPrefix("editor=") }
        return parts[0] + "?" + (query + ["editor=" + kind.rawValue]).joined(separator: "&")
    }

    @Sendable func download(_ request: Request, context: Context) async throws -> Response {
        let id = try context.parameters.require("id")
        let session = try await auth.fileOpener(request, fileID: id).session
        var headers = HTTPFields()
        headers[.contentDisposition] = "attachment; filename*=UTF-8''" + ActionURL.percentEncode(session.file.name)
        return try await ContentResponse.make(session.file, folio: folio, headers: headers, on: context.eventLoop)
    }

    /// The first language of `Accept-Language` as `ll-CC`, or en-US.
    static func language(_ header: String?) -> String {
        guard let first = header?.split(separator: ",").first?.split(separator: ";").first else { return "en-US" }
        let tag = first.trimmingCharacters(in: .whitespaces)
        guard !tag.isEmpty, tag != "*", tag.allSatisfy({ $0.isLetter || $0 == "-" }) else { return "en-US" }
        return tag
    }
}

enum HTML {
    static func response(_ html: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

extension EditorKind {
    var displayName: String {
        switch self {
        case .collabora: "Collabora Online"
        case .microsoft: "Microsoft 365 for the web"
        case .onlyoffice: "ONLYOFFICE"
        }
    }
}
