import EmporiumCore

/// What inventory knows about a catalog product: enough to check a seller's permission and
/// whether the product still takes stock, without calling the catalog.
public struct StockedProduct: Sendable, Equatable {
    public let id: ProductID
    public let sellerID: UserID
    public let isActive: Bool

    public init(id: ProductID, sellerID: UserID, isActive: Bool) {
        self.id = id
        self.sellerID = sellerID
        self.isActive = isActive
    }
}
