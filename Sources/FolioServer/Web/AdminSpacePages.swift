import FolioCore
import Hummingbird

/// Administrators decide who may open each space: a role for everyone signed in, and roles
/// for single users (`folio space grant` does the same from the command line).
struct AdminSpacePages<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("admin/spaces") { request, _ in try await render(request, message: nil) }
        router.post("admin/spaces/{name}/everyone", use: everyone)
        router.post("admin/spaces/{name}/grants", use: grant)
    }

    func render(_ request: Request, message: String?, isError: Bool = false) async throws -> Response {
        let (visitor, _, session) = try await auth.administrator(request)
        let t = visitor.language
        func options(_ selected: Role?) -> [RoleOption] {
            Role.allCases.map {
                RoleOption(value: $0.name, label: t(WebFormat.roleLabel($0)), selected: $0 == selected)
            }
        }
        var entries: [AdminSpacesView.Entry] = []
        for space in folio.configuredSpaces {
            let (everyone, users) = try await folio.spaceGrants(space.name)
            entries.append(
                AdminSpacesView.Entry(
                    name: space.name, storage: space.connector.description, everyone: options(everyone),
                    grants: users.sorted { $0.user.login < $1.user.login }.map {
                        AdminSpacesView.Grant(
                            userID: $0.user.id, login: $0.user.login, displayName: $0.user.displayName,
                            role: t(WebFormat.roleLabel($0.role)))
                    }, grantRoles: options(.view)))
        }
        let view = AdminSpacesView(
            message: message.map { UsersView.Message(style: isError ? "error" : "notice", text: $0) },
            csrf: session.csrfToken, spaces: entries)
        return WebPage(title: t(.spaceAccess), visitor: visitor, template: "admin-spaces", view: view).response()
    }

    /// Runs an administrator's change; a refused one shows the page again with why.
    func act(_ request: Request, _ body: (WebForm) async throws -> Void) async throws -> Response {
        try await auth.administratorAction(
            request, { _, form in try await body(form) },
            render: { message, isError in try await render(request, message: message, isError: isError) })
    }

    /// `none` or a role's name.
    static func role(_ form: WebForm) throws -> Role? {
        let name = try form.require("role")
        if name == "none" { return nil }
        guard let role = Role(name: name) else { throw FolioError.badRequest("the role must be view, comment or edit") }
        return role
    }

    @Sendable func everyone(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("name")
        return try await act(request) { form in
            try await folio.grantSpaceToEveryone(name, role: try Self.role(form))
        }
    }

    @Sendable func grant(_ request: Request, context: Context) async throws -> Response {
        let name = try context.parameters.require("name")
        return try await act(request) { form in
            let login = try form.require("login")
            guard let user = try await folio.accounts.user(login: login), !user.isGuest else {
                throw FolioError.notFound("no user \(login)")
            }
            try await folio.grantSpace(name, to: user, role: try Self.role(form))
        }
    }
}
