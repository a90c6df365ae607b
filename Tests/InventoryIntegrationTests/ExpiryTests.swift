import Contracts
import EmporiumCore
import EmporiumTesting
import Foundation
@testable import Inventory
import ServiceLifecycle
import Testing
import Database
import PostgresNIO

/// Reservations not committed in time give their units back.
@Suite struct ExpiryTests {
    @Test func aSweepReleasesOnlyReservationsPastTheirDeadline() async throws {
        try await Harness.run(reservationTTL: .seconds(60)) { harness in
            let id = try await harness.createProduct(units: 5)
            let early = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 2)])
            harness.clock.advance(by: 30)
            let late = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 3)])
            #expect(try await harness.service.expiry.sweep() == 0)

            harness.clock.advance(by: 31)
            // Past its deadline a reservation can no longer be committed…
            #expect(await errorCode { _ = try await harness.keeper.commit(early.id) } == .conflict)
            // …and the sweep gives its units back.
            #expect(try await harness.service.expiry.sweep() == 1)
            #expect(try await harness.keeper.reservation(id: early.id).status == .expired)
            #expect(try await harness.keeper.reservation(id: late.id).status == .held)
            #expect(try await harness.keeper.stockLevel(productID: id).available == 2)
            // Releasing an expired reservation is harmless.
            #expect(try await harness.keeper.release(early.id).status == .expired)

            let movements = try await harness.client.query(
                "SELECT reason, actor FROM inventory.stock_movements WHERE reservation_id = \(early.id.uuid) ORDER BY id", logger: harness.logger
            ).decode((String, String?).self).collectAll()
            #expect(movements.map(\.0) == ["reserved", "expired"])
            #expect(movements.last?.1 == "inventory.expiry")
            #expect(try await harness.outbox(for: id).compactMap { try? $0.decode(StockChanged.self).reason }.last == "expired")
        }
    }

    @Test func sweepsWorkThroughSeveralBatches() async throws {
        try await Harness.run(reservationTTL: .seconds(1)) { harness in
            let id = try await harness.createProduct(units: 250)
            for _ in 0..<5 {
                _ = try await harness.keeper.reserve((0..<1).map { _ in ReservationItem(productID: id, quantity: 50) })
            }
            harness.clock.advance(by: 2)
            let expiry = ReservationExpiry(reservations: harness.keeper.reservations, clock: harness.clock, batchSize: 2, logger: harness.logger)
            #expect(try await expiry.sweep() == 5)
            #expect(try await harness.keeper.stockLevel(productID: id).reserved == 0)
        }
    }

    /// The service loop itself, with a real clock and a short TTL.
    @Test(.timeLimit(.minutes(1)))
    func theRunningServiceExpiresReservations() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 3)
            let store = harness.keeper.reservations
            let expiry = ReservationExpiry(reservations: store, interval: .milliseconds(50), logger: harness.logger)
            let keeper = StockKeeper(stock: harness.keeper.stock, reservations: store, reservationTTL: .milliseconds(300))
            let reservation = try await keeper.reserve([ReservationItem(productID: id, quantity: 3)])
            #expect(try await keeper.stockLevel(productID: id).available == 0)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await expiry.run() }
                let deadline = ContinuousClock.now + .seconds(20)
                while try await keeper.reservation(id: reservation.id).status == .held, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                group.cancelAll()
            }
            #expect(try await keeper.reservation(id: reservation.id).status == .expired)
            #expect(try await keeper.stockLevel(productID: id).available == 3)
        }
    }

    /// In a ServiceGroup, graceful shutdown ends the loop (after any sweep in progress).
    @Test(.timeLimit(.minutes(1)))
    func gracefulShutdownStopsTheLoop() async throws {
        try await Harness.run { harness in
            let group = ServiceGroup(services: [harness.service.expiry], logger: harness.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await Task.sleep(for: .milliseconds(200))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }
}
