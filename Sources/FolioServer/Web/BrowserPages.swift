import FolioCore
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
        let e = HTMLText.escape
        let (folder, role) = try await folio.folderAccess(id, user: user)
        let query = request.uri.queryParameters
        let order = query["sort"].flatMap { ListingOrder(rawValue: String($0)) } ?? .name
        let descending = query["desc"] == "1"
        let search = query["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        let page = max(0, query["page"].flatMap { Int(String($0)) } ?? 0)
        let listing = try await folio.listing(
            id, user: user, order: order, descending: descending, nameContains: search, page: page,
            pageSize: Self.pageSize)
        let trail = try await folio.breadcrumbs(id, user: user)
        let canEdit = role == .edit
        let here = request.uri.string
        let csrf = WebPage.csrfField(session)

        var html = "<nav class=\"crumbs\" aria-label=\"Breadcrumbs\"><ol>"
        for (index, crumb) in trail.enumerated() {
            let name = crumb.parentID == nil && crumb.ownerID == user.id ? t("Files") : crumb.name
            html +=
                index == trail.count - 1
                ? "<li aria-current=\"page\">\(e(name))</li>"
                : "<li><a href=\"/browse/\(crumb.id)\">\(e(name))</a></li>"
        }
        html += "</ol></nav>"
        html += "<div class=\"toolbar\">"
        html += """
            <form method="get" action="/browse/\(id)" class="search" role="search">\
            <input type="hidden" name="sort" value="\(order.rawValue)">\(descending ? "<input type=\"hidden\" name=\"desc\" value=\"1\">" : "")\
            <input type="search" name="q" id="search" value="\(e(search))" placeholder="\(e(t("Search by name")))" aria-label="\(e(t("Search by name")))">\
            <button type="submit">\(e(t("Search")))</button></form>
            """
        if canEdit {
            html += """
                <label class="button primary" for="upload-input">\(e(t("Upload files")))</label>\
                <input type="file" id="upload-input" multiple hidden>\
                <button type="button" data-open="folder-dialog">\(e(t("New folder")))</button>\
                <button type="button" data-open="new-dialog">\(e(t("New document")))</button>
                """
        }
        html += "</div>"
        if canEdit {
            html += """
                <div id="move-bar" class="move-bar" hidden><span>\(e(t("Moving"))): <strong id="move-name"></strong></span>\
                <form method="post" id="move-form">\(csrf)<input type="hidden" name="target" value="\(id)">\
                <input type="hidden" name="back" value="\(e(here))"><button type="submit" class="primary">\(e(t("Move here")))</button></form>\
                <button type="button" id="move-cancel">\(e(t("Cancel")))</button></div>
                <section id="upload" class="dropzone" data-url="/browse/\(id)/upload" data-csrf="\(e(session.csrfToken))" \
                data-cancel="\(e(t("Cancel")))" data-cancelled="\(e(t("Cancelled")))" data-failed="\(e(t("Failed")))" data-done="\(e(t("Uploaded")))">\
                <p>\(e(t("Drop files here to upload them")))</p><ul id="uploads" aria-live="polite"></ul></section>
                """
        }
        html += listingTable(
            listing, folderID: id, order: order, descending: descending, search: search, page: page,
            visitor: visitor, session: session, canEdit: canEdit, here: here)
        if canEdit { html += dialogs(folderID: id, visitor: visitor, session: session, here: here) }
        let title = trail.last.map { $0.parentID == nil && $0.ownerID == user.id ? t("Files") : $0.name } ?? folder.name
        return WebPage(title: title, visitor: visitor, content: html).response()
    }

    func listingTable(
        _ listing: ListingPage, folderID: String, order: ListingOrder, descending: Bool, search: String, page: Int,
        visitor: WebVisitor, session: WebSession, canEdit: Bool, here: String
    ) -> String {
        let t = visitor.language
        let e = HTMLText.escape
        guard !listing.items.isEmpty else {
            return
                "<p class=\"empty\">\(e(search.isEmpty ? t("This folder is empty.") : t("No file or folder matches.")))</p>"
        }
        func sortLink(_ column: ListingOrder, _ label: String) -> String {
            let nextDescending = column == order ? !descending : false
            var href = "/browse/\(folderID)?sort=\(column.rawValue)" + (nextDescending ? "&desc=1" : "")
            if !search.isEmpty { href += "&q=" + ActionURL.percentEncode(search) }
            let mark = column == order ? (descending ? " ↓" : " ↑") : ""
            let sort = column == order ? (descending ? "descending" : "ascending") : "none"
            return "<th scope=\"col\" aria-sort=\"\(sort)\"><a href=\"\(e(href))\">\(e(label))\(mark)</a></th>"
        }
        var html =
            "<table class=\"listing\"><thead><tr>" + sortLink(.name, t("Name")) + sortLink(.size, t("Size"))
            + sortLink(.modified, t("Modified")) + "<th scope=\"col\">\(e(t("Actions")))</th></tr></thead><tbody>"
        let csrf = WebPage.csrfField(session)
        let back = "<input type=\"hidden\" name=\"back\" value=\"\(e(here))\">"
        for item in listing.items {
            let kind = item.kind.rawValue
            var actions = ""
            var link: String
            var extra = ""
            switch item.kind {
            case .folder:
                link = "<a class=\"item folder\" href=\"/browse/\(item.id)\">\(e(item.name))</a>"
            case .file:
                let ext = String(FileName.splitExtension(item.name).ext.dropFirst()).lowercased()
                let editable = chooser.offers("edit", ext: ext)
                let viewable = chooser.offers("view", ext: ext) || editable
                let open = editable && canEdit ? "edit" : viewable ? "view" : nil
                link =
                    open.map { "<a class=\"item file\" href=\"/files/\(item.id)/\($0)\">\(e(item.name))</a>" }
                    ?? "<a class=\"item file\" href=\"/files/\(item.id)/download\">\(e(item.name))</a>"
                if let holder = item.lockedBy {
                    extra = " <span class=\"badge editing\">\(e(holder)) \(e(t("editing")))</span>"
                }
                if editable, canEdit {
                    actions += "<a class=\"button\" href=\"/files/\(item.id)/edit\">\(e(t("Edit")))</a>"
                }
                if viewable { actions += "<a class=\"button\" href=\"/files/\(item.id)/view\">\(e(t("View")))</a>" }
                if !editable, !viewable {
                    extra +=
                        " <span class=\"badge muted\" title=\"\(e(t("No configured editor can open this file.")))\">"
                        + "\(e(t("download only")))</span>"
                }
                actions += "<a class=\"button\" href=\"/files/\(item.id)/download\">\(e(t("Download")))</a>"
                actions += "<a class=\"button\" href=\"/files/\(item.id)/versions\">\(e(t("Versions")))</a>"
            }
            if canEdit && !(visitor.user?.isGuest ?? true) {
                actions += "<a class=\"button\" href=\"/share/\(kind)/\(item.id)\">\(e(t("Share")))</a>"
            }
            if canEdit {
                actions += """
                    <button type="button" data-rename="/items/\(kind)/\(item.id)/rename" data-name="\(e(item.name))">\(e(t("Rename")))</button>\
                    <button type="button" data-move="/items/\(kind)/\(item.id)/move" data-name="\(e(item.name))">\(e(t("Move")))</button>\
                    <form method="post" action="/items/\(kind)/\(item.id)/delete" class="inline">\(csrf)\(back)\
                    <button type="submit" class="danger">\(e(t("Delete")))</button></form>
                    """
            }
            html += """
                <tr data-kind="\(kind)" data-id="\(item.id)" data-name="\(e(item.name))">\
                <td class="name">\(link)\(extra)</td>\
                <td class="size">\(item.kind == .file ? WebFormat.size(item.size, t) : "")</td>\
                <td class="time">\(WebFormat.time(item.modifiedAt, t))</td>\
                <td class="actions"><div class="actions">\(actions)</div></td></tr>
                """
        }
        html += "</tbody></table>"
        let pages = (listing.total + Self.pageSize - 1) / Self.pageSize
        if pages > 1 {
            func pageLink(_ number: Int, _ label: String, _ rel: String) -> String {
                var href = "/browse/\(folderID)?sort=\(order.rawValue)&page=\(number)" + (descending ? "&desc=1" : "")
                if !search.isEmpty { href += "&q=" + ActionURL.percentEncode(search) }
                return "<a rel=\"\(rel)\" href=\"\(e(href))\">\(e(label))</a>"
            }
            html += "<nav class=\"pages\" aria-label=\"\(e(t("Page")))\">"
            if page > 0 { html += pageLink(page - 1, "← " + t("Previous"), "prev") }
            html +=
                "<span>\(e(t("Page"))) \(page + 1) \(e(t("of"))) \(pages) · \(listing.total) \(e(t("items")))</span>"
            if page + 1 < pages { html += pageLink(page + 1, t("Next") + " →", "next") }
            html += "</nav>"
        }
        return html
    }

    func dialogs(folderID: String, visitor: WebVisitor, session: WebSession, here: String) -> String {
        let t = visitor.language
        let e = HTMLText.escape
        let csrf = WebPage.csrfField(session)
        let back = "<input type=\"hidden\" name=\"back\" value=\"\(e(here))\">"
        let templates: [(DocumentTemplate, String)] = [
            (.docx, t("Word document")), (.xlsx, t("Excel workbook")), (.pptx, t("PowerPoint presentation")),
            (.odt, t("OpenDocument text")), (.ods, t("OpenDocument spreadsheet")),
            (.odp, t("OpenDocument presentation")),
        ]
        return """
            <dialog id="folder-dialog"><form method="post" action="/browse/\(folderID)/folders" class="stack">\(csrf)\(back)
            <h2>\(e(t("New folder")))</h2><label>\(e(t("Name"))) <input name="name" id="folder-name" required></label>
            <div class="buttons"><button type="submit" class="primary">\(e(t("Create")))</button>\
            <button type="button" data-close>\(e(t("Cancel")))</button></div></form></dialog>
            <dialog id="new-dialog"><form method="post" action="/browse/\(folderID)/new" class="stack">\(csrf)
            <h2>\(e(t("New document")))</h2>
            <fieldset class="templates">\(templates.enumerated().map { index, entry in
                "<label><input type=\"radio\" name=\"template\" value=\"\(entry.0.rawValue)\"\(index == 0 ? " checked" : "")> \(e(entry.1)) <small>.\(entry.0.rawValue)</small></label>"
            }.joined())</fieldset>
            <label>\(e(t("Name"))) <input name="name" id="document-name" required></label>
            <div class="buttons"><button type="submit" class="primary">\(e(t("Create")))</button>\
            <button type="button" data-close>\(e(t("Cancel")))</button></div></form></dialog>
            <dialog id="rename-dialog"><form method="post" class="stack">\(csrf)\(back)
            <h2>\(e(t("Rename")))</h2><label>\(e(t("New name"))) <input name="name" id="rename-name" required></label>
            <div class="buttons"><button type="submit" class="primary">\(e(t("Rename")))</button>\
            <button type="button" data-close>\(e(t("Cancel")))</button></div></form></dialog>
            """
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
        // Editors that create the document themselves get an empty file (Office and ONLYOFFICE
        // with editnew, Collabora from TemplateSource); without an editor it holds the template.
        let options = await chooser.options(ext: template.rawValue, action: "edit", emptyFile: true, canConvert: false)
        let empty = options.first.map { $0.0 == .collabora || $0.2.name == "editnew" } ?? false
        let file = try await folio.newDocument(
            template, name: form["name"] ?? "", in: parent, user: user, empty: empty)
        return WebPage.redirect(options.isEmpty ? "/browse/\(parent)" : "/files/\(file.id)/edit")
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
        let e = HTMLText.escape
        let items = try await folio.trash(of: user)
        let csrf = WebPage.csrfField(session)
        var html = "<h1>\(e(t("Trash")))</h1>"
        if items.isEmpty {
            html += "<p class=\"empty\">\(e(t("The trash is empty.")))</p>"
        } else {
            html += """
                <form method="post" action="/trash/empty" class="toolbar">\(csrf)<button type="submit" class="danger" id="empty-trash">\(e(t("Empty the trash")))</button></form>
                <table class="listing"><thead><tr><th scope="col">\(e(t("Name")))</th><th scope="col">\(e(t("Size")))</th>\
                <th scope="col">\(e(t("Deleted")))</th><th scope="col">\(e(t("Actions")))</th></tr></thead><tbody>
                """
            for item in items {
                html += """
                    <tr data-kind="\(item.kind.rawValue)" data-id="\(item.id)" data-name="\(e(item.name))">\
                    <td class="name"><span class="item \(item.kind.rawValue)">\(e(item.name))</span></td>\
                    <td class="size">\(item.kind == .file ? WebFormat.size(item.size, t) : "")</td>\
                    <td class="time">\(WebFormat.time(item.deletedAt, t))</td>\
                    <td class="actions"><form method="post" action="/trash/\(item.kind.rawValue)/\(item.id)/restore" class="inline">\(csrf)\
                    <button type="submit">\(e(t("Restore")))</button></form></td></tr>
                    """
            }
            html += "</tbody></table>"
        }
        return WebPage(title: t("Trash"), visitor: visitor, content: html).response()
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
        let (user, _) = try visitor.requireUser()
        let t = visitor.language
        let e = HTMLText.escape
        let items = try await folio.sharing.sharedWith(userID: user.id)
        var html = "<h1>\(e(t("Shared with me")))</h1>"
        if items.isEmpty {
            html += "<p class=\"empty\">\(e(t("This folder is empty.")))</p>"
        } else {
            html +=
                "<table class=\"listing\"><thead><tr><th scope=\"col\">\(e(t("Name")))</th><th scope=\"col\">\(e(t("Size")))</th><th scope=\"col\">\(e(t("Modified")))</th></tr></thead><tbody>"
            for item in items {
                let href = item.kind == .folder ? "/browse/\(item.id)" : "/files/\(item.id)/edit"
                html +=
                    "<tr data-kind=\"\(item.kind.rawValue)\" data-id=\"\(item.id)\"><td class=\"name\"><a class=\"item \(item.kind.rawValue)\" href=\"\(href)\">\(e(item.name))</a></td>"
                    + "<td class=\"size\">\(item.kind == .file ? WebFormat.size(item.size, t) : "")</td><td class=\"time\">\(WebFormat.time(item.modifiedAt, t))</td></tr>"
            }
            html += "</tbody></table>"
        }
        return WebPage(title: t("Shared with me"), visitor: visitor, content: html).response()
    }
}
