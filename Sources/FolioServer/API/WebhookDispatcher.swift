import AsyncHTTPClient
import Crypto
import FolioCore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Delivers queued webhook events: a signed POST each (`X-Folio-Signature: sha256=` HMAC of the
/// body with the webhook's secret), retried with back-off (1 s doubling to an hour) for up to
/// `maxAttempts`; every attempt is kept in the delivery log.
public struct WebhookDispatcher: Service {
    let webhooks: any WebhookStore
    let clock: any FolioClock
    let logger: Logger
    let client: HTTPClient
    var pollInterval: Duration = .seconds(1)
    var maxAttempts = 12
    var timeout: TimeAmount = .seconds(10)

    public init(webhooks: any WebhookStore, clock: any FolioClock, logger: Logger, client: HTTPClient = .shared) {
        self.webhooks = webhooks
        self.clock = clock
        self.logger = logger
        self.client = client
    }

    /// The dispatcher for an installation's webhooks, on its clock.
    public init(folio: Folio, logger: Logger, client: HTTPClient = .shared) {
        self.init(webhooks: folio.webhooks, clock: folio.clock, logger: logger, client: client)
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let due = try await webhooks.dueDeliveries(now: clock.now(), limit: 20)
                    await withTaskGroup(of: Void.self) { group in
                        for (delivery, hook) in due { group.addTask { await attempt(delivery, hook) } }
                    }
                    if due.count == 20 { continue }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("webhook queue unreadable", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: pollInterval)
            }
        }
    }

    static func signature(_ body: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    func attempt(_ delivery: WebhookDelivery, _ hook: Webhook) async {
        var delivery = delivery
        delivery.attempts += 1
        var request = HTTPClientRequest(url: hook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Folio-Webhooks")
        request.headers.add(name: "X-Folio-Event", value: delivery.event.rawValue)
        request.headers.add(name: "X-Folio-Delivery", value: delivery.id)
        request.headers.add(name: "X-Folio-Signature", value: Self.signature(delivery.payload, secret: hook.secret))
        request.body = .bytes(ByteBuffer(string: delivery.payload))
        do {
            let response = try await client.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            delivery.lastStatus = Int(response.status.code)
            if (200..<300).contains(response.status.code) {
                delivery.deliveredAt = clock.now()
                delivery.nextAttemptAt = nil
                delivery.lastError = nil
            } else {
                delivery.lastError = "answered \(response.status.code)"
            }
        } catch {
            delivery.lastStatus = nil
            delivery.lastError = "\(error)"
        }
        if delivery.deliveredAt == nil {
            if delivery.attempts >= maxAttempts {
                delivery.gaveUpAt = clock.now()
                delivery.nextAttemptAt = nil
                logger.warning(
                    "webhook delivery given up", metadata: ["webhook": "\(hook.id)", "delivery": "\(delivery.id)"])
            } else {
                let delay = min(Int64(1) << (delivery.attempts - 1), 3600) * 1_000_000
                delivery.nextAttemptAt = clock.now() + delay
            }
        }
        do { try await webhooks.recordDeliveryAttempt(delivery) } catch is CancellationError {
            // Shutting down: the attempt is retried after the restart.
        } catch {
            logger.error("could not record a webhook attempt", metadata: ["error": "\(error)"])
        }
    }
}
