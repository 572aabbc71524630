/// Webhooks and the queue and log of their deliveries.
public protocol WebhookStore: Sendable {
    func createWebhook(_ hook: Webhook) async throws
    func webhooks() async throws -> [Webhook]
    func deleteWebhook(id: String) async throws
    /// Queues one delivery per webhook listening to `event`; returns how many.
    @discardableResult
    func enqueueDeliveries(event: WebhookEvent, payload: String, now: Int64) async throws -> Int
    /// Deliveries due now, oldest first, with their webhook. A store shared by several
    /// processes hands each due delivery to one caller only (for a while).
    func dueDeliveries(now: Int64, limit: Int) async throws -> [(WebhookDelivery, Webhook)]
    func recordDeliveryAttempt(_ delivery: WebhookDelivery) async throws
    /// The delivery log, newest first.
    func deliveries(webhookID: String?, limit: Int) async throws -> [WebhookDelivery]
}
