import Crypto
import EmporiumCore
import EmporiumTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Identity
import Testing

/// An order through the single node's public `/graphql` and its HTTP routes: a seller stocks a
/// product, a buyer fills a cart and checks out, pays on the sandbox page, the seller ships and
/// the carrier delivers; forged, stale and replayed webhooks are refused.
@Suite(.serialized, .timeLimit(.minutes(3))) struct OrdersEndToEndTests {
    static let secret = "e2e-webhook-secret"

    @Test func fromStockedProductToDeliveredOrder() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "orders_e2e")
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL, "EMPORIUM_WEBHOOK_SECRET": Self.secret])
        let tokens = try await TokenService(keys: .hmacSHA256(secret: testJWTSecret))
        let seller = try await tokens.issue(userID: UserID("seller-orders"), roles: [.seller])
        let buyer = try await tokens.issue(userID: UserID("buyer-orders"), roles: [.buyer])
        let stranger = try await tokens.issue(userID: UserID("buyer-other"), roles: [.buyer])

        let admin = try await tokens.issue(userID: UserID("admin-orders"), roles: [.admin])
        let category = try await node.graphQL("/graphql", "mutation { createCategory(input: {name: \"Посуда\"}) { id } }", token: admin)
        let categoryID = try #require(((category["data"] as? [String: Any])?["createCategory"] as? [String: Any])?["id"] as? String, "\(category)")
        let created = try await node.graphQL("/graphql", """
            mutation($c: ID!) { createProduct(input: { title: "Самовар", price: { amount: 1999, currency: "EUR" }, categoryId: $c }) { id } }
            """, variables: ["c": categoryID], token: seller)
        let product = try #require(((created["data"] as? [String: Any])?["createProduct"] as? [String: Any])?["id"] as? String, "\(created)")
        let published = try await node.graphQL("/graphql", "mutation($id: ID!) { publishProduct(id: $id) { status } }", variables: ["id": product], token: seller)
        #expect(((published["data"] as? [String: Any])?["publishProduct"] as? [String: Any])?["status"] as? String == "PUBLISHED", "\(published)")
        try await eventually("the category counts its published product") {
            let read = try await node.graphQL("/graphql", "query($id: ID!) { category(id: $id) { productCount } }", variables: ["id": categoryID])
            return ((read["data"] as? [String: Any])?["category"] as? [String: Any])?["productCount"] as? Int == 1
        }
        try await eventually("inventory knows the product") {
            try await Marketplace.receiveStock(node, productId: product, quantity: 5, token: seller, path: "/graphql") == 5
        }

        // The cart: orders' projection prices it, the catalog and inventory fill in the product.
        var added: [String: Any] = [:]
        try await eventually("orders knows the product") {
            added = try await node.graphQL("/graphql", """
                mutation($id: ID!) { addToCart(productId: $id, quantity: 2) { itemCount total { minorUnits currency formatted }
                  lines { quantity product { title stock { available } } } } }
                """, variables: ["id": product], token: buyer)
            return added["errors"] == nil
        }
        let cart = try #require((added["data"] as? [String: Any])?["addToCart"] as? [String: Any], "\(added)")
        #expect(cart["itemCount"] as? Int == 2)
        #expect((cart["total"] as? [String: Any])?["minorUnits"] as? String == "3998")
        let line = try #require((cart["lines"] as? [[String: Any]])?.first)
        #expect((line["product"] as? [String: Any])?["title"] as? String == "Самовар", "\(cart)")
        #expect(((line["product"] as? [String: Any])?["stock"] as? [String: Any])?["available"] as? Int == 5)

        // Bad input: a coded error on its field, nothing written.
        for (quantity, code) in [(0, "BAD_USER_INPUT"), (1_001, "BAD_USER_INPUT")] {
            let refused = try await node.graphQL("/graphql", "mutation($id: ID!, $q: Int!) { addToCart(productId: $id, quantity: $q) { itemCount } }",
                variables: ["id": product, "q": quantity], token: buyer)
            #expect(Self.code(refused) == code, "\(refused)")
        }
        let unknown = try await node.graphQL("/graphql", "mutation { addToCart(productId: \"\(UUID())\") { itemCount } }", token: buyer)
        #expect(Self.code(unknown) == "NOT_FOUND", "\(unknown)")
        let anonymous = try await node.graphQL("/graphql", "{ cart { itemCount } }")
        #expect(Self.code(anonymous) == "UNAUTHENTICATED", "\(anonymous)")

        let checkout = """
            mutation($key: String!) { checkout(input: { idempotencyKey: $key, shippingAddress: {
              name: "Ольга", line1: "ул. Ленина, 1", city: "Казань", postalCode: "420111", country: "ru" } }) { id status total { minorUnits } } }
            """
        let placed = try await node.graphQL("/graphql", checkout, variables: ["key": "double-click"], token: buyer)
        let order = try #require((placed["data"] as? [String: Any])?["checkout"] as? [String: Any], "\(placed)")
        let orderID = try #require(order["id"] as? String)
        #expect(order["status"] as? String == "PENDING")
        let again = try await node.graphQL("/graphql", checkout, variables: ["key": "double-click"], token: buyer)
        #expect(((again["data"] as? [String: Any])?["checkout"] as? [String: Any])?["id"] as? String == orderID, "the same key is the same order")
        let empty = try await node.graphQL("/graphql", checkout, variables: ["key": "another"], token: buyer)
        #expect(Self.code(empty) == "BAD_USER_INPUT", "an empty cart: \(empty)")
        let foreign = try await node.graphQL("/graphql", "query($id: ID!) { order(id: $id) { id } }", variables: ["id": orderID], token: stranger)
        #expect(Self.code(foreign) == "FORBIDDEN", "\(foreign)")

        // Reserved: the buyer gets a payment page.
        var paymentURL = ""
        try await eventually("the order awaits payment") {
            let current = try await Self.order(node, orderID, token: buyer)
            paymentURL = ((current["payment"] as? [String: Any])?["confirmationUrl"] as? String) ?? ""
            return current["status"] as? String == "AWAITING_PAYMENT"
        }
        let (page, pageResponse) = try await URLSession.shared.data(from: URL(string: node.baseURL + paymentURL)!)
        #expect((pageResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: page, as: UTF8.self).contains("Pay"))
        let confirmed = try await Self.post(node, paymentURL + "/confirm", json: ["card": "4242424242424242"])
        #expect(confirmed.status == 200, "\(confirmed.body)")
        try await eventually("the order is paid") { try await Self.order(node, orderID, token: buyer)["status"] as? String == "PAID" }
        try await eventually("the catalog counts the sale") {
            let read = try await node.graphQL("/graphql", "query($id: ID!) { product(id: $id) { salesCount } }", variables: ["id": product], token: seller)
            return ((read["data"] as? [String: Any])?["product"] as? [String: Any])?["salesCount"] as? Int == 2
        }

        // Webhooks: unsigned, stale, forged and replayed ones change nothing.
        let paymentID = String(paymentURL.split(separator: "/").last!)
        let forged = Data(#"{"id":"evt_e2e_1","type":"payment.succeeded","paymentId":"\#(paymentID)","orderId":"\#(orderID)","amount":3998,"currency":"EUR"}"#.utf8)
        #expect(try await Self.post(node, "/webhooks/payments", body: forged, signature: nil).status == 401)
        #expect(try await Self.post(node, "/webhooks/payments", body: forged, signature: Self.sign(forged, at: Date().addingTimeInterval(-600))).status == 401)
        #expect(try await Self.post(node, "/webhooks/payments", body: forged, signature: Self.sign(forged, at: Date(), secret: "guess")).status == 401)
        #expect(try await Self.post(node, "/webhooks/payments", body: forged, signature: Self.sign(forged, at: Date())).status == 200, "a duplicate success is harmless")
        #expect(try await Self.post(node, "/webhooks/payments", body: forged, signature: Self.sign(forged, at: Date())).status == 401, "a replay")
        #expect(try await Self.post(node, "/webhooks/payments", body: Data("{}".utf8), signature: Self.sign(Data("{}".utf8), at: Date())).status == 400)

        // The seller ships; the carrier takes it and delivers.
        let current = try await Self.order(node, orderID, token: buyer)
        let part = try #require((current["sellerOrders"] as? [[String: Any]])?.first?["id"] as? String)
        let refusedShip = try await node.graphQL("/graphql", "mutation($id: ID!) { shipSellerOrder(id: $id) { id } }", variables: ["id": part], token: buyer)
        #expect(Self.code(refusedShip) == "FORBIDDEN", "\(refusedShip)")
        let shipped = try await node.graphQL("/graphql", "mutation($id: ID!) { shipSellerOrder(id: $id) { status shipment { id trackingNumber } } }", variables: ["id": part], token: seller)
        let shipment = try #require((((shipped["data"] as? [String: Any])?["shipSellerOrder"] as? [String: Any])?["shipment"] as? [String: Any])?["id"] as? String, "\(shipped)")
        let sellerView = try await node.graphQL("/graphql", "{ orders { nodes { id } } }", token: seller)
        #expect(Self.code(sellerView) == "FORBIDDEN", "only admins list every order")
        for expected in ["SHIPPED", "DELIVERED"] {
            #expect(try await Self.post(node, "/sandbox/shipments/\(shipment)/advance", json: [:]).status == 200)
            try await eventually("the order is \(expected)") { try await Self.order(node, orderID, token: buyer)["status"] as? String == expected }
        }
        let history = try await Self.order(node, orderID, token: buyer)["history"] as? [[String: Any]]
        #expect(history?.filter { $0["sellerOrderId"] is NSNull }.compactMap { $0["to"] as? String } == ["PENDING", "AWAITING_PAYMENT", "PAID", "SHIPPED", "DELIVERED"])
        try await node.stop()
    }

    static func code(_ response: [String: Any]) -> String? {
        ((response["errors"] as? [[String: Any]])?.first?["extensions"] as? [String: Any])?["code"] as? String
    }

    static func order(_ node: EmporiumProcess, _ id: String, token: String) async throws -> [String: Any] {
        let response = try await node.graphQL("/graphql", """
            query($id: ID!) { order(id: $id) { status reason payment { confirmationUrl paidAt } sellerOrders { id status }
              history { sellerOrderId to } } }
            """, variables: ["id": id], token: token)
        return ((response["data"] as? [String: Any])?["order"] as? [String: Any]) ?? [:]
    }

    static func sign(_ body: Data, at date: Date, secret: String = OrdersEndToEndTests.secret) -> String {
        let timestamp = Int(date.timeIntervalSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).".utf8) + body, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    static func post(_ node: EmporiumProcess, _ path: String, json: [String: Any]) async throws -> (status: Int, body: String) {
        try await post(node, path, body: try JSONSerialization.data(withJSONObject: json), signature: nil)
    }

    static func post(_ node: EmporiumProcess, _ path: String, body: Data, signature: String?) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: node.baseURL + path)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let signature { request.setValue(signature, forHTTPHeaderField: "Emporium-Signature") }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }
}
