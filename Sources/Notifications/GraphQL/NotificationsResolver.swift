import EmporiumCore
import GraphQL
import GraphQLExecution
import GraphQLSupport

/// Fields of the notifications subgraph: arguments into ``NotificationCenter``, errors left as
/// `EmporiumError` for the edge to map.
enum NotificationsResolver {
    @Sendable static func personalNotifications(_ reference: PersonalDataReference, arguments _: FieldArguments, context: NotificationsContext) async throws -> String {
        try await context.center.personalData(of: reference.userID, viewer: context.principal)
    }

    @Sendable static func notifications(_ user: UserReference, arguments: FieldArguments, context: NotificationsContext) async throws -> NotificationPage {
        let page = try await context.center.notifications(
            of: user.id, viewer: context.principal, unreadOnly: arguments.bool("unreadOnly") ?? false, first: arguments.int("first") ?? 20,
            after: arguments.string("after"))
        return NotificationPage(notifications: page.notifications, nextCursor: page.nextCursor)
    }

    @Sendable static func unreadCount(_ user: UserReference, arguments _: FieldArguments, context: NotificationsContext) async throws -> Int {
        try await context.center.unreadCount(of: user.id, viewer: context.principal)
    }

    @Sendable static func preferences(_ user: UserReference, arguments _: FieldArguments, context: NotificationsContext) async throws -> [NotificationPreference] {
        try await context.center.preferences(of: user.id, viewer: context.principal)
    }

    @Sendable static func watchedProducts(_ user: UserReference, arguments _: FieldArguments, context: NotificationsContext) async throws -> [ProductWatch] {
        try await context.center.watches(of: user.id, viewer: context.principal)
    }

    /// The caller's watch kinds for a level of products, in one query.
    @Sendable static func watching(_ products: [WatchedProduct], _: FieldArguments, context: NotificationsContext) async throws -> [[NotificationKindValue]?] {
        let found = try await context.center.watching(products.map(\.id), viewer: context.principal)
        return products.map { product in found[product.id].map { $0.compactMap { NotificationKindValue(rawValue: $0.rawValue) } } }
    }

    @Sendable static func notification(_: RootValue, arguments: FieldArguments, context: NotificationsContext) async throws -> UserNotification? {
        try await context.center.notification(id: try arguments.requiredString("id"), viewer: context.principal)
    }

    @Sendable static func notificationsSince(_: RootValue, arguments: FieldArguments, context: NotificationsContext) async throws -> [UserNotification] {
        try await context.center.missed(after: try arguments.requiredInt("since"), first: arguments.int("first") ?? 100, viewer: context.principal)
    }

    @Sendable static func markRead(_: RootValue, arguments: FieldArguments, context: NotificationsContext) async throws -> Int {
        let ids = arguments["ids"].array?.compactMap(\.string) ?? []
        return try await context.center.markRead(ids, viewer: context.principal)
    }

    @Sendable static func markAllRead(_: RootValue, arguments _: FieldArguments, context: NotificationsContext) async throws -> Int {
        try await context.center.markAllRead(viewer: context.principal)
    }

    @Sendable static func watchProduct(_: RootValue, arguments: FieldArguments, context: NotificationsContext) async throws -> ProductWatch {
        let kinds = (arguments["kinds"].array ?? []).compactMap { $0.string.flatMap(NotificationKind.init(rawValue:)) }
        return try await context.center.watch(product: try arguments.requiredString("productId"), kinds: kinds, viewer: context.principal)
    }

    @Sendable static func unwatchProduct(_: RootValue, arguments: FieldArguments, context: NotificationsContext) async throws -> Bool {
        try await context.center.unwatch(product: try arguments.requiredString("productId"), viewer: context.principal)
    }

    @Sendable static func setPreference(_: RootValue, arguments: FieldArguments, context: NotificationsContext) async throws -> NotificationPreference {
        guard let kind = NotificationKind(rawValue: try arguments.requiredString("kind")),
              let channel = DeliveryChannel(rawValue: try arguments.requiredString("channel")),
              let enabled = arguments.bool("enabled")
        else { throw EmporiumError.badInput("kind, channel and enabled are required") }
        return try await context.center.setPreference(NotificationPreference(kind: kind, channel: channel, enabled: enabled), viewer: context.principal)
    }

    @Sendable static func userEntities(_ representations: [Map], context _: NotificationsContext) async throws -> [OutputValue] {
        representations.map { $0["id"].string.map { UserReference(id: UserID($0)) }.outputValue }
    }

    @Sendable static func productEntities(_ representations: [Map], context _: NotificationsContext) async throws -> [OutputValue] {
        representations.map { $0["id"].string.map { WatchedProduct(id: $0) }.outputValue }
    }

    @Sendable static func notificationEntities(_ representations: [Map], context: NotificationsContext) async throws -> [OutputValue] {
        var values: [OutputValue] = []
        for representation in representations {
            guard let id = representation["id"].string else { values.append(.null); continue }
            values.append(try await context.center.notification(id: id, viewer: context.principal).outputValue)
        }
        return values
    }
}
