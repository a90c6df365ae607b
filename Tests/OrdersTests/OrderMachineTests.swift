import EmporiumCore
@testable import Orders
import Testing

/// The order state machine, input by input: every transition, every input twice, and the
/// orders in which the saga can deliver them.
@Suite struct OrderMachineTests {
    let a = SellerOrderID()
    let b = SellerOrderID()

    func state(_ status: OrderStatus, _ parts: [SellerOrderStatus]? = nil, shipments: Bool = false, paid: Bool = false, refunded: Bool = false) -> OrderState {
        let statuses = parts ?? [OrderMachine.mirrored(status) ?? .paid, OrderMachine.mirrored(status) ?? .paid]
        return OrderState(
            status: status, sellerOrders: zip([a, b], statuses).map { SellerOrderState(id: $0, status: $1, hasShipment: shipments) }, paid: paid,
            refunded: refunded)
    }

    @Test func stockReservedAsksForPaymentOnceAndOnlyWhilePending() throws {
        let decision = try OrderMachine.apply(.stockReserved, to: state(.pending))
        #expect(decision.state.status == .awaitingPayment)
        #expect(decision.effects == [.requestPayment])
        #expect(decision.state.sellerOrders.map(\.status) == [.awaitingPayment, .awaitingPayment])
        #expect(decision.sellerChanges.count == 2)
        // Twice, or after the buyer cancelled: nothing.
        for status in [OrderStatus.awaitingPayment, .cancelled, .paid, .rejected] {
            #expect(try OrderMachine.apply(.stockReserved, to: state(status)).isNoOp, "\(status)")
        }
    }

    @Test func stockRejectedEndsOnlyAPendingOrder() throws {
        let decision = try OrderMachine.apply(.stockRejected(reason: "no stock"), to: state(.pending))
        #expect(decision.state.status == .rejected && decision.effects.isEmpty)
        #expect(decision.orderChange?.from == .pending && decision.orderChange?.to == .rejected)
        #expect(try OrderMachine.apply(.stockRejected(reason: "again"), to: decision.state).isNoOp)
        #expect(try OrderMachine.apply(.stockRejected(reason: "late"), to: state(.cancelled)).isNoOp)
    }

    @Test func paymentPaysAnAwaitingOrderOnce() throws {
        let decision = try OrderMachine.apply(.paymentSucceeded, to: state(.awaitingPayment))
        #expect(decision.state.status == .paid && decision.state.paid && decision.effects.isEmpty)
        #expect(decision.state.sellerOrders.map(\.status) == [.paid, .paid])
        #expect(try OrderMachine.apply(.paymentSucceeded, to: decision.state).isNoOp)
    }

    @Test func paymentAfterCancellationIsRefundedExactlyOnce() throws {
        let late = try OrderMachine.apply(.paymentSucceeded, to: state(.cancelled))
        #expect(late.state.status == .cancelled && late.effects == [.refund] && late.state.refunded)
        #expect(try OrderMachine.apply(.paymentSucceeded, to: late.state).isNoOp, "a repeated webhook refunds nothing more")
    }

    @Test func theDeadlineCancelsOnlyAnUnpaidOrder() throws {
        let decision = try OrderMachine.apply(.paymentDeadlinePassed, to: state(.awaitingPayment))
        #expect(decision.state.status == .cancelled && decision.effects.isEmpty)
        #expect(decision.state.sellerOrders.map(\.status) == [.cancelled, .cancelled])
        for (status, parts) in [(OrderStatus.pending, nil), (.paid, nil), (.cancelled, nil), (.shipped, [SellerOrderStatus.shipped, .delivered]), (.delivered, [.delivered, .delivered])] {
            #expect(try OrderMachine.apply(.paymentDeadlinePassed, to: state(status, parts, shipments: parts != nil, paid: true)).isNoOp, "\(status)")
        }
    }

    @Test func cancellingBeforeShippingRefundsWhatWasPaid() throws {
        let unpaid = try OrderMachine.apply(.cancel(by: .buyer, reason: nil), to: state(.awaitingPayment))
        #expect(unpaid.state.status == .cancelled && unpaid.effects.isEmpty)
        let pending = try OrderMachine.apply(.cancel(by: .admin, reason: nil), to: state(.pending))
        #expect(pending.state.status == .cancelled)
        let paid = try OrderMachine.apply(.cancel(by: .seller, reason: "out of stock"), to: state(.paid, paid: true))
        #expect(paid.state.status == .cancelled && paid.effects == [.refund])
        #expect(try OrderMachine.apply(.cancel(by: .buyer, reason: nil), to: paid.state).isNoOp, "cancelling twice refunds once")
    }

    @Test func cancellingOnceShippingStartedIsRefused() throws {
        #expect(throws: EmporiumError.self) { try OrderMachine.apply(.cancel(by: .buyer, reason: nil), to: state(.paid, shipments: true, paid: true)) }
        for status in [OrderStatus.partiallyShipped, .shipped, .delivered, .rejected] {
            #expect(throws: EmporiumError.self, "\(status)") { try OrderMachine.apply(.cancel(by: .buyer, reason: nil), to: state(status, [.shipped, .shipped], paid: true)) }
        }
    }

    @Test func shippingNeedsAPaidPartAndIsIdempotent() throws {
        let first = try OrderMachine.apply(.shipmentCreated(sellerOrder: a), to: state(.paid, paid: true))
        #expect(first.effects == [.createShipment(a)] && first.state.sellerOrders[0].hasShipment)
        #expect(first.state.status == .paid, "the carrier has not taken it yet")
        #expect(try OrderMachine.apply(.shipmentCreated(sellerOrder: a), to: first.state).isNoOp)
        #expect(throws: EmporiumError.self) { try OrderMachine.apply(.shipmentCreated(sellerOrder: a), to: state(.awaitingPayment)) }
        #expect(throws: EmporiumError.self) { try OrderMachine.apply(.shipmentCreated(sellerOrder: SellerOrderID()), to: state(.paid, paid: true)) }
    }

    @Test func theOrderFollowsItsPartsAfterPayment() throws {
        var current = state(.paid, shipments: true, paid: true)
        current = try OrderMachine.apply(.carrierShipped(sellerOrder: a), to: current).state
        #expect(current.status == .partiallyShipped && current.sellerOrders.map(\.status) == [.shipped, .paid])
        current = try OrderMachine.apply(.carrierShipped(sellerOrder: b), to: current).state
        #expect(current.status == .shipped)
        current = try OrderMachine.apply(.carrierDelivered(sellerOrder: a), to: current).state
        #expect(current.status == .shipped, "one part delivered, the other on its way")
        let last = try OrderMachine.apply(.carrierDelivered(sellerOrder: b), to: current)
        #expect(last.state.status == .delivered && last.orderChange?.from == .shipped)
        #expect(try OrderMachine.apply(.carrierDelivered(sellerOrder: b), to: last.state).isNoOp)
    }

    @Test func carrierNewsOutOfOrderNeverMovesBackwards() throws {
        let delivered = try OrderMachine.apply(.carrierDelivered(sellerOrder: a), to: state(.paid, [.paid], shipments: true, paid: true))
        #expect(delivered.state.sellerOrders[0].status == .delivered && delivered.state.status == .delivered)
        #expect(try OrderMachine.apply(.carrierShipped(sellerOrder: a), to: delivered.state).isNoOp, "shipped arriving after delivered")
        // News for a part without a shipment, or for an unknown part, changes nothing.
        #expect(try OrderMachine.apply(.carrierShipped(sellerOrder: a), to: state(.paid, paid: true)).isNoOp)
        #expect(try OrderMachine.apply(.carrierShipped(sellerOrder: SellerOrderID()), to: state(.paid, paid: true)).isNoOp)
    }

    @Test func derivedStatusIgnoresCancelledParts() {
        let parts = [SellerOrderState(id: a, status: .cancelled), SellerOrderState(id: b, status: .delivered)]
        #expect(OrderMachine.derived(from: parts) == .delivered)
        #expect(OrderMachine.derived(from: [SellerOrderState(id: a, status: .cancelled)]) == .cancelled)
    }
}
