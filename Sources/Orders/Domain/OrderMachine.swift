import EmporiumCore

/// What can happen to an order: the saga's answers, the providers' webhooks, people's commands
/// and the payment deadline.
public enum OrderInput: Sendable, Equatable {
    case stockReserved
    case stockRejected(reason: String)
    case paymentSucceeded
    case paymentDeadlinePassed
    case cancel(by: Actor, reason: String?)
    case shipmentCreated(sellerOrder: SellerOrderID)
    case carrierShipped(sellerOrder: SellerOrderID)
    case carrierDelivered(sellerOrder: SellerOrderID)

    public enum Actor: Sendable, Equatable {
        case buyer, seller, admin
    }
}

/// The parts of an order the machine decides on.
public struct OrderState: Sendable, Equatable {
    public var status: OrderStatus
    public var sellerOrders: [SellerOrderState]
    /// The payment was captured (even if refunded later).
    public var paid: Bool
    /// A refund was asked for; never twice.
    public var refunded: Bool

    public init(status: OrderStatus, sellerOrders: [SellerOrderState], paid: Bool = false, refunded: Bool = false) {
        self.status = status
        self.sellerOrders = sellerOrders
        self.paid = paid
        self.refunded = refunded
    }
}

public struct SellerOrderState: Sendable, Equatable {
    public let id: SellerOrderID
    public var status: SellerOrderStatus
    public var hasShipment: Bool

    public init(id: SellerOrderID, status: SellerOrderStatus, hasShipment: Bool = false) {
        self.id = id
        self.status = status
        self.hasShipment = hasShipment
    }
}

/// What the machine asks the world to do after a transition, in the same transaction where it
/// can (events) or right after (the payment provider).
public enum OrderEffect: Sendable, Equatable {
    /// Ask the payment provider for a payment (idempotent per order).
    case requestPayment
    /// Give the money back (idempotent per order).
    case refund
    /// Create the seller order's shipment with the delivery provider.
    case createShipment(SellerOrderID)
}

/// The outcome of one input.
public struct OrderDecision: Sendable {
    public var state: OrderState
    public var effects: [OrderEffect]
    /// The order's status before, when it changed.
    public var orderChange: (from: OrderStatus, to: OrderStatus)?
    public var sellerChanges: [(id: SellerOrderID, from: SellerOrderStatus, to: SellerOrderStatus)]
    /// True when the input changes nothing (a repeat, or one that arrived after it stopped
    /// mattering): the caller records nothing and answers as before.
    public var isNoOp: Bool { orderChange == nil && sellerChanges.isEmpty && effects.isEmpty && !stateChanged }
    var stateChanged: Bool
}

/// The order state machine: a pure function from a state and an input to a decision.
///
/// Every input is safe to apply twice and in any order the saga can deliver it: what no longer
/// applies is a no-op, except commands people send, which are refused with a coded error that
/// says why (cancelling a shipped order, shipping an unpaid one).
public enum OrderMachine {
    public static func apply(_ input: OrderInput, to state: OrderState) throws -> OrderDecision {
        var next = state
        var effects: [OrderEffect] = []
        switch input {
        case .stockReserved:
            // Only a pending order waits for stock; reserved after a cancellation, inventory
            // releases it on the cancellation that follows in the same order's stream.
            guard state.status == .pending else { break }
            next.status = .awaitingPayment
            effects.append(.requestPayment)
        case .stockRejected:
            guard state.status == .pending else { break }
            next.status = .rejected
        case .paymentSucceeded:
            guard !state.paid else { break }
            next.paid = true
            switch state.status {
            case .awaitingPayment:
                next.status = .paid
            case .pending, .cancelled, .rejected:
                // Money for an order that will not be fulfilled goes back, automatically.
                if !state.refunded {
                    next.refunded = true
                    effects.append(.refund)
                }
            case .paid, .partiallyShipped, .shipped, .delivered:
                break
            }
        case .paymentDeadlinePassed:
            guard state.status == .awaitingPayment else { break }
            next.status = .cancelled
        case .cancel:
            switch state.status {
            case .pending, .awaitingPayment:
                next.status = .cancelled
            case .paid:
                guard !state.sellerOrders.contains(where: \.hasShipment) else {
                    throw EmporiumError(.conflict, "the order is being shipped; ask for a return once it arrives")
                }
                next.status = .cancelled
                if state.paid && !state.refunded {
                    next.refunded = true
                    effects.append(.refund)
                }
            case .partiallyShipped, .shipped, .delivered:
                throw EmporiumError(.conflict, "the order has shipped and can no longer be cancelled; ask for a return once it arrives")
            case .cancelled:
                break  // cancelling twice answers the cancelled order
            case .rejected:
                throw EmporiumError(.conflict, "the order was rejected; there is nothing to cancel")
            }
        case .shipmentCreated(let id):
            guard let index = state.sellerOrders.firstIndex(where: { $0.id == id }) else {
                throw EmporiumError.notFound("no seller order \(id) in this order")
            }
            let part = state.sellerOrders[index]
            guard part.status == .paid else {
                throw EmporiumError(.conflict, "seller order \(id) is \(part.status.rawValue); only a paid one can be shipped")
            }
            guard !part.hasShipment else { break }  // shipping twice answers the first shipment
            next.sellerOrders[index].hasShipment = true
            effects.append(.createShipment(id))
        case .carrierShipped(let id), .carrierDelivered(let id):
            guard let index = state.sellerOrders.firstIndex(where: { $0.id == id }) else { break }
            let target: SellerOrderStatus = if case .carrierShipped = input { .shipped } else { .delivered }
            let part = state.sellerOrders[index]
            // A carrier's news for a part that has no shipment, or that is already further along
            // (delivered arriving before shipped), changes nothing backwards.
            guard part.hasShipment, rank(part.status) < rank(target) else { break }
            next.sellerOrders[index].status = target
        }
        // Seller orders follow the order until payment; after it, the order follows them.
        if next.status != state.status {
            for index in next.sellerOrders.indices where !next.sellerOrders[index].status.isAfterPayment || next.status == .cancelled {
                if let mirrored = mirrored(next.status) { next.sellerOrders[index].status = mirrored }
            }
        } else if [.paid, .partiallyShipped, .shipped].contains(state.status), next.sellerOrders != state.sellerOrders {
            next.status = derived(from: next.sellerOrders)
        }
        let changes = zip(state.sellerOrders, next.sellerOrders).compactMap { before, after in
            before.status == after.status ? nil : (id: after.id, from: before.status, to: after.status)
        }
        return OrderDecision(
            state: next, effects: effects, orderChange: next.status == state.status ? nil : (state.status, next.status), sellerChanges: changes,
            stateChanged: next != state)
    }

    /// The order's status after payment, from its parts'.
    public static func derived(from parts: [SellerOrderState]) -> OrderStatus {
        let live = parts.filter { $0.status != .cancelled && $0.status != .rejected }
        guard !live.isEmpty else { return .cancelled }
        if live.allSatisfy({ $0.status == .delivered }) { return .delivered }
        if live.allSatisfy({ $0.status == .shipped || $0.status == .delivered }) { return .shipped }
        if live.contains(where: { $0.status == .shipped || $0.status == .delivered }) { return .partiallyShipped }
        return .paid
    }

    static func mirrored(_ status: OrderStatus) -> SellerOrderStatus? {
        switch status {
        case .pending: .pending
        case .awaitingPayment: .awaitingPayment
        case .paid: .paid
        case .cancelled: .cancelled
        case .rejected: .rejected
        case .partiallyShipped, .shipped, .delivered: nil
        }
    }

    static func rank(_ status: SellerOrderStatus) -> Int {
        switch status {
        case .pending: 0
        case .awaitingPayment: 1
        case .paid: 2
        case .shipped: 3
        case .delivered: 4
        case .cancelled, .rejected: 5
        }
    }
}

extension SellerOrderStatus {
    var isAfterPayment: Bool { self == .shipped || self == .delivered }
}
