import EmporiumCore
import GraphQL
import GraphQLExecution
import GraphQLSupport

/// The notifications subgraph: its SDL (``sdl``) and resolvers on our engine.
public enum NotificationsSchema {
    public static func build(sdl: String = NotificationsSchema.sdl) throws -> ExecutableSchema<NotificationsContext> {
        var resolvers = SchemaResolvers<NotificationsContext>()
        resolvers.object("Notification", UserNotification.self) { type in
            type.field("id") { GraphID(UUIDText.lowercase($0.id)) }
            type.field("kind") { NotificationKindValue(rawValue: $0.kind.rawValue) }
            type.field("title") { $0.title }
            type.field("body") { $0.body }
            type.field("productId") { $0.productID.map(GraphID.init) }
            type.field("orderId") { $0.orderID.map(GraphID.init) }
            type.field("offset") { Int(clamping: $0.offset) }
            type.field("createdAt") { DateTime($0.createdAt) }
            type.field("readAt") { $0.readAt.map(DateTime.init) }
            type.field("read") { $0.readAt != nil }
        }
        resolvers.object("NotificationPage", NotificationPage.self) { type in
            type.field("notifications") { $0.notifications }
            type.field("nextCursor") { $0.nextCursor }
        }
        resolvers.object("NotificationPreference", NotificationPreference.self) { type in
            type.field("kind") { NotificationKindValue(rawValue: $0.kind.rawValue) }
            type.field("channel") { ChannelValue(rawValue: $0.channel.rawValue) }
            type.field("enabled") { $0.enabled }
        }
        resolvers.object("ProductWatch", ProductWatch.self) { type in
            type.field("productId") { GraphID($0.productID) }
            type.field("product") { WatchedProduct(id: $0.productID) }
            type.field("kinds") { $0.kinds.compactMap { NotificationKindValue(rawValue: $0.rawValue) } }
            type.field("since") { DateTime($0.since) }
        }
        resolvers.object("PersonalData", PersonalDataReference.self) { type in
            type.field("userId") { GraphID($0.userID.rawValue) }
            type.field("notifications", async: NotificationsResolver.personalNotifications)
        }
        resolvers.object("User", UserReference.self) { type in
            type.field("id") { GraphID($0.id.rawValue) }
            type.field("notifications", async: NotificationsResolver.notifications)
            type.field("unreadNotificationCount", async: NotificationsResolver.unreadCount)
            type.field("notificationPreferences", async: NotificationsResolver.preferences)
            type.field("watchedProducts", async: NotificationsResolver.watchedProducts)
        }
        resolvers.object("Product", WatchedProduct.self) { type in
            type.field("id") { GraphID($0.id) }
            type.field("watching", batch: NotificationsResolver.watching)
        }
        resolvers.query { query in
            query.field("notification", async: NotificationsResolver.notification)
            query.field("notificationsSince", async: NotificationsResolver.notificationsSince)
        }
        resolvers.mutation { mutation in
            mutation.field("markNotificationsRead", async: NotificationsResolver.markRead)
            mutation.field("markAllNotificationsRead", async: NotificationsResolver.markAllRead)
            mutation.field("watchProduct", async: NotificationsResolver.watchProduct)
            mutation.field("unwatchProduct", async: NotificationsResolver.unwatchProduct)
            mutation.field("setNotificationPreference", async: NotificationsResolver.setPreference)
        }
        let federation = Federation<NotificationsContext>(entities: [
            "User": NotificationsResolver.userEntities, "Product": NotificationsResolver.productEntities,
            "Notification": NotificationsResolver.notificationEntities,
            "PersonalData": { representations, _ in PersonalDataReference.entities(representations) },
        ])
        return try ExecutableSchema(sdl: sdl, federation: federation, resolvers: resolvers)
    }
}

/// `NotificationKind` and `WatchKind` as the schema spells them (the same names).
enum NotificationKindValue: String, GraphQLEnum {
    case lowStock = "LOW_STOCK", lowStockCleared = "LOW_STOCK_CLEARED", newOrder = "NEW_ORDER", orderStatus = "ORDER_STATUS"
    case backInStock = "BACK_IN_STOCK", priceDrop = "PRICE_DROP", exportReady = "EXPORT_READY"
}

enum ChannelValue: String, GraphQLEnum {
    case inApp = "IN_APP", email = "EMAIL"
}

/// A user as another subgraph names them: the id is all this one needs.
struct UserReference: Sendable, GraphQLObject {
    let id: UserID
}

/// A product as another subgraph names it.
struct WatchedProduct: Sendable, GraphQLObject {
    let id: String
}

struct NotificationPage: Sendable, GraphQLObject {
    let notifications: [UserNotification]
    let nextCursor: String?
}

extension UserNotification: GraphQLObject {}
extension NotificationPreference: GraphQLObject {}
extension ProductWatch: GraphQLObject {}
