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
        let keys = try await folio.apiKeys.apiKeys().map { key in
            APIView.Key(
                id: key.id, name: key.name, scopes: key.scopes.map(\.rawValue).sorted().joined(separator: ", "),
                revoked: key.revokedAt != nil)
        }
        var hooks: [APIView.Hook] = []
        for hook in try await folio.webhooks.webhooks() {
            let deliveries = try await folio.webhooks.deliveries(webhookID: hook.id, limit: 50).map { delivery in
                APIView.Delivery(
                    time: WebFormat.time(delivery.createdAt, t), event: delivery.event.rawValue,
                    attempts: delivery.attempts, delivered: delivery.deliveredAt != nil,
                    gaveUp: delivery.deliveredAt == nil && delivery.gaveUpAt != nil,
                    lastStatus: delivery.lastStatus ?? 0, lastError: delivery.lastError)
            }
            hooks.append(
                APIView.Hook(
                    url: hook.url, events: hook.events.map(\.rawValue).sorted().joined(separator: ", "),
                    deliveries: deliveries))
        }
        let view = APIView(
            created: created, csrf: session.csrfToken, keys: keys, scopeNames: APIScope.allCases.map(\.rawValue),
            hooks: hooks)
        return WebPage(title: t(.applicationAPI), visitor: visitor, template: "admin-api", view: view).response()
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
