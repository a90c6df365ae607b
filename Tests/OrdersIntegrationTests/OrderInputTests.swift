import EmporiumCore
import Foundation
import GraphQL
import Identity
@testable import Orders
import Testing

/// Bad input gets a coded error on its field and writes nothing.
@Suite(.serialized, .timeLimit(.minutes(3))) struct OrderInputTests {
    func code(_ body: () async throws -> Any) async -> (String?, String?) {
        do {
            _ = try await body()
            return (nil, nil)
        } catch let error as EmporiumError {
            return (error.code.rawValue, error.field)
        } catch {
            return ("\(error)", nil)
        }
    }

    @Test func cartAndCheckoutRefuseWhatTheyCannotSell() async throws {
        try await SagaHarness.run { harness in
            let desk = harness.orders.desk
            let buyer = SagaHarness.buyer()
            let rub = try await harness.product(currency: "RUB")
            let eur = try await harness.product(currency: "EUR")
            let draft = try await harness.product(status: "DRAFT")
            #expect(await code { try await desk.add(product: rub, quantity: 0, viewer: buyer) } == ("BAD_USER_INPUT", "quantity"))
            #expect(await code { try await desk.add(product: rub, quantity: 1_001, viewer: buyer) } == ("BAD_USER_INPUT", "quantity"))
            #expect(await code { try await desk.add(product: rub, quantity: -5, viewer: buyer) } == ("BAD_USER_INPUT", "quantity"))
            #expect(await code { try await desk.add(product: ProductID(), quantity: 1, viewer: buyer) }.0 == "NOT_FOUND")
            #expect(await code { try await desk.add(product: draft, quantity: 1, viewer: buyer) }.0 == "NOT_FOUND", "not published")
            #expect(await code { try await desk.add(product: rub, quantity: 1, viewer: nil) }.0 == "UNAUTHENTICATED")
            #expect(await code { try await desk.checkout(address: SagaHarness.address, idempotencyKey: "k", viewer: buyer) } == ("BAD_USER_INPUT", "cart"))

            _ = try await desk.add(product: rub, quantity: 600, viewer: buyer)
            #expect(await code { try await desk.add(product: rub, quantity: 401, viewer: buyer) } == ("BAD_USER_INPUT", "quantity"), "1,001 in the cart")
            #expect(await code { try await desk.add(product: eur, quantity: 1, viewer: buyer) } == ("BAD_USER_INPUT", "productId"), "another currency")

            var address = SagaHarness.address
            address.country = "Russia"
            #expect(await code { try await desk.checkout(address: address, idempotencyKey: "k", viewer: buyer) } == ("BAD_USER_INPUT", "input.shippingAddress.country"))
            address = SagaHarness.address
            address.name = "Ольга\u{0}"
            #expect(await code { try await desk.checkout(address: address, idempotencyKey: "k", viewer: buyer) } == ("BAD_USER_INPUT", "input.shippingAddress.name"))
            address = SagaHarness.address
            address.city = String(repeating: "я", count: 101)
            #expect(await code { try await desk.checkout(address: address, idempotencyKey: "k", viewer: buyer) } == ("BAD_USER_INPUT", "input.shippingAddress.city"))
            #expect(await code { try await desk.checkout(address: SagaHarness.address, idempotencyKey: "", viewer: buyer) } == ("BAD_USER_INPUT", "input.idempotencyKey"))
            #expect(await code { try await desk.checkout(address: SagaHarness.address, idempotencyKey: "ключ", viewer: buyer) } == ("BAD_USER_INPUT", "input.idempotencyKey"))
            #expect(try await harness.count("SELECT count(*)::integer FROM orders.orders") == 0, "nothing written")

            // The same key: the same order; with another cart: refused.
            let first = try await desk.checkout(address: SagaHarness.address, idempotencyKey: "k", viewer: buyer)
            #expect(first.total.amount == 600 * 2_500, "600 × 25.00 in 64 bits")
            #expect(try await desk.checkout(address: SagaHarness.address, idempotencyKey: "k", viewer: buyer).id == first.id)
            _ = try await desk.add(product: rub, quantity: 1, viewer: buyer)
            #expect(await code { try await desk.checkout(address: SagaHarness.address, idempotencyKey: "k", viewer: buyer) }.0 == "CONFLICT")
            #expect(await code { try await desk.order(id: first.id, viewer: SagaHarness.buyer("buyer-2")) as Any }.0 == "FORBIDDEN")
            #expect(await code { try await desk.orders(buyer: nil, first: 10, after: nil, viewer: buyer) }.0 == "FORBIDDEN")
            #expect(await code { try await desk.orders(buyer: buyer.userID, first: 0, after: nil, viewer: buyer) } == ("BAD_USER_INPUT", "first"))
            #expect(await code { try await desk.orders(buyer: buyer.userID, first: 10, after: "garbage", viewer: buyer) } == ("BAD_USER_INPUT", "after"))
            #expect(try await harness.count("SELECT count(*)::integer FROM orders.orders") == 1)
        }
    }

    @Test func anExpensiveOrderTotalsBeyondThirtyTwoBitsThroughGraphQL() async throws {
        try await SagaHarness.run { harness in
            let dear = try await harness.product(amount: 2_000_000_000, currency: "RUB")
            let buyer = SagaHarness.buyer()
            _ = try await harness.orders.desk.add(product: dear, quantity: 1_000, viewer: buyer)
            let result = await harness.graphQL("""
                mutation { checkout(input: {idempotencyKey: "big", shippingAddress: {name: "A", line1: "B", city: "C", postalCode: "1", country: "ru"}}) {
                  status total { minorUnits currency formatted } lines { quantity lineTotal { minorUnits } } } }
                """, as: buyer)
            #expect(result.errors.isEmpty, "\(result.errors)")
            let total = result.data?["checkout"]["total"]
            #expect(total?["minorUnits"].string == "2000000000000")
            #expect(total?["formatted"].string == "20000000000.00 RUB")
            let page = await harness.graphQL("{ cart { itemCount total { minorUnits } } }", as: buyer)
            #expect(page.data?["cart"]["itemCount"].int == 0 && page.data?["cart"]["total"] == .null, "\(page)")
        }
    }
}
