import Contracts
import EmporiumCore
import Foundation
import Identity
import Inventory
@testable import Orders
import Testing

/// The order saga on real PostgreSQL: orders, inventory and the sandbox providers, joined by the
/// in-process bus.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SagaTests {
    @Test func anOrderGoesFromCartToDeliveredAcrossTwoSellers() async throws {
        try await SagaHarness.run { harness in
            let kettle = try await harness.product(seller: "seller-1", title: "Чайник", amount: 2_500, units: 5)
            let mug = try await harness.product(seller: "seller-2", title: "Кружка", amount: 700, units: 5)
            let buyer = SagaHarness.buyer()
            let cart = try await harness.orders.desk.add(product: kettle, quantity: 2, viewer: buyer)
            #expect(cart.total == Money(amount: 5_000, currency: try Currency(code: "RUB")))
            let placed = try await harness.order([(mug, 3)], buyer: buyer)
            #expect(placed.status == .pending)
            #expect(placed.total.amount == 2 * 2_500 + 3 * 700)
            #expect(placed.sellerOrders.map(\.sellerID.rawValue) == ["seller-1", "seller-2"])
            #expect(try await harness.orders.desk.cart(viewer: buyer).lines.isEmpty, "checkout empties the cart")

            try await harness.settle()
            let awaiting = try await harness.reload(placed)
            #expect(awaiting.status == .awaitingPayment)
            #expect(awaiting.payment.confirmationURL?.hasPrefix("/sandbox/payments/pay_") == true)
            #expect(try await harness.stock(kettle) == (5, 2), "reserved, not yet taken")

            #expect(try await harness.pay(placed) == .succeeded)
            try await harness.settle()
            let paid = try await harness.reload(placed)
            #expect(paid.status == .paid && paid.payment.paidAt != nil)
            #expect(try await harness.stock(kettle) == (3, 0), "committed on payment")
            #expect(try await harness.stock(mug) == (2, 0))

            // Each seller ships their own part; the carrier's webhooks move it on.
            let first = try await harness.orders.desk.ship(sellerOrder: paid.sellerOrders[0].id, viewer: SagaHarness.seller("seller-1"))
            let shipment = try #require(first.shipment)
            #expect(shipment.trackingNumber.hasPrefix("EMP"))
            await #expect(throws: EmporiumError.self, "not their part") {
                try await harness.orders.desk.ship(sellerOrder: paid.sellerOrders[1].id, viewer: SagaHarness.seller("seller-1"))
            }
            #expect(try await harness.orders.sandboxDelivery.advance(shipmentID: shipment.id) == "shipped")
            try await harness.settle()
            #expect(try await harness.reload(placed).status == .partiallyShipped)
            let second = try await harness.orders.desk.ship(sellerOrder: paid.sellerOrders[1].id, viewer: SagaHarness.seller("seller-2"))
            let secondShipment = try #require(second.shipment).id
            _ = try await harness.orders.sandboxDelivery.advance(shipmentID: secondShipment)
            try await harness.settle()
            #expect(try await harness.reload(placed).status == .shipped)
            #expect(try await harness.orders.sandboxDelivery.advance(shipmentID: shipment.id) == "delivered")
            try await harness.settle()
            #expect(try await harness.reload(placed).status == .shipped, "one part delivered, the other on its way")
            _ = try await harness.orders.sandboxDelivery.advance(shipmentID: secondShipment)
            try await harness.settle()
            let delivered = try await harness.reload(placed)
            #expect(delivered.status == .delivered)
            #expect(delivered.sellerOrders.map(\.status) == [.delivered, .delivered])

            let statuses = try await harness.events("OrderStatusChanged").map { try JSONDecoder().decode(Change.self, from: Data($0.utf8)).to }
            #expect(statuses == ["PENDING", "AWAITING_PAYMENT", "PAID", "PARTIALLY_SHIPPED", "SHIPPED", "DELIVERED"])
            let changes = try await harness.orders.desk.history(of: placed.id)
            let history = changes.filter { $0.sellerOrderID == nil }.map(\.to)
            #expect(history == statuses)
            // Each chain (the order's, each seller order's) is whole and in order: every change
            // starts where the one before it ended; the order's first from nothing, a seller
            // order's from PENDING (it is created with the order, whose row records that).
            for part in [nil] + delivered.sellerOrders.map(\.id) {
                let chain = changes.filter { $0.sellerOrderID == part }
                #expect(chain.first?.from == (part == nil ? nil : "PENDING") && chain.count >= 2, "\(chain)")
                #expect(zip(chain, chain.dropFirst()).allSatisfy { $0.to == $1.from }, "\(chain)")
                #expect(chain.last?.to == "DELIVERED")
            }
        }
    }

    struct Change: Decodable { let to: String }

    @Test func fiftyBuyersForTenUnitsMakeTenPaidOrdersAndNoOversell() async throws {
        try await SagaHarness.run { harness in
            let product = try await harness.product(units: 10)
            let placed = try await withThrowingTaskGroup(of: Order.self) { group in
                for index in 0..<50 {
                    group.addTask { try await harness.order([(product, 1)], buyer: SagaHarness.buyer("buyer-\(index)")) }
                }
                return try await group.reduce(into: [Order]()) { $0.append($1) }
            }
            #expect(placed.count == 50)
            try await harness.settle()
            var awaiting: [Order] = []
            for order in placed {
                let current = try await harness.reload(order)
                if current.status == .awaitingPayment { awaiting.append(current) }
            }
            #expect(awaiting.count == 10)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for order in awaiting { group.addTask { _ = try await harness.pay(order) } }
                try await group.waitForAll()
            }
            try await harness.settle()
            var counts: [OrderStatus: Int] = [:]
            for order in placed {
                let current = try await harness.reload(order)
                counts[current.status, default: 0] += 1
                if current.status == .rejected { #expect(current.reason?.contains("not enough stock") == true, "\(current.reason ?? "no reason")") }
            }
            #expect(counts == [.paid: 10, .rejected: 40])
            #expect(try await harness.stock(product) == (0, 0))
            #expect(try await harness.count("SELECT count(*)::integer FROM inventory.stock WHERE on_hand < 0 OR reserved < 0") == 0)
        }
    }

    @Test func anUnpaidOrderIsCancelledAtItsDeadlineAndALatePaymentIsRefundedOnce() async throws {
        try await SagaHarness.run { harness in
            let product = try await harness.product(units: 3)
            let order = try await harness.order([(product, 2)])
            try await harness.settle()
            #expect(try await harness.reload(order).status == .awaitingPayment)
            #expect(try await harness.orders.deadlines.sweep() == 0, "not due yet")
            harness.clock.advance(by: 901)
            #expect(try await harness.orders.deadlines.sweep() == 1)
            try await harness.settle()
            let cancelled = try await harness.reload(order)
            #expect(cancelled.status == .cancelled && cancelled.reason == "not paid in time")
            #expect(try await harness.stock(product) == (3, 0), "released")

            // The buyer pays anyway: the money goes back, once.
            _ = try await harness.pay(order)
            try await harness.settle()
            let refunded = try await harness.reload(order)
            #expect(refunded.status == .cancelled && refunded.payment.paidAt != nil && refunded.payment.refundedAt != nil)
            #expect(try await harness.count("SELECT count(*)::integer FROM orders.sandbox_refunds") == 1)
        }
    }

    @Test func cancellingAPaidOrderRefundsAndRestocksOnce() async throws {
        try await SagaHarness.run { harness in
            let product = try await harness.product(units: 4)
            let order = try await harness.order([(product, 3)])
            try await harness.settle()
            _ = try await harness.pay(order)
            try await harness.settle()
            #expect(try await harness.stock(product) == (1, 0))
            await #expect(throws: EmporiumError.self, "another buyer") {
                try await harness.orders.desk.cancel(id: order.id, reason: nil, viewer: SagaHarness.buyer("buyer-2"))
            }
            let cancelled = try await harness.orders.desk.cancel(id: order.id, reason: "changed my mind", viewer: SagaHarness.buyer())
            #expect(cancelled.status == .cancelled && cancelled.reason == "cancelled by the buyer: changed my mind")
            _ = try await harness.orders.desk.cancel(id: order.id, reason: nil, viewer: SagaHarness.buyer())
            try await harness.settle()
            #expect(try await harness.stock(product) == (4, 0), "the units came back once")
            #expect(try await harness.count("SELECT count(*)::integer FROM orders.sandbox_refunds") == 1)
            #expect(try await harness.count("SELECT count(*)::integer FROM inventory.stock_movements WHERE reason = 'restocked'") == 1)
            let account = try await harness.orders.desk.account(of: UserID("seller-1"), viewer: SagaHarness.admin)
            #expect(account.balances.map(\.amount) == [0] && account.units == 0, "the sale and its commission are taken back")
        }
    }

    @Test func aDeclinedCardLeavesTheOrderAwaitingPayment() async throws {
        try await SagaHarness.run { harness in
            let product = try await harness.product(units: 1)
            let order = try await harness.order([(product, 1)])
            try await harness.settle()
            #expect(try await harness.pay(order, card: "4000000000000002") == .declined)
            try await harness.settle()
            #expect(try await harness.reload(order).status == .awaitingPayment)
            #expect(try await harness.pay(order) == .succeeded, "another card")
            try await harness.settle()
            #expect(try await harness.reload(order).status == .paid)
        }
    }
}
