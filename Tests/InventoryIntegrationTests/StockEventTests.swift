import Contracts
import EmporiumCore
import EmporiumTesting
import Foundation
@testable import Inventory
import Testing

/// Every movement reaches the outbox in its own transaction, with the zero crossings.
@Suite struct StockEventTests {
    @Test func movementsPublishChangesAndZeroCrossings() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct()
            _ = try await harness.keeper.receiveStock(productID: id, warehouseID: nil, quantity: 2, by: TestUsers.seller)
            let reservation = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 2)])
            _ = try await harness.keeper.release(reservation.id)
            let second = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 2)])
            _ = try await harness.keeper.commit(second.id)
            _ = try await harness.keeper.adjustStock(productID: id, warehouseID: nil, delta: 1, reason: "recount", by: TestUsers.seller)

            let outbox = try await harness.outbox(for: id)
            #expect(outbox.map(\.type) == [
                "StockChanged",                         // created
                "StockChanged", "StockReplenished",     // received 0 → 2
                "StockChanged", "StockDepleted",        // reserved 2 → 0
                "StockChanged", "StockReplenished",     // released 0 → 2
                "StockChanged", "StockDepleted",        // reserved 2 → 0
                "StockChanged",                         // committed: available stays 0
                "StockChanged", "StockReplenished",     // adjusted 0 → 1
            ])
            let changes = try outbox.filter { $0.type == "StockChanged" }.map { try $0.decode(StockChanged.self) }
            #expect(changes.map(\.reason) == ["created", "received", "reserved", "released", "reserved", "committed", "adjusted"])
            #expect(changes.map(\.onHandDelta) == [0, 2, 0, 0, 0, -2, 1])
            #expect(changes.map(\.reservedDelta) == [0, 0, 2, -2, 2, -2, 0])
            #expect(changes.last?.totals == StockTotals(onHand: 1, reserved: 0, available: 1))
            #expect(changes.allSatisfy { $0.warehouseId == Warehouse.defaultID.description })
            let depleted = try outbox.first { $0.type == "StockDepleted" }!.decode(StockDepleted.self)
            #expect(depleted.totals == StockTotals(onHand: 2, reserved: 2, available: 0))
            #expect(outbox.allSatisfy { $0.aggregateID == id.description })
        }
    }

    @Test func aRefusedMovementPublishesNothing() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 1)
            let before = try await harness.outbox().count
            _ = await errorCode { _ = try await harness.keeper.adjustStock(productID: id, warehouseID: nil, delta: -2, reason: "x", by: TestUsers.seller) }
            _ = await errorCode { _ = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 2)]) }
            #expect(try await harness.outbox().count == before)
            #expect(try await harness.count("SELECT count(*) FROM inventory.stock_movements") == 1)
        }
    }
}
