import ServiceKit

extension ServiceDescriptor {
    /// The notifications: per-user messages made from other services' events (low stock, orders,
    /// watched products), in-app and by mail, each announced to live clients through the fan-out
    /// (schema `notifications`).
    public static let notifications = ServiceDescriptor(
        name: "notifications",
        schema: NotificationsService.schemaName,
        migrations: { try NotificationsService.migrationSet() },
        sdl: NotificationsSchema.sdl,
        consumes: NotificationsService.consumedTopics,
        start: { context in
            let service = try NotificationsService(client: context.postgres, fanOut: context.fanOut, mailer: context.mailer, logger: context.logger)
            return ServiceInstance(endpoint: service.endpoint, eventHandlers: service.eventHandlers, background: [service.mail])
        }
    )
}
