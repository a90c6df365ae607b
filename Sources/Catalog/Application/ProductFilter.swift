import EmporiumCore

/// Filters for listing products, as a client gives them.
public struct ProductFilter: Sendable {
    public var categoryID: String?
    public var sellerID: String?
    public var minPrice: Int64?
    public var maxPrice: Int64?
    public var currency: String?
    public var statuses: [ProductStatus]?

    public init(
        categoryID: String? = nil, sellerID: String? = nil, minPrice: Int64? = nil, maxPrice: Int64? = nil,
        currency: String? = nil, statuses: [ProductStatus]? = nil
    ) {
        self.categoryID = categoryID
        self.sellerID = sellerID
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.currency = currency
        self.statuses = statuses
    }
}
