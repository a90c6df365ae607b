import EmporiumCore
import Foundation
import Identity
@testable import Orders
import Testing

/// After delivery: returns within 14 days, refunds through the provider, restocking, and the
/// seller's ledger (sale, commission, refund) with its balance.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ReturnsAndLedgerTests {
    /// A delivered order of `quantity` kettles at 25.00 from seller-1.
    func delivered(_ harness: SagaHarness, quantity: Int = 2) async throws -> (Order, ProductID) {
        let kettle = try await harness.product(seller: "seller-1", amount: 2_500, units: 10)
        let order = try await harness.order([(kettle, quantity)])
        try await harness.settle()
        _ = try await harness.pay(order)
        try await harness.settle()
        let part = try await harness.reload(order).sellerOrders[0]
        let shipped = try await harness.orders.desk.ship(sellerOrder: part.id, viewer: SagaHarness.seller())
        let shipment = try #require(shipped.shipment)
        _ = try await harness.orders.sandboxDelivery.advance(shipmentID: shipment.id)
        _ = try await harness.orders.sandboxDelivery.advance(shipmentID: shipment.id)
        try await harness.settle()
        let done = try await harness.reload(order)
        #expect(done.status == .delivered && done.sellerOrders[0].deliveredAt != nil)
        return (done, kettle)
    }

    @Test func anApprovedReturnRefundsRestocksAndShowsInTheLedger() async throws {
        try await SagaHarness.run { harness in
            let (order, kettle) = try await delivered(harness)
            let seller = SagaHarness.seller()
            var account = try await harness.orders.desk.account(of: seller.userID, viewer: seller)
            #expect(account.balances.map(\.amount) == [4_500] && account.units == 2, "a 5,000 sale less 10 % commission")
            #expect(try await harness.stock(kettle) == (8, 0))

            let request = try await harness.orders.returns.request(order: order.id, lines: [(kettle, 1)], reason: "треснул", viewer: SagaHarness.buyer())
            #expect(request.status == .requested && request.amount.amount == 2_500)
            await #expect(throws: EmporiumError.self, "only one more unit can go back") {
                try await harness.orders.returns.request(order: order.id, lines: [(kettle, 2)], reason: "ещё", viewer: SagaHarness.buyer())
            }
            await #expect(throws: EmporiumError.self, "another seller") {
                try await harness.orders.returns.approve(request.id, viewer: SagaHarness.seller("seller-2"))
            }
            let approved = try await harness.orders.returns.approve(request.id, viewer: seller)
            #expect(approved.status == .approved && approved.refundID != nil)
            await #expect(throws: EmporiumError.self, "decided already") { try await harness.orders.returns.refuse(request.id, note: "no", viewer: seller) }
            try await harness.settle()

            #expect(try await harness.stock(kettle) == (9, 0), "the returned unit is back on hand")
            #expect(try await harness.count("SELECT amount::integer FROM orders.sandbox_refunds") == 2_500)
            account = try await harness.orders.desk.account(of: seller.userID, viewer: seller)
            #expect(account.balances.map(\.amount) == [2_250] && account.units == 1)
            let entries = try await harness.orders.desk.ledger(of: seller.userID, first: 10, after: nil, viewer: seller)
            #expect(entries.map(\.kind) == ["COMMISSION_REFUND", "REFUND", "COMMISSION", "SALE"])
            #expect(entries.map(\.amount.amount) == [250, -2_500, -500, 5_000])
            let older = try await harness.orders.desk.ledger(of: seller.userID, first: 2, after: String(entries[1].id), viewer: seller)
            #expect(older.map(\.kind) == ["COMMISSION", "SALE"])
            await #expect(throws: EmporiumError.self, "someone else's books") {
                try await harness.orders.desk.account(of: seller.userID, viewer: SagaHarness.seller("seller-2"))
            }
        }
    }

    @Test func returnsAreRefusedOutsideTheirWindowAndToStrangers() async throws {
        try await SagaHarness.run { harness in
            let kettle = try await harness.product(units: 5)
            let undelivered = try await harness.order([(kettle, 1)])
            await #expect(throws: EmporiumError.self, "not delivered yet") {
                try await harness.orders.returns.request(order: undelivered.id, lines: [(kettle, 1)], reason: "x", viewer: SagaHarness.buyer())
            }
            let (order, product) = try await delivered(harness, quantity: 1)
            await #expect(throws: EmporiumError.self, "another buyer") {
                try await harness.orders.returns.request(order: order.id, lines: [(product, 1)], reason: "x", viewer: SagaHarness.buyer("buyer-2"))
            }
            await #expect(throws: EmporiumError.self, "no reason") {
                try await harness.orders.returns.request(order: order.id, lines: [(product, 1)], reason: "  ", viewer: SagaHarness.buyer())
            }
            let refused = try await harness.orders.returns.request(order: order.id, lines: [(product, 1)], reason: "не подошёл", viewer: SagaHarness.buyer())
            let decided = try await harness.orders.returns.refuse(refused.id, note: "следы использования", viewer: SagaHarness.seller())
            #expect(decided.status == .refused && decided.decisionNote == "следы использования")
            harness.clock.advance(by: 15 * 24 * 3600)
            await #expect(throws: EmporiumError.self, "past 14 days") {
                try await harness.orders.returns.request(order: order.id, lines: [(product, 1)], reason: "поздно", viewer: SagaHarness.buyer())
            }
            #expect(try await harness.count("SELECT count(*)::integer FROM orders.returns") == 1)
        }
    }
}
