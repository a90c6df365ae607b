import Contracts
import EmporiumCore
import Foundation
@testable import Inventory
import Testing

/// The pure rules: allocation, event planning, input validation.
@Suite struct DomainRulesTests {
    let other = WarehouseID()
    let third = WarehouseID()

    func candidates(_ pairs: [(WarehouseID, Int)]) -> [Allocation.Candidate] {
        pairs.map { Allocation.Candidate(warehouseID: $0.0, available: $0.1) }
    }

    @Test func oneWarehouseCoversTheQuantityWhenItCan() {
        let picks = Allocation.allocate(5, from: candidates([(other, 9), (Warehouse.defaultID, 5)]))
        #expect(picks?.map(\.warehouseID) == [Warehouse.defaultID])
        let fuller = Allocation.allocate(7, from: candidates([(other, 9), (Warehouse.defaultID, 5), (third, 8)]))
        #expect(fuller?.map(\.warehouseID) == [other])
        #expect(fuller?.map(\.quantity) == [7])
    }

    @Test func otherwiseItSplitsDefaultFirstThenFullest() {
        let picks = Allocation.allocate(12, from: candidates([(third, 4), (other, 6), (Warehouse.defaultID, 3)]))
        #expect(picks?.map(\.warehouseID) == [Warehouse.defaultID, other, third])
        #expect(picks?.map(\.quantity) == [3, 6, 3])
    }

    @Test func shortStockAllocatesNothing() {
        #expect(Allocation.allocate(14, from: candidates([(third, 4), (other, 6), (Warehouse.defaultID, 3)])) == nil)
        #expect(Allocation.allocate(1, from: []) == nil)
    }

    @Test func eventsAnnounceZeroCrossingsOnly() throws {
        let product = ProductID()
        var depleting = StockEvents(productID: product, before: StockTotals(onHand: 2, reserved: 0, available: 2))
        depleting.record(StockMovement(productID: product, warehouseID: Warehouse.defaultID, onHandDelta: 0, reservedDelta: 2, reason: .reserved, actor: nil))
        #expect(depleting.depleted?.totals == StockTotals(onHand: 2, reserved: 2, available: 0))
        #expect(depleting.replenished == nil)
        #expect(try depleting.envelopes(occurredAt: Date()).map(\.type) == ["StockChanged", "StockDepleted"])

        var replenishing = StockEvents(productID: product, before: depleting.totals)
        replenishing.record(StockMovement(productID: product, warehouseID: Warehouse.defaultID, onHandDelta: 3, reservedDelta: 0, reason: .received, actor: nil))
        #expect(replenishing.replenished?.totals.available == 3)
        #expect(replenishing.depleted == nil)

        var steady = StockEvents(productID: product, before: replenishing.totals)
        steady.record(StockMovement(productID: product, warehouseID: Warehouse.defaultID, onHandDelta: 0, reservedDelta: 3, reason: .reserved, actor: nil))
        steady.record(StockMovement(productID: product, warehouseID: Warehouse.defaultID, onHandDelta: 0, reservedDelta: -1, reason: .released, actor: nil))
        #expect(steady.depleted == nil && steady.replenished == nil)
        #expect(steady.changes.map(\.totals.available) == [0, 1])
    }

    @Test func eventsAnnounceLowStockCrossingsOfTheThreshold() throws {
        let product = ProductID()
        let seller = UserID("seller-1")
        func move(_ before: Int, by delta: Int, threshold: Int) -> StockEvents {
            var events = StockEvents(
                productID: product, before: StockTotals(onHand: before, reserved: 0, available: before), seller: seller, lowStockThreshold: threshold)
            events.record(StockMovement(productID: product, warehouseID: Warehouse.defaultID, onHandDelta: delta, reservedDelta: 0, reason: .adjusted, actor: nil))
            return events
        }
        let reached = move(6, by: -1, threshold: 5)
        #expect(reached.lowStockReached == LowStockReached(productId: product.description, sellerId: "seller-1", threshold: 5, totals: reached.totals))
        #expect(reached.lowStockCleared == nil)
        #expect(try reached.envelopes(occurredAt: Date()).map(\.type) == ["StockChanged", "LowStockReached"])
        // Already low: a further sale says nothing new.
        #expect(move(5, by: -1, threshold: 5).lowStockReached == nil)
        let cleared = move(5, by: 1, threshold: 5)
        #expect(cleared.lowStockCleared?.totals.available == 6)
        #expect(cleared.lowStockReached == nil)
        // From sold out straight above the threshold: replenished, not "low stock cleared".
        #expect(move(0, by: 9, threshold: 5).lowStockCleared == nil)
        // Straight from plenty to none: both the depletion and the low stock.
        #expect(try move(9, by: -9, threshold: 5).envelopes(occurredAt: Date()).map(\.type) == ["StockChanged", "StockDepleted", "LowStockReached"])
        // A threshold of 0 is the depletion itself, already announced.
        #expect(move(1, by: -1, threshold: 0).lowStockReached == nil)
        // Without a known seller nobody can be told.
        var anonymous = StockEvents(productID: product, before: StockTotals(onHand: 6, reserved: 0, available: 6), lowStockThreshold: 5)
        anonymous.record(StockMovement(productID: product, warehouseID: Warehouse.defaultID, onHandDelta: -2, reservedDelta: 0, reason: .adjusted, actor: nil))
        #expect(anonymous.lowStockReached == nil)
    }

    @Test func reservationItemsAreMergedAndSortedByProduct() throws {
        let a = ProductID(), b = ProductID()
        let items = try StockRules.reservationItems([
            ReservationItem(productID: b, quantity: 1), ReservationItem(productID: a, quantity: 2), ReservationItem(productID: b, quantity: 3),
        ])
        #expect(items.map(\.productID) == [a, b].sorted())
        #expect(Dictionary(uniqueKeysWithValues: items.map { ($0.productID, $0.quantity) }) == [a: 2, b: 4])
        #expect(throws: EmporiumError.self) { try StockRules.reservationItems([]) }
        #expect(throws: EmporiumError.self) { try StockRules.reservationItems([ReservationItem(productID: a, quantity: 0)]) }
    }

    @Test func inputRules() throws {
        #expect(throws: EmporiumError.self) { try StockRules.quantity(0) }
        #expect(throws: EmporiumError.self) { try StockRules.quantity(StockRules.maximumQuantity + 1) }
        #expect(throws: EmporiumError.self) { try StockRules.delta(0) }
        #expect(throws: EmporiumError.self) { try StockRules.reason("   ") }
        #expect(try StockRules.warehouseCode(" msk-1 ") == "MSK-1")
        #expect(throws: EmporiumError.self) { try StockRules.warehouseCode("-x") }
        #expect(throws: EmporiumError.self) { try StockRules.warehouseCode("a b") }
        #expect(throws: EmporiumError.self) { try StockRules.ttl(.zero) }
    }

    @Test func stockLevelSumsWarehousesAndListsTheDefaultFirst() {
        let level = StockLevel(productID: ProductID(), warehouses: [
            WarehouseStock(warehouse: Warehouse(id: other, code: "A", name: "A"), onHand: 5, reserved: 5),
            WarehouseStock(warehouse: Warehouse(id: Warehouse.defaultID, code: "DEFAULT", name: "Default"), onHand: 4, reserved: 1),
        ], lowStockThreshold: 3, isActive: true)
        #expect(level.warehouses.first?.warehouse.id == Warehouse.defaultID)
        #expect((level.onHand, level.reserved, level.available) == (9, 6, 3))
        #expect(level.isLowStock && level.isInStock)
        #expect(!StockLevel.empty(ProductID()).isInStock)
    }
}

@Suite struct InventoryInputLimitsTests {
    /// PostgreSQL's length() counts code points: a flag emoji is one Character but two of them.
    @Test func lengthsAreCountedAsTheDatabaseCountsThem() {
        let flags = String(repeating: "🇷🇺", count: 60)  // 60 characters, 120 code points
        #expect(throws: EmporiumError.self) { try StockRules.warehouseName(flags) }
        #expect((try? StockRules.warehouseName(String(repeating: "🇷🇺", count: 50))) != nil)
    }

    @Test func controlCharactersAreInputErrors() {
        #expect(throws: EmporiumError.self) { try StockRules.warehouseName("Main\u{0}Store") }
        #expect(throws: EmporiumError.self) { try StockRules.reason("broken\u{0}") }
        #expect((try? StockRules.reason("damaged in transit")) == "damaged in transit")
    }
}
