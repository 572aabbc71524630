import FolioCore
import Hummingbird

/// Administrators add users, disable and enable them, and set new passwords.
struct AdminPages<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("admin/users", use: page)
        router.post("admin/users", use: add)
        router.post("admin/users/{id}/disable") { request, context in try await setDisabled(request, context, true) }
        router.post("admin/users/{id}/enable") { request, context in try await setDisabled(request, context, false) }
        router.post("admin/users/{id}/password", use: password)
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        try await render(request, message: nil)
    }

    func render(_ request: Request, message: String?, isError: Bool = false) async throws -> Response {
        let (visitor, admin, session) = try await auth.administrator(request)
        let t = visitor.language
        let rows = try await folio.accounts.users().map { user in
            UsersView.Row(
                id: user.id, login: user.login, displayName: user.displayName, isAdmin: user.isAdmin,
                isDisabled: user.isDisabled, isSelf: user.id == admin.id)
        }
        let view = UsersView(
            message: message.map { UsersView.Message(style: isError ? "error" : "notice", text: $0) },
            csrf: session.csrfToken, rows: rows)
        return WebPage(title: t(.users), visitor: visitor, template: "admin-users", view: view).response()
    }

    /// Runs an administrator's form action; a refused one shows the page again with why.
    func act(_ request: Request, _ body: (User, WebForm) async throws -> Void) async throws -> Response {
        try await auth.administratorAction(request, body) { message, isError in
            try await render(request, message: message, isError: isError)
        }
    }

    @Sendable func add(_ request: Request, context: Context) async throws -> Response {
        try await act(request) { admin, form in
            _ = try await folio.addUser(
                by: admin, login: try form.require("login"), displayName: form["name"] ?? "",
                password: form["password"] ?? "", isAdmin: form["admin"] == "1")
        }
    }

    func setDisabled(_ request: Request, _ context: Context, _ disabled: Bool) async throws -> Response {
        let id = try context.parameters.require("id")
        return try await act(request) { admin, _ in try await folio.setDisabled(disabled, userID: id, by: admin) }
    }

    @Sendable func password(_ request: Request, context: Context) async throws -> Response {
        let id = try context.parameters.require("id")
        return try await act(request) { admin, form in
            try await folio.resetPassword(userID: id, password: form["password"] ?? "", by: admin)
        }
    }
}
