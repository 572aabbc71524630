import FolioCore
import Hummingbird
import WOPI

/// `POST /api/v1/files/{id}/sessions`: everything an application needs to open an editor for
/// one of its users in its own page (or to send them to Folio's host page).
struct APISessionsController<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: APIAuth
    let chooser: EditorChooser
    let urls: WOPIURLs
    let pages: HostPageLinks
    /// Set when ONLYOFFICE's own API is configured: sessions then carry its signed configuration.
    let onlyOffice: OnlyOfficeConfigBuilder?

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("files/{id}/sessions", use: create)
        group.post("spaces/{name}/sessions", use: createInSpace)
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.sessions, request)
        let body = try await request.json(SessionBody.self)
        let user = try await folio.requireExternalUser(body.user)
        let session = try await folio.fileAccess(try context.parameters.require("id"), user: user)
        return try await answer(session, body: body, request: request, context: context)
    }

    /// A document of a space by its path: the calling application decides the user's role.
    @Sendable func createInSpace(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.sessions, request)
        let body = try await request.json(SpaceSessionBody.self)
        let role = try body.role.map { name in
            guard let role = Role(name: name) else { throw APIProblem.badBody("role is view, comment or edit") }
            return role
        }
        let user = try await folio.requireExternalUser(body.user)
        let file = try await folio.spaceFile(
            space: try context.parameters.require("name"), path: try SpacePath(body.path))
        try await folio.sharing.setGrant(resourceID: file.id, userID: user.id, role: role ?? .edit)
        let session = try await folio.fileAccess(file.id, user: user)
        return try await answer(session, body: body.session, request: request, context: context, fileID: file.id)
    }

    /// The session answer for a file the user may open.
    func answer(
        _ session: FileSession, body: SessionBody, request: Request, context: Context, fileID: String? = nil
    ) async throws -> Response {
        let user = session.user
        // The role asked for, never more than the user holds.
        var role = session.role
        if let asked = body.role {
            guard let wanted = Role(name: asked) else { throw APIProblem.badBody("role is view, comment or edit") }
            role = min(role, wanted)
        }
        let wantedEditor = try body.editor.map { name in
            guard let kind = EditorKind(rawValue: name) else {
                throw APIProblem.badBody("editor is collabora, microsoft or onlyoffice")
            }
            return kind
        }
        let action = body.action ?? (role >= .comment ? "edit" : "view")
        guard action == "edit" || action == "view" else { throw APIProblem.badBody("action is edit or view") }
        if action == "edit", role < .comment { throw FolioError.forbidden("the user may only view this file") }
        let ext = String(FileName.splitExtension(session.file.name).ext.dropFirst()).lowercased()
        let language = body.language.flatMap { $0.isEmpty ? nil : $0 } ?? "en-US"
        var native: DocsConfig?
        if let onlyOffice, DocsDocumentType.of(ext) != nil {
            var limited = session
            limited.role = action == "view" ? .view : role
            native = try await onlyOffice.config(for: limited, language: String(language.prefix(2)))
        }
        let options = await chooser.options(
            ext: ext, action: action, emptyFile: session.file.size == 0, canConvert: role == .edit,
            fileID: session.file.id)
        guard let (kind, app, chosen) = options.first(where: { wantedEditor == nil || $0.0 == wantedEditor }) else {
            if let native, wantedEditor == nil || wantedEditor == .onlyoffice {
                // Only ONLYOFFICE's own API can open it.
                var answer = SessionJSON(onlyOffice: native)
                answer.fileId = fileID
                return try answer.response(from: request, context: context).with(status: .created)
            }
            throw APIProblem(
                status: .unprocessableContent, code: "no_editor",
                message: "no configured editor can \(action) .\(ext) files"
                    + (wantedEditor.map { " with \($0.rawValue)" } ?? ""))
        }
        let tokenRole: Role = chosen.name == "view" ? .view : role
        let token = folio.issueToken(.file(session.file.id), userID: user.id, role: tokenRole, editor: kind)
        let wopiSrc = urls.file(session.file.id)
        let actionURL = ActionURL.fill(
            urlsrc: chosen.urlsrc, wopiSrc: wopiSrc, values: ["UI_LLCC": language, "DC_LLCC": language])
        let hostPage =
            pages.page(action, file: session.file, user: user, role: tokenRole, expiresAtMs: token.expiresAtMs)
            + "&editor=\(kind.rawValue)"
        var answer = SessionJSON(
            editor: kind.rawValue, action: chosen.name, actionUrl: actionURL, accessToken: token.token,
            accessTokenTtl: token.expiresAtMs, wopiSrc: wopiSrc, hostPageUrl: hostPage, favIconUrl: app.favIconURL,
            onlyOffice: native)
        answer.fileId = fileID
        return try answer.response(from: request, context: context).with(status: .created)
    }
}
