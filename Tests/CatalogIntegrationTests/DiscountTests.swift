@testable import Catalog
import CatalogTesting
import Database
import EmporiumCore
import EmporiumTesting
import Foundation
import GraphQL
import GraphQLSupport
import Identity
import Jobs
import Logging
import PostgresNIO
import Testing

/// Discounts on the job queue: the price changes at the start and returns at the end (a test
/// clock, never a wall-clock wait); overlaps, edits while one runs and bad terms are refused.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DiscountTests {
    func outbox(_ client: PostgresClient) async throws -> [String] {
        try await client.query("SELECT event_type FROM catalog.outbox ORDER BY id", logger: Logger(label: "test")).decode(String.self).collectAll()
    }

    func graphQL(_ service: CatalogService, _ query: String, as principal: Identity.Principal?) async -> GraphQLResult {
        await service.endpoint.execute(GraphQLRequest(query: query), info: GraphQLRequestInfo(principal: principal)).result
    }

    @Test func thePriceDropsAtTheStartAndReturnsAtTheEnd() async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let clock = TestClock(Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)))
            let service = try CatalogService(client: client, clock: clock, logger: Logger(label: "test"))
            let catalog = service.catalog
            let worker = try #require(service.jobs)
            var product = try await newProduct(catalog, title: "Самовар", price: 10_000)
            product = try await catalog.updateProduct(
                id: product.id, expectedVersion: product.version, changes: ProductFieldsInput(compareAtAmount: .some(12_000)), by: TestUsers.seller)
            product = try await catalog.publishProduct(id: product.id, expectedVersion: nil, publishAt: nil, by: TestUsers.seller)

            let start = clock.now().addingTimeInterval(3600)
            let discount = try await catalog.scheduleDiscount(
                productID: product.id, percent: 25, price: nil, startsAt: start, endsAt: start.addingTimeInterval(3 * 86_400), by: TestUsers.seller)
            #expect(discount.state == .scheduled)
            #expect(try await worker.runDue() == 0, "not yet")
            #expect(try await catalog.products.product(id: product.id)?.price.amount == 10_000)

            clock.advance(by: 3600)
            #expect(try await worker.runDue() == 1)
            let running = try #require(try await catalog.products.product(id: product.id))
            #expect(running.price.amount == 7_500)
            #expect(running.compareAtPrice?.amount == 10_000, "the regular price shows as the compare-at price")
            let events = try await outbox(client)
            #expect(events.contains("PriceChanged"), "\(events)")

            // While it runs the seller cannot change the price or the compare-at price.
            await #expect {
                try await catalog.updateProduct(id: product.id, expectedVersion: running.version, changes: ProductFieldsInput(compareAtAmount: .some(15_000)), by: TestUsers.seller)
            } throws: { ($0 as? EmporiumError)?.code == .conflict }
            await #expect {
                try await catalog.updateProduct(id: product.id, expectedVersion: running.version, changes: ProductFieldsInput(priceAmount: 5_000), by: TestUsers.seller)
            } throws: { ($0 as? EmporiumError)?.code == .conflict }
            // Other fields still change.
            _ = try await catalog.updateProduct(id: product.id, expectedVersion: running.version, changes: ProductFieldsInput(title: "Самовар медный"), by: TestUsers.seller)

            // The public sees the running discount; the seller every one.
            let query = "{ product(id: \"\(product.id)\") { price { amount } compareAtPrice { amount } discounts { percent state endsAt } } }"
            let anonymous = await graphQL(service, query, as: nil)
            #expect(anonymous.errors.isEmpty, "\(anonymous.errors)")
            #expect(anonymous.data?["product"]["price"]["amount"].int == 7_500)
            #expect(anonymous.data?["product"]["discounts"][0]["state"].string == "ACTIVE")

            clock.advance(by: 3 * 86_400)
            #expect(try await worker.runDue() == 1)
            let after = try #require(try await catalog.products.product(id: product.id))
            #expect(after.price.amount == 10_000)
            #expect(after.compareAtPrice?.amount == 12_000, "the seller's own compare-at price is back")
            #expect(after.title == "Самовар медный")
            let ended = try #require(try await catalog.discounts?.discount(id: discount.id))
            #expect(ended.state == .ended)
            #expect(await graphQL(service, query, as: nil).data?["product"]["discounts"] == [])
            #expect(await graphQL(service, query, as: TestUsers.seller).data?["product"]["discounts"][0]["state"].string == "ENDED")
        }
    }

    @Test func overlapsBadTermsAndStrangersAreRefused() async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let clock = TestClock()
            let service = try CatalogService(client: client, clock: clock, logger: Logger(label: "test"))
            let catalog = service.catalog
            let product = try await newProduct(catalog, title: "Чайник", price: 2_000, currency: "EUR")
            let now = clock.now()
            let day: TimeInterval = 86_400
            _ = try await catalog.scheduleDiscount(
                productID: product.id, percent: nil, price: (1_500, "EUR"), startsAt: now.addingTimeInterval(day), endsAt: now.addingTimeInterval(3 * day), by: TestUsers.seller)

            func refused(
                percent: Int? = 10, price: (amount: Int64, currency: String)? = nil, from: TimeInterval = 10 * 86_400, to: TimeInterval = 11 * 86_400,
                as principal: Identity.Principal? = TestUsers.seller
            ) async -> EmporiumError? {
                do {
                    _ = try await catalog.scheduleDiscount(
                        productID: product.id, percent: percent, price: price, startsAt: now.addingTimeInterval(from), endsAt: now.addingTimeInterval(to), by: principal)
                    return nil
                } catch { return error as? EmporiumError }
            }
            #expect(await refused(from: 2 * day, to: 4 * day)?.code == .conflict, "overlaps the first")
            #expect(await refused(percent: 0)?.field == "input.percent")
            #expect(await refused(percent: 100)?.field == "input.percent")
            #expect(await refused(percent: 10, price: (100, "EUR"))?.field == "input")
            #expect(await refused(percent: nil, price: nil)?.field == "input")
            #expect(await refused(percent: nil, price: (2_000, "EUR"))?.field == "input.price.amount", "not below the price")
            #expect(await refused(percent: nil, price: (100, "USD"))?.field == "input.price.currency")
            #expect(await refused(percent: nil, price: (-1, "EUR"))?.code == .badUserInput)
            #expect(await refused(from: 5 * day, to: 4 * day)?.field == "input.endsAt")
            #expect(await refused(from: -2 * day, to: -day)?.field == "input.endsAt", "over already")
            #expect(await refused(from: day * 5, to: day * 400)?.field == "input.endsAt", "longer than a year")
            #expect(await refused(as: TestUsers.otherSeller)?.code == .forbidden)
            #expect(await refused(as: nil)?.code == .unauthenticated)
            // Back to back is not an overlap.
            _ = try await catalog.scheduleDiscount(
                productID: product.id, percent: 10, price: nil, startsAt: now.addingTimeInterval(3 * day), endsAt: now.addingTimeInterval(4 * day), by: TestUsers.seller)

            // Through GraphQL: a coded error with its field, and cancelling.
            let bad = await graphQL(service, """
                mutation { scheduleDiscount(productId: "\(product.id)", input: {percent: 150, startsAt: "2030-01-01T00:00:00Z", endsAt: "2030-01-02T00:00:00Z"}) { id } }
                """, as: TestUsers.seller)
            #expect(bad.errors.first?.extensions["code"] == "BAD_USER_INPUT", "\(bad.errors)")
            let discounts = try #require(try await catalog.discounts?.discounts(of: [product.id])[product.id])
            let first = try #require(discounts.last)
            let cancelled = await graphQL(service, "mutation { cancelDiscount(id: \"\(UUIDText.lowercase(first.id))\") { state note } }", as: TestUsers.seller)
            #expect(cancelled.data?["cancelDiscount"]["state"].string == "CANCELLED", "\(cancelled.errors)")
            let again = await graphQL(service, "mutation { cancelDiscount(id: \"\(UUIDText.lowercase(first.id))\") { state } }", as: TestUsers.seller)
            #expect(again.errors.first?.extensions["code"] == "CONFLICT")
            let stranger = await graphQL(service, "mutation { cancelDiscount(id: \"\(UUIDText.lowercase(discounts[0].id))\") { state } }", as: TestUsers.otherSeller)
            #expect(stranger.errors.first?.extensions["code"] == "FORBIDDEN")
            let garbage = await graphQL(service, "mutation { cancelDiscount(id: \"nope\") { state } }", as: TestUsers.seller)
            #expect(garbage.errors.first?.extensions["code"] == "BAD_USER_INPUT")
            #expect(try await client.query("SELECT count(*)::int FROM catalog.jobs WHERE state = 'cancelled'", logger: Logger(label: "t")).decode(Int.self).collectAll() == [2])
        }
    }

    /// Cancelling a running discount puts the regular price back at once; its end job then
    /// finds nothing to do. A price the seller lowered meanwhile below a fixed discount price
    /// makes the discount end without starting.
    @Test func cancellingARunningDiscountRestoresThePriceAtOnce() async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let clock = TestClock()
            let service = try CatalogService(client: client, clock: clock, logger: Logger(label: "test"))
            let catalog = service.catalog
            let worker = try #require(service.jobs)
            let product = try await newProduct(catalog, title: "Гармонь", price: 9_999)
            let running = try await catalog.scheduleDiscount(
                productID: product.id, percent: 33, price: nil, startsAt: clock.now(), endsAt: clock.now().addingTimeInterval(600), by: TestUsers.seller)
            #expect(try await worker.runDue() == 1)
            #expect(try await catalog.products.product(id: product.id)?.price.amount == 6_699, "33 % off 99.99, rounded down")
            let cancelled = try await catalog.cancelDiscount(id: running.id, by: TestUsers.seller)
            #expect(cancelled.state == .ended && cancelled.note == "ended early")
            let back = try #require(try await catalog.products.product(id: product.id))
            #expect(back.price.amount == 9_999 && back.compareAtPrice == nil)
            clock.advance(by: 601)
            #expect(try await worker.runDue() == 0, "the end job was cancelled with it")

            let fixed = try await catalog.scheduleDiscount(
                productID: product.id, percent: nil, price: (8_000, "RUB"), startsAt: clock.now().addingTimeInterval(60), endsAt: clock.now().addingTimeInterval(600), by: TestUsers.seller)
            _ = try await catalog.updateProduct(id: product.id, expectedVersion: back.version, changes: ProductFieldsInput(priceAmount: 7_000), by: TestUsers.seller)
            clock.advance(by: 61)
            _ = try await worker.runDue()
            let skipped = try #require(try await catalog.discounts?.discount(id: fixed.id))
            #expect(skipped.state == .ended)
            #expect(skipped.note?.contains("not started") == true)
            #expect(try await catalog.products.product(id: product.id)?.price.amount == 7_000)

            // Workers down for the whole discount: at the next run neither job changes the price.
            let missed = try await catalog.scheduleDiscount(
                productID: product.id, percent: 50, price: nil, startsAt: clock.now().addingTimeInterval(60), endsAt: clock.now().addingTimeInterval(120), by: TestUsers.seller)
            clock.advance(by: 3600)
            _ = try await worker.runDue()
            #expect(try await catalog.products.product(id: product.id)?.price.amount == 7_000)
            #expect(try await catalog.discounts?.discount(id: missed.id)?.state == .ended)
        }
    }
}
