import GraphQLSupport
import Identity

/// Per-request state for order resolvers: who asks, and the use cases.
public struct OrdersContext: Sendable {
    public let principal: Principal?
    public let desk: OrderDesk
    public let returns: ReturnDesk

    public init(principal: Principal?, desk: OrderDesk, returns: ReturnDesk) {
        self.principal = principal
        self.desk = desk
        self.returns = returns
    }
}
