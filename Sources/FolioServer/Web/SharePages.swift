import FolioCore
import Foundation
import Hummingbird

/// Sharing a file or folder with people and by public link, and the page guests open a link on.
struct SharePages<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth
    let urls: WOPIURLs

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("share/{kind}/{id}", use: page)
        router.post("share/{kind}/{id}/grants", use: grant)
        router.post("share/{kind}/{id}/links", use: createLink)
        router.post("share/links/{link}/revoke", use: revoke)
        router.get("s/{link}", use: landing)
        router.post("s/{link}", use: join)
    }

    static func roleLabel(_ role: Role) -> String {
        switch role {
        case .view: "viewer"
        case .comment: "commenter"
        case .edit: "editor"
        }
    }

    func linkURL(_ link: ShareLink) -> String { urls.base + "/s/" + link.id }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let (user, session) = try visitor.requireUser()
        let t = visitor.language
        let e = HTMLText.escape
        let id = try context.parameters.require("id")
        let kind = try context.parameters.require("kind")
        let item = try await folio.itemRole(id, user: user)
        let grants = try await folio.grants(on: id, user: user)
        let links = try await folio.links(on: id, user: user)
        let csrf = WebPage.csrfField(session)
        func roleOptions(_ selected: Role?, allowed: [Role] = Role.allCases) -> String {
            allowed.map { role in
                "<option value=\"\(role.name)\"\(role == selected ? " selected" : "")>\(e(t(Self.roleLabel(role))))</option>"
            }.joined()
        }
        var html = "<h1>\(e(t("Share"))): \(e(item.name))</h1><section class=\"card\"><h2>\(e(t("People")))</h2>"
        if grants.isEmpty { html += "<p class=\"empty\">\(e(t("Nobody else has access yet.")))</p>" }
        html += "<ul class=\"grants\">"
        for grant in grants {
            html += """
                <li data-login="\(e(grant.user.login))"><span>\(e(grant.user.displayName)) <small>(\(e(grant.user.login)))</small></span>\
                <form method="post" action="/share/\(kind)/\(id)/grants" class="inline">\(csrf)\
                <input type="hidden" name="login" value="\(e(grant.user.login))">\
                <select name="role" aria-label="\(e(t("Role")))">\(roleOptions(grant.role))<option value="none">\(e(t("Remove")))</option></select>\
                <button type="submit">\(e(t("Done.")))</button></form></li>
                """
        }
        html += """
            </ul><form method="post" action="/share/\(kind)/\(id)/grants" class="row">\(csrf)\
            <label>\(e(t("Login of a user"))) <input name="login" id="share-login" required></label>\
            <label>\(e(t("Role"))) <select name="role" id="share-role">\(roleOptions(.view))</select></label>\
            <button type="submit" class="primary" id="share-add">\(e(t("Add")))</button></form></section>
            <section class="card"><h2>\(e(t("Public links")))</h2><p>\(e(t("Anyone with the link can open this item without an account.")))</p>
            """
        if links.isEmpty { html += "<p class=\"empty\">\(e(t("No public links.")))</p>" }
        html += "<ul class=\"links\">"
        for link in links {
            let expiry = link.expiresAt.map { WebFormat.time($0, t) } ?? e(t("never"))
            html += """
                <li data-link="\(link.id)"><input class="link-url" readonly value="\(e(linkURL(link)))" aria-label="URL">\
                <span>\(e(t(Self.roleLabel(link.role)))) · \(e(t("Expires"))): \(expiry)\(link.passwordHash != nil ? " · " + e(t("with password")) : "")</span>\
                <button type="button" data-copy>\(e(t("Copy")))</button>\
                <form method="post" action="/share/links/\(link.id)/revoke" class="inline">\(csrf)\
                <button type="submit" class="danger">\(e(t("Revoke")))</button></form></li>
                """
        }
        html += """
            </ul><form method="post" action="/share/\(kind)/\(id)/links" class="row">\(csrf)\
            <label>\(e(t("Role"))) <select name="role" id="link-role">\(roleOptions(.view, allowed: [.view, .edit]))</select></label>\
            <label>\(e(t("Expires on (optional)"))) <input type="date" name="expires" id="link-expires"></label>\
            <label>\(e(t("Password (optional)"))) <input type="password" name="password" id="link-password" autocomplete="new-password"></label>\
            <button type="submit" class="primary" id="link-create">\(e(t("Create link")))</button></form></section>
            """
        return WebPage(title: t("Share"), visitor: visitor, content: html).response()
    }

    @Sendable func grant(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let id = try context.parameters.require("id")
        let kind = try context.parameters.require("kind")
        let roleName = try form.require("role")
        let role = roleName == "none" ? nil : Role(name: roleName)
        if roleName != "none", role == nil { throw FolioError.badRequest("the role must be view, comment or edit") }
        try await folio.shareItem(id, withLogin: try form.require("login"), role: role, by: user)
        return WebPage.redirect("/share/\(kind)/\(id)")
    }

    @Sendable func createLink(_ request: Request, context: Context) async throws -> Response {
        let (user, form) = try await auth.formUser(request)
        let id = try context.parameters.require("id")
        let kind = try context.parameters.require("kind")
        guard let role = Role(name: try form.require("role")) else { throw FolioError.badRequest("unknown role") }
        var expiresAt: Int64?
        if let day = form["expires"], !day.isEmpty {
            // The end of the chosen day, UTC.
            let parser = ISO8601DateFormatter()
            parser.formatOptions = [.withFullDate]
            guard let date = parser.date(from: day) else { throw FolioError.badRequest("the expiry is not a date") }
            expiresAt = Int64((date.timeIntervalSince1970 + 86400) * 1e6)
        }
        _ = try await folio.createLink(
            on: id, role: role, expiresAt: expiresAt, password: form["password"], by: user)
        return WebPage.redirect("/share/\(kind)/\(id)")
    }

    @Sendable func revoke(_ request: Request, context: Context) async throws -> Response {
        let (user, _) = try await auth.formUser(request)
        let linkID = try context.parameters.require("link")
        guard let link = try await folio.sharing.link(id: linkID) else { throw FolioError.notFound("no such link") }
        try await folio.revokeLink(linkID, by: user)
        let kind = try await folio.files.file(id: link.resourceID) != nil ? "file" : "folder"
        return WebPage.redirect("/share/\(kind)/\(link.resourceID)")
    }

    @Sendable func landing(_ request: Request, context: Context) async throws -> Response {
        try await landingPage(request, context: context, error: nil)
    }

    func landingPage(_ request: Request, context: Context, error: String?) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let t = visitor.language
        let e = HTMLText.escape
        let link = try await folio.liveLink(try context.parameters.require("link"))
        // Already in through this link: straight on.
        if let user = visitor.user, user.guestLinkID == link.id {
            return WebPage.redirect(try await auth.destination(of: link))
        }
        let content = """
            <section class="card narrow">
            <h1>\(e(t("Open a shared item")))</h1>
            \(error.map { "<p class=\"error\" role=\"alert\">\(e($0))</p>" } ?? "")
            <form method="post" action="/s/\(link.id)" class="stack">
            <label>\(e(t("Your name, as others will see it"))) <input name="name" id="guest-name" required maxlength="64" autofocus></label>
            \(link.passwordHash != nil ? "<label>\(e(t("Password"))) <input name=\"password\" id=\"guest-password\" type=\"password\" required></label>" : "")
            <button type="submit" class="primary" id="guest-open">\(e(t("Open")))</button>
            </form>
            </section>
            """
        return WebPage(title: t("Open a shared item"), visitor: visitor, content: content).response()
    }

    @Sendable func join(_ request: Request, context: Context) async throws -> Response {
        let form = try await WebForm.read(request)
        let linkID = try context.parameters.require("link")
        do {
            let (secret, session, _, link) = try await folio.joinLink(
                linkID, displayName: form["name"] ?? "", password: form["password"])
            var response = WebPage.redirect(try await auth.destination(of: link))
            response.setCookie(auth.sessionCookie(secret, expiresAt: session.expiresAt))
            return response
        } catch let error as FolioError {
            if case .notFound = error { throw error }
            return try await landingPage(request, context: context, error: WebErrorMiddleware<Context>.detail(error))
        }
    }
}
