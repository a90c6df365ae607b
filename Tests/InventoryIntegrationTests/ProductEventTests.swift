import Contracts
import Database
import EmporiumCore
import EmporiumTesting
import Foundation
@testable import Inventory
import Messaging
import PostgresNIO
import Testing
import GraphQL

/// Catalog events open and close products' stock records.
@Suite struct ProductEventTests {
    @Test func productCreatedOpensOneEmptyStockRecordWhateverTheRedelivery() async throws {
        try await Harness.run { harness in
            let id = ProductID()
            let event = try EventEnvelope(ProductCreated(product: Harness.snapshot(id)))
            #expect(try await harness.processor.process(event) == .handled)
            #expect(try await harness.processor.process(event) == .duplicate)
            // The same fact under a new event id (a producer that re-sent it): the handler itself
            // is idempotent too.
            var resent = event
            resent.eventID = UUID()
            #expect(try await harness.processor.process(resent) == .handled)

            #expect(try await harness.count("SELECT count(*) FROM inventory.stock WHERE product_id = '\(id)'") == 1)
            #expect(try await harness.count("SELECT count(*) FROM inventory.products WHERE product_id = '\(id)'") == 1)
            let level = try await harness.keeper.stockLevel(productID: id)
            #expect(level.warehouses.map(\.warehouse.id) == [Warehouse.defaultID])
            #expect((level.onHand, level.reserved, level.available) == (0, 0, 0))
            #expect(level.isActive)
            // One "created" announcement, not one per delivery.
            let outbox = try await harness.outbox(for: id)
            #expect(outbox.map(\.type) == ["StockChanged"])
            #expect(try outbox[0].decode(StockChanged.self).reason == "created")
        }
    }

    @Test func handlersWriteInTheCallersTransaction() async throws {
        try await Harness.run { harness in
            let id = ProductID()
            let envelope = try EventEnvelope(ProductCreated(product: Harness.snapshot(id)))
            struct Rollback: Error {}
            // Called directly with a transaction that then fails: nothing remains.
            await #expect(throws: Rollback.self) {
                try await harness.client.transaction(logger: harness.logger) { connection in
                    try await ProductRecords.apply(envelope.decode(ProductCreated.self).product, active: true, envelope: envelope, on: connection, logger: harness.logger)
                    throw Rollback()
                }
            }
            #expect(try await harness.count("SELECT count(*) FROM inventory.products") == 0)
            #expect(try await harness.outbox().isEmpty)
        }
    }

    @Test func productArchivedDeactivatesButReadsKeepWorking() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct(units: 4)
            try await harness.archive(id)
            let level = try await harness.keeper.stockLevel(productID: id)
            #expect(!level.isActive && !level.isInStock)
            #expect(level.available == 4)

            let receive = await errorCode {
                _ = try await harness.keeper.receiveStock(productID: id, warehouseID: nil, quantity: 1, by: TestUsers.seller)
            }
            #expect(receive == .conflict)
            let reserve = await errorCode { _ = try await harness.keeper.reserve([ReservationItem(productID: id, quantity: 1)]) }
            #expect(reserve == .conflict)
            // What is left can still be written off.
            let adjusted = try await harness.keeper.adjustStock(productID: id, warehouseID: nil, delta: -4, reason: "disposed", by: TestUsers.seller)
            #expect(adjusted.onHand == 0)

            let result = await harness.graphQL(
                "mutation($p: ID!) { receiveStock(productId: $p, quantity: 1) { available } }", ["p": .string(id.description)], as: TestUsers.seller
            )
            #expect(code(result) == "CONFLICT")
            #expect(result.errors.first?.message.contains("archived") == true)
        }
    }

    @Test func newerSnapshotsWinOlderOnesAreIgnored() async throws {
        try await Harness.run { harness in
            let id = try await harness.createProduct()
            try await harness.archive(id, version: 3)
            // A late ProductCreated (version 1) does not bring the product back…
            _ = try await harness.processor.process(EventEnvelope(ProductCreated(product: Harness.snapshot(id, version: 1))))
            #expect(try await harness.keeper.stockLevel(productID: id).isActive == false)
            // …a restore in the catalog (a newer snapshot that is not archived) does.
            _ = try await harness.processor.process(EventEnvelope(ProductUpdated(product: Harness.snapshot(id, status: "DRAFT", version: 4), changedFields: ["status"])))
            #expect(try await harness.keeper.stockLevel(productID: id).isActive == true)
        }
    }

    @Test func aMalformedProductIDIsParkedNotRetried() async throws {
        try await Harness.run { harness in
            var snapshot = Harness.snapshot(ProductID())
            snapshot.productId = "not-a-uuid"
            let outcome = try await harness.processor.process(EventEnvelope(ProductCreated(product: snapshot)))
            #expect(outcome == .deadLettered)
            let parked = try await harness.count("SELECT count(*) FROM inventory.dead_letters")
            #expect(parked == 1)
        }
    }
}
