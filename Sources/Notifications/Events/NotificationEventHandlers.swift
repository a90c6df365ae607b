import Contracts
import EmporiumCore
import FanOut
import Foundation
import Messaging

/// What notifications make of other services' events. Each handler writes through the
/// processor's transaction (so an event is handled once in effect) and announces what it wrote
/// to live clients only after that transaction commits.
enum NotificationEventHandlers {
    static func make(feed: LiveFeed) -> EventHandlers {
        var handlers = EventHandlers()

        // Catalog: the titles and prices messages quote; every change is a live product signal.
        onSnapshot(ProductCreated.self, \.product, &handlers, feed: feed)
        onSnapshot(ProductUpdated.self, \.product, &handlers, feed: feed)
        onSnapshot(ProductPublished.self, \.product, &handlers, feed: feed)
        onSnapshot(ProductArchived.self, \.product, &handlers, feed: feed)
        handlers.on(PriceChanged.self) { event, context in
            let newer = try await NotificationProjections.applyPrice(event, on: context.connection, logger: context.logger)
            let facts = try await NotificationProjections.product(event.productId, on: context.connection, logger: context.logger)
            var signals = [(FanOutChannel.product(event.productId), LiveSignal(subject: .product, id: event.productId, owners: facts.map { [$0.sellerID] } ?? []))]
            if newer, event.price.currency == event.previousPrice.currency, event.price.amount < event.previousPrice.amount,
               let old = try? Money.price(amount: event.previousPrice.amount, currency: event.previousPrice.currency, field: "previousPrice"),
               let new = try? Money.price(amount: event.price.amount, currency: event.price.currency, field: "price") {
                let message = NotificationMessage.priceDrop(
                    product: .init(title: facts?.title, id: event.productId), productID: event.productId, from: old, to: new)
                let delivered = try await NotificationWriter.deliver(
                    message, to: .watchers(product: event.productId), at: context.envelope.occurredAt, on: context.connection, logger: context.logger)
                signals += delivered.map(\.userSignal)
            }
            let announced = signals
            context.afterCommit { await feed.announce(announced) }
        }

        // Inventory: stock signals for subscribers, low stock for the seller, back in stock for watchers.
        handlers.on(StockChanged.self) { event, context in
            let facts = try await NotificationProjections.product(event.productId, on: context.connection, logger: context.logger)
            let signal = LiveSignal(subject: .stock, id: event.productId, owners: facts.map { [$0.sellerID] } ?? [])
            context.afterCommit { await feed.announce([(FanOutChannel.product(event.productId), signal)]) }
        }
        handlers.on(ProductExportCompleted.self) { event, context in
            let message = NotificationMessage.exportReady(exportID: event.exportId, format: event.format, rows: event.rowCount)
            try await deliver(message, to: .users([UserID(event.requestedBy)]), context: context, feed: feed)
        }
        handlers.on(LowStockReached.self) { event, context in
            let facts = try await NotificationProjections.product(event.productId, on: context.connection, logger: context.logger)
            let message = NotificationMessage.lowStock(
                product: .init(title: facts?.title, id: event.productId), productID: event.productId, available: event.totals.available, threshold: event.threshold)
            try await deliver(message, to: .users([UserID(event.sellerId)]), context: context, feed: feed)
        }
        handlers.on(LowStockCleared.self) { event, context in
            let facts = try await NotificationProjections.product(event.productId, on: context.connection, logger: context.logger)
            let message = NotificationMessage.lowStockCleared(
                product: .init(title: facts?.title, id: event.productId), productID: event.productId, available: event.totals.available)
            try await deliver(message, to: .users([UserID(event.sellerId)]), context: context, feed: feed)
        }
        handlers.on(StockReplenished.self) { event, context in
            let facts = try await NotificationProjections.product(event.productId, on: context.connection, logger: context.logger)
            let message = NotificationMessage.backInStock(product: .init(title: facts?.title, id: event.productId), productID: event.productId)
            try await deliver(message, to: .watchers(product: event.productId), context: context, feed: feed)
        }

        // Orders: the buyer hears of every change, the sellers of a new order.
        handlers.on(OrderStatusChanged.self) { event, context in
            var signals: [(channel: String, signal: LiveSignal)] = [
                (FanOutChannel.order(event.orderId), LiveSignal(subject: .order, id: event.orderId, owners: [event.buyerId] + event.sellerIds))
            ]
            let status = NotificationMessage.orderStatus(orderID: event.orderId, status: event.to, reason: event.reason)
            signals += try await NotificationWriter.deliver(
                status, to: .users([UserID(event.buyerId)]), at: context.envelope.occurredAt, on: context.connection, logger: context.logger
            ).map(\.userSignal)
            if event.from == nil {
                for seller in Set(event.sellerIds).sorted() {
                    let units = event.lines.filter { $0.sellerId == seller }.reduce(0) { $0.addingSaturated($1.quantity) }
                    signals += try await NotificationWriter.deliver(
                        .newOrder(orderID: event.orderId, units: units), to: .users([UserID(seller)]), at: context.envelope.occurredAt,
                        on: context.connection, logger: context.logger
                    ).map(\.userSignal)
                }
            }
            let announced = signals
            context.afterCommit { await feed.announce(announced) }
        }

        // Users: where and in which language to write; a deleted account leaves nothing here.
        handlers.on(UserRegistered.self) { event, context in
            try await NotificationProjections.recordRecipient(event, on: context.connection, logger: context.logger)
        }
        handlers.on(UserEmailChanged.self) { event, context in
            try await NotificationProjections.recordAddress(of: event.userId, email: event.email, on: context.connection, logger: context.logger)
        }
        handlers.on(UserLocaleChanged.self) { event, context in
            try await NotificationProjections.recordLanguage(of: event.userId, language: event.language, on: context.connection, logger: context.logger)
        }
        handlers.on(UserDeleted.self) { event, context in
            try await NotificationProjections.forget(event.userId, on: context.connection, logger: context.logger)
        }
        return handlers
    }

    /// The catalog events that carry a whole product: kept, and signalled to its subscribers.
    private static func onSnapshot<Event: IntegrationEvent>(
        _: Event.Type, _ snapshot: any KeyPath<Event, ProductSnapshot> & Sendable, _ handlers: inout EventHandlers, feed: LiveFeed
    ) {
        handlers.on(Event.self) { event, context in
            let product = event[keyPath: snapshot]
            try await NotificationProjections.apply(product, on: context.connection, logger: context.logger)
            let signal = LiveSignal(subject: .product, id: product.productId, owners: [product.sellerId])
            context.afterCommit { await feed.announce([(FanOutChannel.product(product.productId), signal)]) }
        }
    }

    private static func deliver(_ message: NotificationMessage, to recipients: NotificationWriter.Recipients, context: EventContext, feed: LiveFeed) async throws {
        let delivered = try await NotificationWriter.deliver(message, to: recipients, at: context.envelope.occurredAt, on: context.connection, logger: context.logger)
        let signals = delivered.map(\.userSignal)
        context.afterCommit { await feed.announce(signals) }
    }
}

extension DeliveredNotification {
    /// The signal on the recipient's own channel.
    var userSignal: (channel: String, signal: LiveSignal) {
        (FanOutChannel.user(userID.rawValue), LiveSignal(subject: .notification, id: id.uuidString.lowercased(), owners: [userID.rawValue], offset: offset))
    }
}
