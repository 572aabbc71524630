import FolioCore
import FolioPreview
import Foundation
import HTTPTypes
import Hummingbird
import WOPI

/// The file browser: folders with breadcrumbs, sorting, search and pages; uploads, new folders
/// and documents; rename, move and delete; the trash and what others shared.
struct BrowserPages<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth
    let chooser: EditorChooser
    /// Whether previews work on this server (thumbnails in the listing).
    var previews = false
    static var pageSize: Int { 100 }

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("browse") { request, _ in
            let visitor = try await auth.visitor(request)
            let (user, _) = try visitor.requireUser()
            // A guest has no folder of their own: the link's item is their start.
            if let linkID = user.guestLinkID {
                throw WebRedirect.to(try await auth.destination(of: try await folio.liveLink(linkID)))
            }
            return try await folder(request, visitor: visitor, id: user.rootFolderID)
        }
        router.get("browse/{id}") { request, context in
            try await folder(request, visitor: try await auth.visitor(request), id: context.parameters.require("id"))
        }
        router.post("browse/{id}/folders", use: createFolder)
        router.post("browse/{id}/new", use: newDocument)
        router.put("browse/{id}/upload", use: upload)
        router.post("items/{kind}/{id}/rename", use: rename)
        router.post("items/{kind}/{id}/move", use: move)
        router.post("items/{kind}/{id}/delete", use: delete)
        router.get("trash", use: trashPage)
        router.post("trash/{kind}/{id}/restore", use: restore)
        router.post("trash/empty", use: emptyTrash)
        router.get("shared", use: sharedPage)
    }

    // MARK: Pages

    func folder(_ request: Request, visitor: WebVisitor, id: String) async throws -> Response {
        let (user, session) = try visitor.requireUser()
        let t = visitor.language
        let (folder, role) = try await folio.folderAccess(id, user: user)
        // The folders that hold a space's documents are Folio's bookkeeping: the space is shown.
        if let space = folio.space(owningFolder: folder) { throw WebRedirect.to("/spaces/\(space.name)") }
        let query = request.uri.queryParameters
        let order = query["sort"].flatMap { ListingOrder(rawValue: String($0)) } ?? .name
        let descending = query["desc"] == "1"
        let search = query["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        // Pages are read by keyset (`after` or `before` an item's place), so the hundredth page
        // costs what the first does; `page` only numbers it. A bare `page=N` (an old link)
        // is read by offset once, and its links go on by keyset.
        let page = max(0, query["page"].flatMap { Int(String($0)) } ?? 0)
        let after = try query["after"].map { try ListingCursor(token: String($0)) }
        let before = try query["before"].map { try ListingCursor(token: String($0)) }
        let listing =
            if after != nil || before != nil || page == 0 {
                try await folio.listing(
                    id, user: user, order: order, descending: descending, nameContains: search,
                    cursor: after ?? before, backwards: before != nil, pageSize: Self.pageSize)
            } else {
                try await folio.listing(
                    id, user: user, order: order, descending: descending, nameContains: search, page: page,
                    pageSize: Self.pageSize)
            }
        let trail = try await folio.breadcrumbs(id, user: user)
        let canEdit = role == .edit
        let crumbs = trail.enumerated().map { index, crumb in
            FolderView.Crumb(
                id: crumb.id, name: crumb.parentID == nil && crumb.ownerID == user.id ? t(.files) : crumb.name,
                current: index == trail.count - 1)
        }
        // The search is kept in every sorting and paging link.
        let searchQuery = search.isEmpty ? "" : "&q=" + ActionURL.percentEncode(search)
        let sortLinks = [ListingOrder.name, .size, .modified].map { column in
            let nextDescending = column == order ? !descending : false
            return FolderView.SortLink(
                aria: column == order ? (descending ? "descending" : "ascending") : "none",
                href: "/browse/\(id)?sort=\(column.rawValue)" + (nextDescending ? "&desc=1" : "") + searchQuery,
                mark: column == order ? (descending ? " ↓" : " ↑") : "")
        }
        let pages = (listing.total + Self.pageSize - 1) / Self.pageSize
        func pageLink(_ number: Int, _ place: String?) -> String {
            "/browse/\(id)?sort=\(order.rawValue)" + (descending ? "&desc=1" : "") + searchQuery
                + (number > 0 ? "&page=\(number)" + (place ?? "") : "")
        }
        // Forward there is more when the store says so; having come backwards, the page left.
        let hasNext = before != nil ? !listing.items.isEmpty : listing.hasMore
        let hasPrevious = page > 0 && (before == nil || listing.hasMore)
        let following = listing.items.last.flatMap { last in
            hasNext ? pageLink(page + 1, "&after=" + ListingCursor(last, order: order).token) : nil
        }
        let previous =
            hasPrevious
            ? pageLink(page - 1, listing.items.first.map { "&before=" + ListingCursor($0, order: order).token })
            : nil
        let pager =
            pages > 1 || page > 0
            ? FolderView.Pager(
                previous: previous, following: following, number: page + 1, pages: max(pages, page + 1),
                total: listing.total) : nil
        let view = FolderView(
            language: t, crumbs: crumbs, folderID: id, sort: order.rawValue, descending: descending, search: search,
            canEdit: canEdit, canShare: canEdit && !user.isGuest, csrf: session.csrfToken, here: request.uri.string,
            rows: listing.items.map { row($0, canEdit: canEdit, language: t) }, sortLinks: sortLinks, pager: pager)
        let title = trail.last.map { $0.parentID == nil && $0.ownerID == user.id ? t(.files) : $0.name } ?? folder.name
        return WebPage(title: title, visitor: visitor, template: "browse", view: view).response()
    }

    /// Whether previews draw this item (a thumbnail beside its name).
    func drawn(_ kind: ListingItem.Kind, name: String, size: Int64) -> Bool {
        previews && kind == .file && size > 0
            && PreviewService.previewable.contains(String(FileName.splitExtension(name).ext.dropFirst()).lowercased())
    }

    /// One item of a listing, with the editors that open it.
    func row(_ item: ListingItem, canEdit: Bool, language: Language) -> FolderView.Row {
        var editable = false
        var viewable = false
        var previewable = false
        if item.kind == .file {
            let ext = String(FileName.splitExtension(item.name).ext.dropFirst()).lowercased()
            editable = chooser.offers("edit", ext: ext)
            viewable = chooser.offers("view", ext: ext) || editable
            previewable = previews && PreviewService.previewable.contains(ext) && item.size > 0
        }
        // Without an editor, a document the previews engine draws opens as its preview.
        let open = editable && canEdit ? "edit" : viewable ? "view" : previewable ? "preview" : "download"
        return FolderView.Row(
            id: item.id, name: item.name, isFolder: item.kind == .folder, open: open, lockedBy: item.lockedBy,
            downloadOnly: item.kind == .file && !editable && !viewable, editable: editable && canEdit,
            viewable: viewable, previewable: previewable,
            size: item.kind == .file ? WebFormat.size(item.size, language) : "",
            modified: WebFormat.time(item.modifiedAt, language))
    }

    // MARK: Actions

    @Sendable func createFolder(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let parent = try context.parameters.require("id")
        let folder = try await folio.createFolder(named: try form.require("name"), in: parent, user: user)
        return WebPage.redirect("/browse/\(folder.id)")
    }

    @Sendable func newDocument(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let parent = try context.parameters.require("id")
        guard let template = form["template"].flatMap(DocumentTemplate.init(rawValue:)) else {
            throw FolioError.badRequest("choose a kind of document")
        }
        let (editable, empty) = await chooser.newDocument(template)
        let file = try await folio.newDocument(
            template, name: form["name"] ?? "", in: parent, user: user, empty: empty)
        return WebPage.redirect(editable ? "/files/\(file.id)/edit" : "/browse/\(parent)")
    }

    /// Uploads stream the request body straight to the blob store; a cut-off upload leaves nothing.
    @Sendable func upload(_ request: Request, context: Context) async throws -> Response {
        let (user, session) = try await auth.visitor(request).requireUser()
        try auth.checkCSRF(request.headers[HTTPField.Name("X-CSRF-Token")!], session: session)
        let folderID = try context.parameters.require("id")
        guard let name = request.uri.queryParameters["name"].map(String.init), !name.isEmpty else {
            throw FolioError.badRequest("the upload has no name")
        }
        let size = try request.contentLength()
        if let size, size > folio.settings.maxUploadBytes {
            throw FolioError.tooLarge(limit: folio.settings.maxUploadBytes)
        }
        let file = try await folio.upload(request.body, expectedSize: size, name: name, folderID: folderID, user: user)
        return try JSONResponse.make(["id": file.id, "name": file.name, "size": String(file.size)], status: .created)
    }

    func item(_ context: Context) throws -> (ListingItem.Kind, String) {
        guard let kind = ListingItem.Kind(rawValue: try context.parameters.require("kind")) else {
            throw FolioError.notFound("no such kind of item")
        }
        return (kind, try context.parameters.require("id"))
    }

    @Sendable func rename(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let (kind, id) = try item(context)
        try await folio.renameItem(kind, id: id, to: try form.require("name"), user: user)
        return WebPage.redirect(form.back ?? "/browse")
    }

    @Sendable func move(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let (kind, id) = try item(context)
        let target = try form.require("target")
        try await folio.moveItem(kind, id: id, to: target, user: user)
        return WebPage.redirect("/browse/\(target)")
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let (kind, id) = try item(context)
        try await folio.trashItem(kind, id: id, user: user)
        return WebPage.redirect(form.back ?? "/browse")
    }

    @Sendable func trashPage(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let (user, session) = try visitor.requireUser()
        let t = visitor.language
        let rows = try await folio.trash(of: user).map { item in
            ItemRow(
                kind: item.kind.rawValue, id: item.id, name: item.name, href: "",
                size: item.kind == .file ? WebFormat.size(item.size, t) : "", time: WebFormat.time(item.deletedAt, t),
                thumbnail: drawn(item.kind, name: item.name, size: item.size) ? "/trash/file/\(item.id)/thumbnail" : nil
            )
        }
        let view = ItemsView(csrf: session.csrfToken, rows: rows)
        return WebPage(title: t(.trash), visitor: visitor, template: "trash", view: view).response()
    }

    @Sendable func restore(_ request: Request, context: Context) async throws -> Response {
        let (user, _) = try await auth.formUser(request)
        let (kind, id) = try item(context)
        try await folio.restoreItem(kind, id: id, user: user)
        return WebPage.redirect("/trash")
    }

    @Sendable func emptyTrash(_ request: Request, context: Context) async throws -> Response {
        let (user, _) = try await auth.formUser(request)
        try await folio.emptyTrash(of: user)
        return WebPage.redirect("/trash")
    }

    @Sendable func sharedPage(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let (user, session) = try visitor.requireUser()
        let t = visitor.language
        let rows = try await folio.sharedWith(user).map { item in
            ItemRow(
                kind: item.kind.rawValue, id: item.id, name: item.name,
                href: item.kind == .folder ? "/browse/\(item.id)" : "/files/\(item.id)/edit",
                size: item.kind == .file ? WebFormat.size(item.size, t) : "", time: WebFormat.time(item.modifiedAt, t),
                thumbnail: drawn(item.kind, name: item.name, size: item.size) ? "/files/\(item.id)/thumbnail" : nil)
        }
        let view = ItemsView(csrf: session.csrfToken, rows: rows)
        return WebPage(title: t(.sharedWithMe), visitor: visitor, template: "shared", view: view).response()
    }
}
