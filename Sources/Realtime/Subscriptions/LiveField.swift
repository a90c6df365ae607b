import FanOut
import Identity

/// A subscription root field: which channel feeds it, which signals it wants, and the query
/// field that reads the changed entity — so an event's answer is resolved through the gateway
/// like any query, with the subscriber's selection.
public struct LiveField: Sendable {
    /// How a subscription picks its channel.
    public enum Source: Sendable {
        /// The caller's own channel (`user:<id>`); needs a signed-in caller.
        case caller
        /// The entity named by this argument (an ID, a UUID): `product:<id>`, `order:<id>`.
        case argument(String, channel: @Sendable (String) -> String)
    }

    public let name: String
    public let source: Source
    public let subject: LiveSignal.Subject
    /// The query field that reads the entity by the signal's id, and its id argument.
    public let queryField: String
    public let queryArgument: String
    /// Only the entity's owners and admins receive it (orders); others may not subscribe.
    public let ownersOnly: Bool
    /// It takes `since: Int` and replays what the caller missed through `replayField`.
    public let replayField: String?

    public init(
        name: String, source: Source, subject: LiveSignal.Subject, queryField: String, queryArgument: String, ownersOnly: Bool = false,
        replayField: String? = nil
    ) {
        self.name = name
        self.source = source
        self.subject = subject
        self.queryField = queryField
        self.queryArgument = queryArgument
        self.ownersOnly = ownersOnly
        self.replayField = replayField
    }

    /// The subscriptions of the federated schema.
    public static let all: [LiveField] = [
        LiveField(
            name: "notificationAdded", source: .caller, subject: .notification, queryField: "notification", queryArgument: "id",
            replayField: "notificationsSince"),
        LiveField(
            name: "productChanged", source: .argument("id", channel: FanOutChannel.product), subject: .product, queryField: "product",
            queryArgument: "id"),
        LiveField(
            name: "stockChanged", source: .argument("productId", channel: FanOutChannel.product), subject: .stock, queryField: "stock",
            queryArgument: "productId"),
        LiveField(
            name: "orderUpdated", source: .argument("id", channel: FanOutChannel.order), subject: .order, queryField: "order",
            queryArgument: "id", ownersOnly: true),
    ]
}
