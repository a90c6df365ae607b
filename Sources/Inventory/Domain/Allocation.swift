/// Chooses the warehouses a reservation takes units from. Pure, so the policy is tested
/// without a database.
///
/// Policy: one warehouse when one can cover the whole quantity (a split shipment costs more
/// than it saves), trying the default warehouse first, then the fullest; otherwise take from the
/// default warehouse first, then from the fullest, until the quantity is covered.
public enum Allocation {
    public struct Candidate: Sendable, Equatable {
        public let warehouseID: WarehouseID
        public let available: Int

        public init(warehouseID: WarehouseID, available: Int) {
            self.warehouseID = warehouseID
            self.available = available
        }
    }

    /// (warehouse, units) pairs summing to `quantity`, or nil when all candidates together have
    /// fewer units available.
    public static func allocate(
        _ quantity: Int, from candidates: [Candidate], defaultWarehouse: WarehouseID = Warehouse.defaultID
    ) -> [(warehouseID: WarehouseID, quantity: Int)]? {
        guard quantity > 0 else { return [] }
        let ordered = candidates.filter { $0.available > 0 }.sorted { a, b in
            let aDefault = a.warehouseID == defaultWarehouse, bDefault = b.warehouseID == defaultWarehouse
            if aDefault != bDefault { return aDefault }
            if a.available != b.available { return a.available > b.available }
            return a.warehouseID < b.warehouseID
        }
        if let single = ordered.first(where: { $0.available >= quantity }) {
            return [(single.warehouseID, quantity)]
        }
        var remaining = quantity
        var taken: [(warehouseID: WarehouseID, quantity: Int)] = []
        for candidate in ordered where remaining > 0 {
            let units = min(candidate.available, remaining)
            taken.append((candidate.warehouseID, units))
            remaining -= units
        }
        return remaining == 0 ? taken : nil
    }
}
