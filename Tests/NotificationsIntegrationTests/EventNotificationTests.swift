import Contracts
import EmporiumCore
import EmporiumTesting
import FanOut
import Foundation
import Identity
import Mail
import Messaging
import PostgresNIO
import Database
import Synchronization
@testable import Notifications
import Testing

/// Events become notifications for the right people, once, in their language, with live signals
/// after the commit.
@Suite struct EventNotificationTests {
    @Test func lowStockTellsTheSellerOnceInRussianByDefaultAndSignalsTheirChannel() async throws {
        try await Harness.run { harness in
            let product = try await harness.product(title: "Чайник")
            let live = SignalRecorder(harness.fanOut, channel: FanOutChannel.user("seller-1"))
            defer { live.stop() }
            let event = LowStockReached(productId: product, sellerId: "seller-1", threshold: 5, totals: StockTotals(onHand: 4, reserved: 0, available: 4))
            let envelope = try await harness.handle(event)
            // The same event again (redelivery) changes nothing.
            #expect(try await harness.processor.process(envelope) == .duplicate)

            let notifications = try await harness.notifications(of: "seller-1")
            #expect(notifications.count == 1)
            let first = try #require(notifications.first)
            #expect(first.kind == .lowStock)
            #expect(first.offset == 1)
            #expect(first.title == "Заканчивается товар")
            #expect(first.body == "«Чайник»: осталось 4 шт. (порог 5).")
            #expect(first.productID == product)
            try await eventually("the live signal") { live.received.count == 1 }
            #expect(live.received == [LiveSignal(subject: .notification, id: UUIDText.lowercase(first.id), owners: ["seller-1"], offset: 1)])
        }
    }

    @Test func aRegisteredUserIsWrittenToInTheirLanguageAndMailedWhenTheKindMailsByDefault() async throws {
        try await Harness.run { harness in
            try await harness.register("seller-1", language: "en", email: "shop@example.com")
            let product = try await harness.product(title: "Kettle")
            try await harness.handle(LowStockReached(productId: product, sellerId: "seller-1", threshold: 3, totals: StockTotals(onHand: 3, reserved: 1, available: 2)))
            try await harness.handle(LowStockCleared(productId: product, sellerId: "seller-1", threshold: 3, totals: StockTotals(onHand: 9, reserved: 1, available: 8)))
            let notifications = try await harness.notifications(of: "seller-1")
            #expect(notifications.map(\.title) == ["Stock restored", "Running low"])
            #expect(notifications.map(\.offset) == [2, 1])
            // LOW_STOCK mails by default, LOW_STOCK_CLEARED does not.
            #expect(try await harness.service.mail.sendDue() == 1)
            #expect(harness.mailer.messages == [MailMessage(to: "shop@example.com", subject: "Running low", text: "«Kettle»: 2 left (threshold 3).")])
            #expect(try await harness.service.mail.sendDue() == 0)
        }
    }

    /// A changed address and language take effect for what is written and mailed next; a user
    /// first heard of through such a change is kept too.
    @Test func aNewAddressAndLanguageAreUsedFromThenOn() async throws {
        try await Harness.run { harness in
            try await harness.register("seller-1", language: "ru", email: "old@example.com")
            try await harness.handle(UserEmailChanged(userId: "seller-1", email: "new@example.com"))
            try await harness.handle(UserLocaleChanged(userId: "seller-1", language: "en"))
            let product = try await harness.product(title: "Kettle")
            try await harness.handle(LowStockReached(productId: product, sellerId: "seller-1", threshold: 3, totals: StockTotals(onHand: 3, reserved: 1, available: 2)))
            #expect(try await harness.notifications(of: "seller-1").map(\.title) == ["Running low"])
            #expect(try await harness.service.mail.sendDue() == 1)
            #expect(harness.mailer.messages.map(\.to) == ["new@example.com"])

            try await harness.handle(UserLocaleChanged(userId: "newcomer", language: "en"))
            try await harness.handle(UserEmailChanged(userId: "newcomer", email: "newcomer@example.com"))
            #expect(try await harness.count("SELECT count(*)::integer FROM notifications.recipients WHERE user_id = 'newcomer' AND language = 'en' AND email = 'newcomer@example.com'") == 1)
        }
    }

    /// An export the catalog finished tells whoever asked for it, in their language, in the app only.
    @Test func aFinishedExportTellsItsRequester() async throws {
        try await Harness.run { harness in
            try await harness.register("seller-1", language: "en")
            try await harness.handle(ProductExportCompleted(exportId: "e-1", requestedBy: "seller-1", format: "xlsx", rowCount: 2345))
            let told = try await harness.notifications(of: "seller-1")
            #expect(told.map(\.kind) == [.exportReady])
            #expect(told.first?.title == "Export ready")
            #expect(told.first?.body.contains("e-1") == true && told.first?.body.contains("2345 rows") == true)
            #expect(try await harness.service.mail.sendDue() == 0, "not mailed unless the user asks for it")
        }
    }

    @Test func aPriceDropTellsItsWatchersWhoKeepInAppOnAndNothingElseDoes() async throws {
        try await Harness.run { harness in
            let product = try await harness.product(amount: 2000)
            for user in ["w1", "w2", "w3"] {
                _ = try await harness.service.center.watch(product: product, kinds: [.priceDrop], viewer: .init(userID: UserID(user), roles: [.buyer]))
            }
            _ = try await harness.service.center.watch(product: product, kinds: [.backInStock], viewer: .init(userID: UserID("w4"), roles: [.buyer]))
            _ = try await harness.service.center.setPreference(
                NotificationPreference(kind: .priceDrop, channel: .inApp, enabled: false), viewer: .init(userID: UserID("w3"), roles: [.buyer]))

            func price(_ from: Int64, _ to: Int64, currency: String = "EUR", version: Int) async throws {
                try await harness.handle(PriceChanged(
                    productId: product, previousPrice: MoneyValue(amount: from, currency: "EUR"), price: MoneyValue(amount: to, currency: currency), version: version))
            }
            try await price(2000, 2500, version: 2)  // dearer: nothing
            try await price(2500, 1500, currency: "USD", version: 3)  // another currency: not comparable
            #expect(try await harness.count("SELECT count(*)::integer FROM notifications.notifications") == 0)
            try await price(1500, 1200, version: 4)
            #expect(try await harness.notifications(of: "w1").map(\.body) == ["«Чайник»: 12.00 EUR вместо 15.00 EUR."])
            #expect(try await harness.notifications(of: "w2").count == 1)
            #expect(try await harness.notifications(of: "w3").isEmpty)
            #expect(try await harness.notifications(of: "w4").isEmpty)
            // A stale (older) price event replayed later tells nobody anything.
            try await price(2000, 1000, version: 2)
            #expect(try await harness.notifications(of: "w1").count == 1)
        }
    }

    @Test func backInStockTellsItsWatchers() async throws {
        try await Harness.run { harness in
            let product = try await harness.product()
            _ = try await harness.service.center.watch(product: product, kinds: [.backInStock, .priceDrop], viewer: .init(userID: UserID("w1"), roles: [.buyer]))
            try await harness.handle(StockReplenished(productId: product, totals: StockTotals(onHand: 3, reserved: 0, available: 3)))
            #expect(try await harness.notifications(of: "w1").map(\.kind) == [.backInStock])
        }
    }

    @Test func anOrderTellsTheBuyerEveryChangeAndEachSellerOfItsPlacing() async throws {
        try await Harness.run { harness in
            let order = UUIDText.lowercase(UUID())
            let lines = [
                OrderLineValue(productId: "p1", sellerId: "s1", quantity: 2, unitPrice: MoneyValue(amount: 100, currency: "EUR")),
                OrderLineValue(productId: "p2", sellerId: "s2", quantity: 1, unitPrice: MoneyValue(amount: 100, currency: "EUR")),
                OrderLineValue(productId: "p3", sellerId: "s1", quantity: 3, unitPrice: MoneyValue(amount: 100, currency: "EUR")),
            ]
            let orderChannel = SignalRecorder(harness.fanOut, channel: FanOutChannel.order(order))
            defer { orderChannel.stop() }
            func change(_ from: String?, _ to: String) async throws {
                try await harness.handle(OrderStatusChanged(
                    orderId: order, sellerOrderId: nil, buyerId: "b1", sellerIds: ["s1", "s2"], lines: lines, from: from, to: to, reason: nil, occurredAt: Date()))
            }
            try await change(nil, "PENDING")
            try await change("PENDING", "PAID")
            #expect(try await harness.notifications(of: "b1").map(\.title) == ["Заказ оплачен", "Заказ оформлен"])
            #expect(try await harness.notifications(of: "s1").map(\.body) == ["Заказ \(order): 5 шт. ваших товаров."])
            #expect(try await harness.notifications(of: "s2").map(\.kind) == [.newOrder])
            try await eventually("two order signals") { orderChannel.received.count == 2 }
            #expect(orderChannel.received.allSatisfy { $0.subject == .order && Set($0.owners) == ["b1", "s1", "s2"] })
        }
    }

    @Test func offsetsHaveNoGapsWhenEventsForOneUserArriveTogether() async throws {
        try await Harness.run { harness in
            let product = try await harness.product()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await harness.handle(LowStockReached(
                            productId: product, sellerId: "seller-1", threshold: 5, totals: StockTotals(onHand: index % 5, reserved: 0, available: index % 5)))
                    }
                }
                try await group.waitForAll()
            }
            let offsets = try await harness.notifications(of: "seller-1").map(\.offset)
            #expect(offsets.sorted() == Array(1...20))
        }
    }

    @Test func aDeletedAccountLeavesNothingBehind() async throws {
        try await Harness.run { harness in
            try await harness.register("u1")
            let product = try await harness.product()
            _ = try await harness.service.center.watch(product: product, kinds: [.backInStock], viewer: .init(userID: UserID("u1"), roles: [.buyer]))
            try await harness.handle(StockReplenished(productId: product, totals: StockTotals(onHand: 1, reserved: 0, available: 1)))
            #expect(try await harness.notifications(of: "u1").count == 1)
            try await harness.handle(UserDeleted(userId: "u1"))
            for table in ["notifications", "watches", "preferences", "mail_queue", "recipients"] {
                #expect(try await harness.count("SELECT count(*)::integer FROM notifications.\(table) WHERE user_id = 'u1'") == 0, "\(table)")
            }
        }
    }

    @Test func failedMailIsRetriedWithBackoffThenKeptWithItsError() async throws {
        try await Harness.run { harness in
            try await harness.register("seller-1", email: "s@example.com")
            let product = try await harness.product()
            try await harness.handle(LowStockReached(productId: product, sellerId: "seller-1", threshold: 5, totals: StockTotals(onHand: 1, reserved: 0, available: 1)))
            harness.mailer.failing.store(true, ordering: .relaxed)
            for _ in 0..<MailDispatcher.maxAttempts {
                #expect(try await harness.service.mail.sendDue() == 0)
                harness.clock.advance(by: 3 * 3600)
            }
            #expect(try await harness.count("SELECT attempts FROM notifications.mail_queue") == MailDispatcher.maxAttempts)
            let error = try await harness.client.query("SELECT last_error FROM notifications.mail_queue", logger: harness.logger).decode(String.self).collectAll()
            #expect(error == ["550 mailbox unavailable"])
            // Parked: even a working mailer no longer picks it up by itself.
            harness.mailer.failing.store(false, ordering: .relaxed)
            #expect(try await harness.service.mail.sendDue() == 0)
            #expect(harness.mailer.messages.isEmpty)
        }
    }

    @Test func aRetryWaitsForItsBackoff() async throws {
        try await Harness.run { harness in
            try await harness.register("seller-1", email: "s@example.com")
            let product = try await harness.product()
            try await harness.handle(LowStockReached(productId: product, sellerId: "seller-1", threshold: 5, totals: StockTotals(onHand: 1, reserved: 0, available: 1)))
            harness.mailer.failing.store(true, ordering: .relaxed)
            #expect(try await harness.service.mail.sendDue() == 0)
            harness.mailer.failing.store(false, ordering: .relaxed)
            #expect(try await harness.service.mail.sendDue() == 0)  // not due yet: at least 24 s
            harness.clock.advance(by: 31)
            #expect(try await harness.service.mail.sendDue() == 1)
        }
    }
}
