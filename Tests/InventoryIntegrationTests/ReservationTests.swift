import EmporiumCore
import EmporiumTesting
import Foundation
import GraphQL
@testable import Inventory
import Testing
import Database
import PostgresNIO

/// Reservations: all-or-nothing, never oversold, released, committed, expired.
@Suite struct ReservationTests {
    @Test func aMultiLineReservationIsAllOrNothing() async throws {
        try await Harness.run { harness in
            let plenty = try await harness.createProduct(units: 10)
            let scarce = try await harness.createProduct(units: 1)
            let outboxBefore = try await harness.outbox().count
            let failure = await errorCode {
                _ = try await harness.keeper.reserve([ReservationItem(productID: plenty, quantity: 3), ReservationItem(productID: scarce, quantity: 2)])
            }
            #expect(failure == .insufficientStock)
            #expect(try await harness.keeper.stockLevel(productID: plenty).reserved == 0)
            #expect(try await harness.keeper.stockLevel(productID: scarce).reserved == 0)
            #expect(try await harness.count("SELECT count(*) FROM inventory.reservations") == 0)
            #expect(try await harness.outbox().count == outboxBefore)

            let reservation = try await harness.keeper.reserve([ReservationItem(productID: plenty, quantity: 3), ReservationItem(productID: scarce, quantity: 1)])
            #expect(reservation.status == .held)
            #expect(reservation.lines.count == 2)
            #expect(try await harness.keeper.stockLevel(productID: plenty).available == 7)
            #expect(try await harness.keeper.stockLevel(productID: scarce).available == 0)
        }
    }

    @Test func theErrorSaysHowManyUnitsAreAvailable() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 2)
            do {
                _ = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 3)])
                Issue.record("reserved more than available")
            } catch let error as EmporiumError {
                #expect(error.code.rawValue == "INSUFFICIENT_STOCK")
                #expect(error.message.contains("only 2 units"), "\(error.message)")
            }
            // A product inventory never heard of has nothing to reserve.
            let unknown = await errorCode { _ = try await harness.keeper.reserve([ReservationItem(productID: ProductID(), quantity: 1)]) }
            #expect(unknown == .insufficientStock)
        }
    }

    /// 50 buyers race for the last 10 units: exactly 10 win, the rest are told there is no stock,
    /// and nothing is oversold.
    @Test(.timeLimit(.minutes(1)))
    func concurrentReservationsNeverOversell() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 10)
            let outcomes = try await withThrowingTaskGroup(of: EmporiumError.Code?.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        await errorCode { _ = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 1)]) }
                    }
                }
                var outcomes: [EmporiumError.Code?] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.filter { $0 == nil }.count == 10)
            #expect(outcomes.filter { $0 == .insufficientStock }.count == 40, "\(Set(outcomes.compactMap { $0?.rawValue }))")
            let level = try await harness.keeper.stockLevel(productID: id)
            #expect((level.onHand, level.reserved, level.available) == (10, 10, 0))
            #expect(try await harness.count("SELECT count(*) FROM inventory.reservations WHERE status = 'held'") == 10)
            // The zero crossing is announced once.
            #expect(try await harness.outbox(for: id).filter { $0.type == "StockDepleted" }.count == 1)
        }
    }

    /// Two multi-product reservations taking the same products in opposite request order must
    /// not deadlock: stores lock in product-id order whatever the caller's order.
    @Test(.timeLimit(.minutes(1)))
    func crossedMultiProductReservationsDoNotDeadlock() async throws {
        try await Harness.run { harness in
            let a = try await harness.createProduct(units: 100)
            let b = try await harness.createProduct(units: 100)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    let order = index.isMultiple(of: 2) ? [a, b] : [b, a]
                    group.addTask {
                        _ = try await harness.keeper.reserve(order.map { ReservationItem(productID: $0, quantity: 1) })
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await harness.keeper.stockLevel(productID: a).reserved == 40)
            #expect(try await harness.keeper.stockLevel(productID: b).reserved == 40)
        }
    }

    @Test func reservationsSpillIntoOtherWarehouses() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 2)
            let north = try await harness.keeper.createWarehouse(code: "NORTH", name: "North", by: TestUsers.admin)
            _ = try await harness.keeper.receiveStock(productID: id, warehouseID: north.id, quantity: 5, by: TestUsers.admin)
            let small = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 2)])
            #expect(small.lines.map(\.warehouseID) == [Warehouse.defaultID])
            _ = try await harness.keeper.release(small.id)
            let split = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 6)])
            #expect(Dictionary(uniqueKeysWithValues: split.lines.map { ($0.warehouseID, $0.quantity) }) == [Warehouse.defaultID: 2, north.id: 4])
            #expect(try await harness.keeper.stockLevel(productID: id).available == 1)
        }
    }

    @Test func releaseReturnsUnitsAndIsIdempotent() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 5)
            let reservation = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 3)])
            let released = try await harness.keeper.release(reservation.id)
            #expect(released.status == .released)
            #expect(released.settledAt != nil)
            let again = try await harness.keeper.release(reservation.id)
            #expect(again.status == .released)
            let level = try await harness.keeper.stockLevel(productID: id)
            #expect((level.onHand, level.reserved) == (5, 0))
            #expect(await errorCode { _ = try await harness.keeper.commit(reservation.id) } == .conflict)
            #expect(await errorCode { _ = try await harness.keeper.release(ReservationID()) } == .notFound)
        }
    }

    @Test func commitShipsUnitsAndIsIdempotent() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 5)
            let reservation = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 3)])
            #expect(try await harness.keeper.commit(reservation.id).status == .committed)
            #expect(try await harness.keeper.commit(reservation.id).status == .committed)
            let level = try await harness.keeper.stockLevel(productID: id)
            #expect((level.onHand, level.reserved, level.available) == (2, 0, 2))
            #expect(await errorCode { _ = try await harness.keeper.release(reservation.id) } == .conflict)
            let movements = try await harness.client.query(
                "SELECT reason, on_hand_delta, reserved_delta FROM inventory.stock_movements WHERE reservation_id = \(reservation.id.uuid) ORDER BY id",
                logger: harness.logger
            ).decode((String, Int, Int).self).collectAll()
            #expect(movements.map(\.0) == ["reserved", "committed"])
            #expect(movements.map(\.1) == [0, -3])
            #expect(movements.map(\.2) == [3, -3])
        }
    }

    @Test func reservationsThroughGraphQLAreForAdmins() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 4)
            let reserve = "mutation($l: [ReservationLineInput!]!) { reserveStock(lines: $l, ttlSeconds: 60) { id status expiresAt lines { productId warehouseId quantity } } }"
            let lines: Map = [["productId": .string(id.description), "quantity": 3]]
            #expect(code(await harness.graphQL(reserve, ["l": lines], as: TestUsers.seller)) == "FORBIDDEN")
            #expect(code(await harness.graphQL(reserve, ["l": lines])) == "UNAUTHENTICATED")
            let result = await harness.graphQL(reserve, ["l": lines], as: TestUsers.admin)
            #expect(result.errors.isEmpty, "\(result.errors)")
            #expect(result.data?["reserveStock"]["status"].string == "HELD")
            #expect(result.data?["reserveStock"]["lines"][0]["quantity"].int == 3)
            let reservation = result.data?["reserveStock"]["id"].string ?? ""

            let tooMany = await harness.graphQL(reserve, ["l": [["productId": .string(id.description), "quantity": 2]]], as: TestUsers.admin)
            #expect(code(tooMany) == "INSUFFICIENT_STOCK")

            let commit = "mutation($id: ID!) { commitReservation(id: $id) { status settledAt } }"
            let release = "mutation($id: ID!) { releaseReservation(id: $id) { status } }"
            #expect(code(await harness.graphQL(commit, ["id": .string(reservation)], as: TestUsers.seller)) == "FORBIDDEN")
            #expect(await harness.graphQL(commit, ["id": .string(reservation)], as: TestUsers.admin).data?["commitReservation"]["status"].string == "COMMITTED")
            #expect(code(await harness.graphQL(release, ["id": .string(reservation)], as: TestUsers.admin)) == "CONFLICT")
        }
    }
}
