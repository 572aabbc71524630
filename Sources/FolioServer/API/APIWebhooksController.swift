import FolioCore
import Hummingbird

/// `/api/v1/webhooks`: register, list and remove webhooks; read their delivery log.
struct APIWebhooksController<Context: RequestContext>: Sendable {
    let folio: Folio
    let auth: APIAuth

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("webhooks", use: create)
        group.get("webhooks", use: list)
        group.delete("webhooks/{id}", use: delete)
        group.get("webhooks/{id}/deliveries", use: deliveries)
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.webhooks, request)
        let body = try await request.json(WebhookBody.self)
        var events: Set<WebhookEvent> = []
        for name in body.events {
            guard let event = WebhookEvent(rawValue: name) else {
                throw APIProblem.badBody(
                    "unknown event \(name); events are " + WebhookEvent.allCases.map(\.rawValue).joined(separator: ", ")
                )
            }
            events.insert(event)
        }
        let hook = try await folio.createWebhook(url: body.url, events: events)
        return try WebhookJSON(hook, showSecret: true).response(from: request, context: context).with(status: .created)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> ListJSON<WebhookJSON> {
        _ = try await auth.require(.webhooks, request)
        return ListJSON(items: try await folio.webhooks.webhooks().map { WebhookJSON($0, showSecret: false) })
    }

    @Sendable func delete(_ request: Request, context: Context) async throws -> Response {
        _ = try await auth.require(.webhooks, request)
        try await folio.webhooks.deleteWebhook(id: try context.parameters.require("id"))
        return Response(status: .noContent)
    }

    @Sendable func deliveries(_ request: Request, context: Context) async throws -> ListJSON<DeliveryJSON> {
        _ = try await auth.require(.webhooks, request)
        let id = try context.parameters.require("id")
        guard try await folio.webhooks.webhooks().contains(where: { $0.id == id }) else {
            throw FolioError.notFound("no webhook \(id)")
        }
        return ListJSON(items: try await folio.webhooks.deliveries(webhookID: id, limit: 200).map(DeliveryJSON.init))
    }
}
