import Contracts
import ServiceKit

extension ServiceDescriptor {
    /// The orders: carts, checkout, and the saga that carries an order through inventory,
    /// payment and delivery (schema `orders`).
    public static let orders = ServiceDescriptor(
        name: "orders",
        schema: OrdersService.schemaName,
        migrations: { try OrdersService.migrationSet() },
        sdl: OrdersSchema.sdl,
        publishes: [Topics.ordersOrder],
        consumes: OrdersService.consumedTopics,
        start: { context in
            // The secret the providers sign webhooks with. Unset: a random one for this process,
            // which is enough while the sandbox providers run inside it.
            let secret = context.settings.string("EMPORIUM_WEBHOOK_SECRET") ?? WebhookSignature.randomSecret()
            let timeout = try context.settings.seconds("EMPORIUM_PAYMENT_TIMEOUT_SECONDS", in: 10...86_400) ?? .seconds(15 * 60)
            // The marketplace's share of each sale, whole percent.
            let commission = try context.settings.integer("EMPORIUM_COMMISSION_PERCENT", in: 0...50) ?? 10
            let service = try OrdersService(
                client: context.postgres, webhookSecret: secret, paymentTimeout: timeout, commissionPercent: commission,
                sandboxBaseURL: context.settings.string("EMPORIUM_SANDBOX_BASE_URL") ?? "", logger: context.logger)
            return ServiceInstance(
                endpoint: service.endpoint, eventHandlers: service.eventHandlers, background: [service.deadlines, service.sandboxSender],
                routes: service.routes)
        }
    )
}
