import Database
import EmporiumCore
import FanOut
import Foundation
import GraphQLSupport
import Logging
import Mail
import Messaging
import PostgresNIO

/// Wires the notifications: the PostgreSQL store, the use cases, the event handlers that write
/// notifications, the mail dispatcher and the GraphQL subgraph endpoint.
public struct NotificationsService: Sendable {
    public static let schemaName = "notifications"

    public let center: NotificationCenter
    public let endpoint: SchemaEndpoint<NotificationsContext>
    public let eventHandlers: EventHandlers
    public let mail: MailDispatcher

    public static var migrationsDirectory: URL {
        Bundle.module.url(forResource: "Migrations", withExtension: nil)!
    }

    /// Its own migrations plus the messaging tables (the inbox of the events it consumes).
    public static func migrationSet() throws -> MigrationSet {
        let own = try MigrationSet.load(schema: schemaName, directory: migrationsDirectory)
        return try MigrationSet(schema: schemaName, migrations: own.migrations + [MessagingSchema.migration()])
    }

    public init(
        client: PostgresClient, fanOut: (any FanOut)?, mailer: any Mailer, clock: any TimeSource = SystemTimeSource(), logger: Logger
    ) throws {
        let center = NotificationCenter(store: PostgresNotificationStore(client: client, logger: logger), clock: clock)
        self.center = center
        eventHandlers = NotificationEventHandlers.make(feed: LiveFeed(fanOut: fanOut, logger: logger))
        mail = MailDispatcher(client: client, mailer: mailer, clock: clock, logger: logger)
        endpoint = SchemaEndpoint(schema: try NotificationsSchema.build(), logger: logger) { info in
            NotificationsContext(principal: info.principal, center: center)
        }
    }

    /// The topics its handlers consume, without building them.
    public static var consumedTopics: [String] {
        NotificationEventHandlers.make(feed: LiveFeed(fanOut: nil, logger: Logger(label: "notifications"))).topics
    }
}
