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

    func linkURL(_ link: ShareLink) -> String { urls.base + "/s/" + link.id }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let visitor = try await auth.visitor(request)
        let (user, session) = try visitor.requireUser()
        let t = visitor.language
        let id = try context.parameters.require("id")
        let kind = try context.parameters.require("kind")
        let item = try await folio.itemRole(id, user: user)
        let grants = try await folio.grants(on: id, user: user)
        let links = try await folio.links(on: id, user: user)
        func roleOptions(_ selected: Role?, allowed: [Role] = Role.allCases) -> [RoleOption] {
            allowed.map { RoleOption(value: $0.name, label: t(WebFormat.roleLabel($0)), selected: $0 == selected) }
        }
        let view = ShareView(
            itemName: item.name, kind: kind, id: id, csrf: session.csrfToken,
            grants: grants.map {
                ShareView.Grant(login: $0.user.login, displayName: $0.user.displayName, roles: roleOptions($0.role))
            },
            links: links.map { link in
                ShareView.Link(
                    linkID: link.id, url: linkURL(link), roleLabel: t(WebFormat.roleLabel(link.role)),
                    expires: link.expiresAt.map { WebFormat.time($0, t) }, hasPassword: link.passwordHash != nil)
            },
            grantRoles: roleOptions(.view), linkRoles: roleOptions(.view, allowed: [.view, .edit]))
        return WebPage(title: t(.share), visitor: visitor, template: "share", view: view).response()
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
        let link = try await folio.liveLink(try context.parameters.require("link"))
        // Already in through this link: straight on.
        if let user = visitor.user, user.guestLinkID == link.id {
            return WebPage.redirect(try await auth.destination(of: link))
        }
        let view = LandingView(error: error, linkID: link.id, hasPassword: link.passwordHash != nil)
        return WebPage(title: t(.openASharedItem), visitor: visitor, template: "landing", view: view).response()
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
