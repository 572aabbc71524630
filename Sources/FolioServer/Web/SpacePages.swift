import FolioCore
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// Spaces in the browser: the spaces a person may open, each folder listed live from its
/// storage, and the same actions as in Folio's own folders (open, download, versions, upload,
/// new folder and document, rename, delete), each done in the storage. A document's page
/// address carries its path (`?path=/Reports/q3.docx`); opening it makes or finds the Folio
/// file that stands for it and goes on to that file's pages.
struct SpacePages<Context: StreamingRequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth
    let chooser: EditorChooser

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("spaces", use: list)
        router.get("spaces/{name}", use: folder)
        router.get("spaces/{name}/open", use: open)
        router.get("spaces/{name}/versions") { request, context in
            let (user, _) = try await auth.visitor(request).requireUser()
            let file = try await folio.openSpaceDocument(try name(context), path: try path(request), user: user)
            return WebPage.redirect("/files/\(file.id)/versions")
        }
        router.get("spaces/{name}/download", use: download)
        router.put("spaces/{name}/upload", use: upload)
        router.post("spaces/{name}/folders", use: createFolder)
        router.post("spaces/{name}/new", use: newDocument)
        router.post("spaces/{name}/rename", use: rename)
        router.post("spaces/{name}/delete", use: delete)
    }

    func name(_ context: Context) throws -> String { try context.parameters.require("name") }

    /// The `path` of the address: a folder or document of the space (the root when absent).
    func path(_ request: Request) throws -> SpacePath {
        guard let text = request.uri.queryParameters["path"].map(String.init), !text.isEmpty else { return .root }
        return try SpacePath(text)
    }

    static func href(_ space: String, _ action: String = "", path: SpacePath) -> String {
        SpaceLinks.href(space, action, path: path)
    }

    // MARK: Pages

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let (user, _) = try visitor.requireUser()
        let t = visitor.language
        let rows = try await folio.visibleSpaces(to: user).map { space, role in
            SpacesView.Row(name: space.name, href: "/spaces/\(space.name)", role: t(WebFormat.roleLabel(role)))
        }
        return WebPage(title: t(.spaces), visitor: visitor, template: "spaces", view: SpacesView(rows: rows)).response()
    }

    @Sendable func folder(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let (user, session) = try visitor.requireUser()
        let t = visitor.language
        let space = try name(context)
        let here = try path(request)
        let query = request.uri.queryParameters
        let order = query["sort"].flatMap { ListingOrder(rawValue: String($0)) } ?? .name
        let descending = query["desc"] == "1"
        let (role, entries) = try await folio.spaceListing(
            space, folder: here, user: user, order: order, descending: descending)
        let canEdit = role == .edit
        var crumbs = [SpaceFolderView.Crumb(href: Self.href(space, path: .root), name: space, current: here.isRoot)]
        var walked = SpacePath.root
        for component in here.components {
            walked = try walked.appending(component)
            crumbs.append(
                SpaceFolderView.Crumb(href: Self.href(space, path: walked), name: component, current: walked == here))
        }
        let sortLinks = [ListingOrder.name, .size, .modified].map { column in
            let nextDescending = column == order ? !descending : false
            return FolderView.SortLink(
                aria: column == order ? (descending ? "descending" : "ascending") : "none",
                href: Self.href(space, path: here) + "&sort=\(column.rawValue)" + (nextDescending ? "&desc=1" : ""),
                mark: column == order ? (descending ? " ↓" : " ↑") : "")
        }
        let rows = entries.map { row($0, space: space, canEdit: canEdit, language: t) }
        let view = SpaceFolderView(
            space: space, crumbs: crumbs, pathText: here.description, canEdit: canEdit, csrf: session.csrfToken,
            here: request.uri.string, uploadURL: Self.href(space, "upload", path: here),
            folderURL: Self.href(space, "folders", path: here), newURL: Self.href(space, "new", path: here),
            rows: rows, sortLinks: sortLinks)
        let title = here.isRoot ? space : here.name
        return WebPage(title: title, visitor: visitor, template: "space", view: view).response()
    }

    func row(_ entry: SpaceEntry, space: String, canEdit: Bool, language: Language) -> SpaceFolderView.Row {
        var editable = false
        var viewable = false
        if !entry.isFolder {
            let ext = String(FileName.splitExtension(entry.path.name).ext.dropFirst()).lowercased()
            editable = chooser.offers("edit", ext: ext)
            viewable = chooser.offers("view", ext: ext) || editable
        }
        let action = editable && canEdit ? "edit" : viewable ? "view" : nil
        let path = entry.path
        return SpaceFolderView.Row(
            name: path.name, isFolder: entry.isFolder,
            href: entry.isFolder
                ? Self.href(space, path: path)
                : action.map { Self.href(space, "open", path: path) + "&action=" + $0 }
                    ?? Self.href(space, "download", path: path),
            downloadOnly: !entry.isFolder && !editable && !viewable,
            editURL: editable && canEdit ? Self.href(space, "open", path: path) + "&action=edit" : nil,
            viewURL: viewable ? Self.href(space, "open", path: path) + "&action=view" : nil,
            downloadURL: Self.href(space, "download", path: path),
            versionsURL: Self.href(space, "versions", path: path),
            renameURL: Self.href(space, "rename", path: path), deleteURL: Self.href(space, "delete", path: path),
            size: entry.isFolder ? "" : WebFormat.size(entry.size, language),
            modified: WebFormat.time(entry.modifiedAt, language))
    }

    // MARK: Documents

    @Sendable func open(_ request: Request, context: Context) async throws -> Response {
        let (user, _) = try await auth.visitor(request).requireUser()
        let action = request.uri.queryParameters["action"].map(String.init) ?? "edit"
        guard ["edit", "view"].contains(action) else { throw FolioError.badRequest("open a document to edit or view") }
        let file = try await folio.openSpaceDocument(try name(context), path: try path(request), user: user)
        return WebPage.redirect("/files/\(file.id)/\(action)")
    }

    /// The document's bytes as the storage has them now, streamed.
    @Sendable func download(_ request: Request, context: Context) async throws -> Response {
        let (user, _) = try await auth.visitor(request).requireUser()
        let (entry, content) = try await folio.readSpaceDocument(try name(context), path: try path(request), user: user)
        var headers = HTTPFields()
        headers[.contentDisposition] = "attachment; filename*=UTF-8''" + ActionURL.percentEncode(entry.path.name)
        headers[.cacheControl] = "no-store"
        return ContentResponse.make(size: entry.size, headers: headers, reader: content, on: context.eventLoop)
    }

    /// Uploads stream through Folio's blob store into the storage; a cut-off one leaves nothing.
    @Sendable func upload(_ request: Request, context: Context) async throws -> Response {
        let (user, session) = try await auth.visitor(request).requireUser()
        try auth.checkCSRF(request.headers[HTTPField.Name("X-CSRF-Token")!], session: session)
        guard let fileName = request.uri.queryParameters["name"].map(String.init), !fileName.isEmpty else {
            throw FolioError.badRequest("the upload has no name")
        }
        let size = try request.contentLength()
        if let size, size > folio.settings.maxUploadBytes {
            throw FolioError.tooLarge(limit: folio.settings.maxUploadBytes)
        }
        let file = try await folio.uploadToSpace(
            request.body, expectedSize: size, name: fileName, folder: try path(request), space: try name(context),
            user: user)
        return try JSONResponse.make(["id": file.id, "name": file.name, "size": String(file.size)], status: .created)
    }

    @Sendable func createFolder(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let space = try name(context)
        let made = try await folio.makeSpaceFolder(
            named: try form.require("name"), in: try path(request), space: space, user: user)
        return WebPage.redirect(Self.href(space, path: made))
    }

    @Sendable func newDocument(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let space = try name(context)
        let folder = try path(request)
        guard let template = form["template"].flatMap(DocumentTemplate.init(rawValue:)) else {
            throw FolioError.badRequest("choose a kind of document")
        }
        let (editable, empty) = await chooser.newDocument(template)
        let file = try await folio.newSpaceDocument(
            template, name: form["name"] ?? "", folder: folder, space: space, user: user, empty: empty)
        return WebPage.redirect(editable ? "/files/\(file.id)/edit" : Self.href(space, path: folder))
    }

    @Sendable func rename(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let space = try name(context)
        let from = try path(request)
        _ = try await folio.renameSpaceDocument(space, path: from, to: try form.require("name"), user: user)
        return WebPage.redirect(form.back ?? Self.href(space, path: from.parent))
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let space = try name(context)
        let gone = try path(request)
        try await folio.deleteSpaceDocument(space, path: gone, user: user)
        return WebPage.redirect(form.back ?? Self.href(space, path: gone.parent))
    }
}

/// Where the pages go back to from a file: its folder in Folio, or its folder in its space.
enum SpaceLinks {
    static func folderHref(of file: StoredFile, folio: Folio) async throws -> String {
        guard let (space, path) = try await folio.spaceLocation(of: file) else { return "/browse/\(file.folderID)" }
        return href(space, path: path.parent)
    }

    /// A page or action of a space, on the folder or document at `path`.
    static func href(_ space: String, _ action: String = "", path: SpacePath) -> String {
        "/spaces/\(space)\(action.isEmpty ? "" : "/" + action)?path=" + ActionURL.percentEncode(path.description)
    }
}
