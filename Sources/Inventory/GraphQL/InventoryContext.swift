import EmporiumCore
import GraphQLSupport
import Identity

/// Per-request state for inventory resolvers: who asks, and the request's DataLoader.
public struct InventoryContext: Sendable {
    public let principal: Principal?
    public let keeper: StockKeeper
    /// Tags of what the answer was read from (``InventoryCacheTags``).
    public let responseTags: ResponseTags
    /// Every product's stock in a response comes from one batched query.
    let stockLevels: DataLoader<ProductID, StockLevel>

    public init(principal: Principal?, keeper: StockKeeper, responseTags: ResponseTags = ResponseTags()) {
        self.principal = principal
        self.keeper = keeper
        self.responseTags = responseTags
        stockLevels = DataLoader { ids in try await keeper.stockLevels(productIDs: ids) }
    }
}
