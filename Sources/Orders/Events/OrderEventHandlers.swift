import Contracts
import EmporiumCore
import Foundation
import Logging
import Messaging

/// What Orders does with events: inventory's answers move the saga on; the catalog's product
/// events keep the projection that prices carts and snapshots orders; its own seller-order and
/// return events keep the sellers' ledgers (``SellerLedger``).
enum OrderEventHandlers {
    static func make(workflow: OrderWorkflow, ledger: SellerLedger) -> EventHandlers {
        var handlers = EventHandlers()
        ledger.register(in: &handlers)
        handlers.on(StockReserved.self) { event, context in
            guard let id = orderID(event.orderId, context) else { return }
            try await workflow.apply(.stockReserved, to: id, on: context.connection, logger: context.logger)
        }
        handlers.on(StockReservationFailed.self) { event, context in
            guard let id = orderID(event.orderId, context) else { return }
            let reason = switch event.reason {
            case "INSUFFICIENT_STOCK":
                "not enough stock of product \(event.productId ?? "?")" + (event.available.map { " (\($0) available, \(event.requested ?? 0) ordered)" } ?? "")
            case "PRODUCT_UNAVAILABLE": "product \(event.productId ?? "?") is no longer sold"
            default: "inventory refused the order (\(event.reason))"
            }
            try await workflow.apply(.stockRejected(reason: reason), to: id, reason: reason, on: context.connection, logger: context.logger)
        }
        for kind in [ProductCreated.self, ProductUpdated.self, ProductArchived.self] as [any ProductSnapshotEvent.Type] {
            kind.register(in: &handlers)
        }
        handlers.on(ProductPublished.self) { event, context in
            try await project(event.product, publishAt: event.publishAt, context)
        }
        handlers.on(PriceChanged.self) { event, context in
            try await ProductProjection.applyPrice(
                productID: event.productId, amount: event.price.amount, currency: event.price.currency, version: event.version,
                on: context.connection, logger: context.logger)
        }
        return handlers
    }

    static func project(_ product: ProductSnapshot, publishAt: Date?, _ context: EventContext) async throws {
        try await ProductProjection.apply(
            productID: product.productId, sellerID: product.sellerId, title: product.title, amount: product.price.amount, currency: product.price.currency,
            status: product.status, publishAt: publishAt, version: product.version, on: context.connection, logger: context.logger)
    }

    private static func orderID(_ text: String, _ context: EventContext) -> OrderID? {
        guard let uuid = UUID(uuidString: text) else {
            context.logger.warning("inventory answer for a malformed order id ignored", metadata: ["order.id": "\(text.prefix(64))"])
            return nil
        }
        return OrderID(uuid: uuid)
    }
}

/// Catalog events that carry a whole product snapshot.
protocol ProductSnapshotEvent: IntegrationEvent {
    var product: ProductSnapshot { get }
}

extension ProductSnapshotEvent {
    static func register(in handlers: inout EventHandlers) {
        handlers.on(Self.self) { event, context in
            try await OrderEventHandlers.project(event.product, publishAt: nil, context)
        }
    }
}

extension ProductCreated: ProductSnapshotEvent {}
extension ProductUpdated: ProductSnapshotEvent {}
extension ProductArchived: ProductSnapshotEvent {}
