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
        let e = HTMLText.escape
        let csrf = WebPage.csrfField(session)
        var html = "<h1>\(e(t("Users")))</h1>"
        if let message { html += "<p class=\"\(isError ? "error" : "notice")\" role=\"status\">\(e(message))</p>" }
        html += """
            <table class="listing users"><thead><tr><th scope="col">\(e(t("Login")))</th><th scope="col">\(e(t("Display name")))</th>\
            <th scope="col">\(e(t("Administrator")))</th><th scope="col">\(e(t("Disabled")))</th><th scope="col">\(e(t("Actions")))</th></tr></thead><tbody>
            """
        for user in try await folio.accounts.users() {
            var actions = ""
            if user.id != admin.id {
                let toggle = user.isDisabled ? "enable" : "disable"
                actions += """
                    <form method="post" action="/admin/users/\(user.id)/\(toggle)" class="inline">\(csrf)\
                    <button type="submit"\(user.isDisabled ? "" : " class=\"danger\"")>\(e(t(user.isDisabled ? "Enable" : "Disable")))</button></form>
                    """
            }
            actions += """
                <form method="post" action="/admin/users/\(user.id)/password" class="inline">\(csrf)\
                <input type="password" name="password" minlength="8" required aria-label="\(e(t("New password")))" placeholder="\(e(t("New password")))" autocomplete="new-password">\
                <button type="submit">\(e(t("Set password")))</button></form>
                """
            html += """
                <tr data-login="\(e(user.login))"><td>\(e(user.login))</td><td>\(e(user.displayName))</td>\
                <td>\(e(t(user.isAdmin ? "yes" : "no")))</td><td>\(e(t(user.isDisabled ? "yes" : "no")))</td>\
                <td class="actions"><div class="actions">\(actions)</div></td></tr>
                """
        }
        html += """
            </tbody></table>
            <section class="card"><h2>\(e(t("Add user")))</h2>
            <form method="post" action="/admin/users" class="row">\(csrf)\
            <label>\(e(t("Login"))) <input name="login" id="new-login" required></label>\
            <label>\(e(t("Display name"))) <input name="name" id="new-name"></label>\
            <label>\(e(t("Password"))) <input name="password" id="new-password" type="password" minlength="8" required autocomplete="new-password"></label>\
            <label class="check"><input type="checkbox" name="admin" value="1"> \(e(t("Administrator")))</label>\
            <button type="submit" class="primary" id="add-user">\(e(t("Add user")))</button></form></section>
            """
        return WebPage(title: t("Users"), visitor: visitor, content: html).response()
    }

    /// Runs an administrator's form action; a refused one shows the page again with why.
    func act(_ request: Request, _ body: (User, WebForm) async throws -> Void) async throws -> Response {
        let form = try await WebForm.read(request)
        let (visitor, admin, session) = try await auth.administrator(request)
        try auth.checkCSRF(form["csrf"], session: session)
        do {
            try await body(admin, form)
        } catch let error as FolioError {
            return try await render(
                request, message: WebErrorMiddleware<BasicRequestContext>.detail(error), isError: true)
        }
        return try await render(request, message: visitor.language("Done."))
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
