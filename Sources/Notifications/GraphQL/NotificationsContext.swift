import Identity

/// Per-request state for the notifications' resolvers.
public struct NotificationsContext: Sendable {
    public let principal: Principal?
    public let center: NotificationCenter

    public init(principal: Principal?, center: NotificationCenter) {
        self.principal = principal
        self.center = center
    }
}
