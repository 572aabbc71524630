import FolioCore
import Hummingbird

/// Administrators manage the application API's keys and see every webhook's delivery log.
struct AdminAPIPages<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: WebAuth

    func addRoutes(to router: RouterGroup<Context>) {
        router.get("admin/api") { request, _ in try await render(request, created: nil) }
        router.post("admin/api/keys", use: create)
        router.post("admin/api/keys/{id}/revoke", use: revoke)
    }

    func render(_ request: Request, created: String?) async throws -> Response {
        let (visitor, _, session) = try await auth.administrator(request)
        let t = visitor.language
        let e = HTMLText.escape
        let csrf = WebPage.csrfField(session)
        var html = "<h1>\(e(t("Application API")))</h1>"
        if let created {
            html += """
                <p class="notice" role="status">\(e(t("The new key, shown this once:")))<br>\
                <input class="link-url" id="new-key" readonly value="\(e(created))" aria-label="API key"></p>
                """
        }
        html += """
            <section class="card"><h2>\(e(t("API keys")))</h2>
            <table class="listing keys"><thead><tr><th scope="col">\(e(t("Name")))</th><th scope="col">Id</th>\
            <th scope="col">\(e(t("Scopes")))</th><th scope="col">\(e(t("Actions")))</th></tr></thead><tbody>
            """
        for key in try await folio.apiKeys.apiKeys() {
            let action =
                key.revokedAt == nil
                ? """
                <form method="post" action="/admin/api/keys/\(e(key.id))/revoke" class="inline">\(csrf)\
                <button type="submit" class="danger">\(e(t("Revoke")))</button></form>
                """ : e(t("revoked"))
            html += """
                <tr data-key="\(e(key.id))"><td>\(e(key.name))</td><td><code>\(e(key.id))</code></td>\
                <td>\(e(key.scopes.map(\.rawValue).sorted().joined(separator: ", ")))</td><td class="actions">\(action)</td></tr>
                """
        }
        html += """
            </tbody></table>
            <form method="post" action="/admin/api/keys" class="row">\(csrf)\
            <label>\(e(t("Name"))) <input name="name" id="key-name" required></label>\
            \(APIScope.allCases.map { "<label class=\"check\"><input type=\"checkbox\" name=\"scope_\($0.rawValue)\" value=\"1\" checked> \($0.rawValue)</label>" }.joined())\
            <button type="submit" class="primary" id="key-create">\(e(t("Create key")))</button></form></section>
            <section class="card"><h2>\(e(t("Webhooks")))</h2>
            """
        let hooks = try await folio.webhooks.webhooks()
        if hooks.isEmpty { html += "<p class=\"empty\">\(e(t("No webhooks.")))</p>" }
        for hook in hooks {
            html += """
                <h3><code>\(e(hook.url))</code></h3><p>\(e(hook.events.map(\.rawValue).sorted().joined(separator: ", ")))</p>
                <table class="listing deliveries"><thead><tr><th scope="col">\(e(t("Time")))</th><th scope="col">Event</th>\
                <th scope="col">\(e(t("Attempts")))</th><th scope="col">\(e(t("Result")))</th></tr></thead><tbody>
                """
            for delivery in try await folio.webhooks.deliveries(webhookID: hook.id, limit: 50) {
                let result =
                    delivery.deliveredAt != nil
                    ? t("delivered") + " (\(delivery.lastStatus ?? 0))"
                    : delivery.gaveUpAt != nil
                        ? t("given up") + ": " + (delivery.lastError ?? "")
                        : t("pending") + (delivery.lastError.map { ": " + $0 } ?? "")
                html += """
                    <tr><td class="time">\(WebFormat.time(delivery.createdAt, t))</td><td>\(e(delivery.event.rawValue))</td>\
                    <td>\(delivery.attempts)</td><td>\(e(result))</td></tr>
                    """
            }
            html += "</tbody></table>"
        }
        html += "</section>"
        return WebPage(title: t("Application API"), visitor: visitor, content: html).response()
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        let form = try await WebForm.read(request)
        let (_, _, session) = try await auth.administrator(request)
        try auth.checkCSRF(form["csrf"], session: session)
        let scopes = Set(APIScope.allCases.filter { form["scope_\($0.rawValue)"] == "1" })
        let (_, token) = try await folio.createAPIKey(name: try form.require("name"), scopes: scopes)
        return try await render(request, created: token)
    }

    @Sendable func revoke(_ request: Request, context: Context) async throws -> Response {
        let form = try await WebForm.read(request)
        let (_, _, session) = try await auth.administrator(request)
        try auth.checkCSRF(form["csrf"], session: session)
        try await folio.revokeAPIKey(id: try context.parameters.require("id"))
        return WebPage.redirect("/admin/api")
    }
}
