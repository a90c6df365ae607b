import EmporiumCore

/// A product's units in one warehouse.
public struct WarehouseStock: Sendable, Equatable {
    public let warehouse: Warehouse
    public let onHand: Int
    public let reserved: Int
    /// Never negative: the database refuses `reserved > onHand`.
    public var available: Int { onHand - reserved }

    public init(warehouse: Warehouse, onHand: Int, reserved: Int) {
        self.warehouse = warehouse
        self.onHand = onHand
        self.reserved = reserved
    }
}

/// A product's stock over all warehouses: what a shop page, an order and a seller look at.
public struct StockLevel: Sendable, Equatable {
    /// Used for products inventory has not heard of yet, and as the column default.
    public static let defaultLowStockThreshold = 5

    public let productID: ProductID
    /// The default warehouse first, then by code.
    public let warehouses: [WarehouseStock]
    public let lowStockThreshold: Int
    /// False once the product is archived in the catalog (and for products inventory does not know).
    public let isActive: Bool
    /// The product's seller, who may see the figures beyond `available`; nil for a product
    /// inventory does not know.
    public let sellerID: UserID?

    public init(productID: ProductID, warehouses: [WarehouseStock], lowStockThreshold: Int, isActive: Bool, sellerID: UserID? = nil) {
        self.productID = productID
        self.warehouses = warehouses.sorted(by: Self.displayOrder)
        self.lowStockThreshold = lowStockThreshold
        self.isActive = isActive
        self.sellerID = sellerID
    }

    /// Zero stock: what a product unknown to inventory has (not an error, so a product page that
    /// asks before the ProductCreated event arrived still renders).
    public static func empty(_ productID: ProductID) -> StockLevel {
        StockLevel(productID: productID, warehouses: [], lowStockThreshold: defaultLowStockThreshold, isActive: false)
    }

    public var onHand: Int { warehouses.reduce(0) { $0 + $1.onHand } }
    public var reserved: Int { warehouses.reduce(0) { $0 + $1.reserved } }
    public var available: Int { warehouses.reduce(0) { $0 + $1.available } }
    public var isLowStock: Bool { available <= lowStockThreshold }
    /// Whether an order could reserve a unit now.
    public var isInStock: Bool { isActive && available > 0 }

    static func displayOrder(_ a: WarehouseStock, _ b: WarehouseStock) -> Bool {
        let aDefault = a.warehouse.id == Warehouse.defaultID, bDefault = b.warehouse.id == Warehouse.defaultID
        if aDefault != bDefault { return aDefault }
        return a.warehouse.code < b.warehouse.code
    }
}
