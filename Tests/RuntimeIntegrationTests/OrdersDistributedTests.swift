import EmporiumCore
import EmporiumTesting
import Foundation
import Identity
import Testing

/// The order saga across separate processes joined by Kafka: fifty buyers for ten units, with
/// the orders process killed twice mid-saga. Every order ends paid or rejected, nothing is
/// oversold and no reservation is left holding units.
@Suite(.serialized, .timeLimit(.minutes(6))) struct OrdersDistributedTests {
    @Test func fiftyBuyersTenUnitsAndTwoCrashesOfTheOrdersProcess() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "orders_distributed")
        let environment = [
            "EMPORIUM_DATABASE_URL": databaseURL, "EMPORIUM_KAFKA_BROKERS": broker.bootstrap, "EMPORIUM_KAFKA_TOPIC_PARTITIONS": "3",
            "EMPORIUM_WEBHOOK_SECRET": "distributed-secret",
        ]
        let catalog = try await EmporiumProcess.start(["serve", "catalog"], environment: environment)
        let inventory = try await EmporiumProcess.start(["serve", "inventory"], environment: environment)
        var orders = try await EmporiumProcess.start(["serve", "orders"], environment: environment)
        let tokens = try await TokenService(keys: .hmacSHA256(secret: testJWTSecret))
        let seller = try await tokens.issue(userID: UserID("seller-d"), roles: [.seller])
        let admin = try await tokens.issue(userID: UserID("admin-d"), roles: [.admin])

        let product = try await Marketplace.createProduct(catalog, title: "Редкий чайник", token: seller)
        _ = try await catalog.graphQL("/graphql", "mutation($id: ID!) { publishProduct(id: $id) { status } }", variables: ["id": product], token: seller)
        try await eventually("inventory knows the product", timeout: .seconds(60)) {
            try await Marketplace.receiveStock(inventory, productId: product, quantity: 10, token: seller, path: "/graphql") == 10
        }
        var buyers: [String] = []
        for index in 0..<50 { buyers.append(try await tokens.issue(userID: UserID("buyer-d-\(index)"), roles: [.buyer])) }
        try await eventually("orders knows the published product", timeout: .seconds(60)) {
            let added = try await orders.graphQL("/graphql", "mutation($id: ID!) { addToCart(productId: $id) { itemCount } }", variables: ["id": product], token: buyers[0])
            return added["errors"] == nil
        }
        for buyer in buyers.dropFirst() {
            let added = try await orders.graphQL("/graphql", "mutation($id: ID!) { addToCart(productId: $id) { itemCount } }", variables: ["id": product], token: buyer)
            #expect(added["errors"] == nil, "\(added)")
        }
        let firstOrders = orders
        let placed = try await withThrowingTaskGroup(of: String?.self) { group in
            for buyer in buyers {
                group.addTask {
                    let response = try await firstOrders.graphQL("/graphql", """
                        mutation { checkout(input: { idempotencyKey: "k1", shippingAddress: { name: "Покупатель", line1: "ул. Мира, 2", city: "Пермь", postalCode: "614000", country: "RU" } }) { id } }
                        """, token: buyer)
                    return ((response["data"] as? [String: Any])?["checkout"] as? [String: Any])?["id"] as? String
                }
            }
            return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
        }
        #expect(placed.count == 50)

        // Killed while the orders are between steps; the restarted process carries on.
        try await orders.crash()
        orders = try await EmporiumProcess.start(["serve", "orders"], environment: environment)
        var statuses: [String: [String: Any]] = [:]
        try await eventually("every order is reserved or rejected", timeout: .seconds(90), interval: .milliseconds(250)) {
            statuses = try await Self.orders(orders, token: admin)
            return statuses.count == 50 && statuses.values.allSatisfy { ["AWAITING_PAYMENT", "REJECTED"].contains($0["status"] as? String) }
        }
        let awaiting = statuses.filter { $0.value["status"] as? String == "AWAITING_PAYMENT" }
        #expect(awaiting.count == 10)

        // Paid on the sandbox page, then killed again before every webhook is applied.
        for (_, order) in awaiting {
            let url = try #require((order["payment"] as? [String: Any])?["confirmationUrl"] as? String)
            let paid = try await OrdersEndToEndTests.post(orders, url + "/confirm", json: ["card": "4242424242424242"])
            #expect(paid.status == 200, "\(paid.body)")
        }
        try await orders.crash()
        orders = try await EmporiumProcess.start(["serve", "orders"], environment: environment)
        try await eventually("ten orders are paid", timeout: .seconds(90), interval: .milliseconds(250)) {
            statuses = try await Self.orders(orders, token: admin)
            return statuses.values.filter { $0["status"] as? String == "PAID" }.count == 10
        }
        #expect(statuses.values.filter { $0["status"] as? String == "REJECTED" }.count == 40)
        try await eventually("inventory has committed every paid unit", timeout: .seconds(60), interval: .milliseconds(250)) {
            let stock = try await inventory.graphQL("/graphql", "query($id: ID!) { stock(productId: $id) { onHand reserved available } }", variables: ["id": product], token: seller)
            let level = (stock["data"] as? [String: Any])?["stock"] as? [String: Any]
            return level?["onHand"] as? Int == 0 && level?["reserved"] as? Int == 0
        }

        // The whole flow once more through the federation gateway's public /graphql.
        let subgraphs = ["catalog=\(catalog.baseURL)/graphql", "inventory=\(inventory.baseURL)/graphql", "orders=\(orders.baseURL)/graphql"].joined(separator: ",")
        let gateway = try await EmporiumProcess.start(["serve", "gateway"], environment: ["EMPORIUM_SUBGRAPHS": subgraphs])
        let restocked = try await gateway.graphQL("/graphql", "mutation($id: ID!) { receiveStock(productId: $id, quantity: 1) { available } }", variables: ["id": product], token: seller)
        #expect(((restocked["data"] as? [String: Any])?["receiveStock"] as? [String: Any])?["available"] as? Int == 1, "\(restocked)")
        let buyer = try await tokens.issue(userID: UserID("buyer-gateway"), roles: [.buyer])
        let cart = try await gateway.graphQL("/graphql", """
            mutation($id: ID!) { addToCart(productId: $id) { total { minorUnits } lines { product { title stock { available } } } } }
            """, variables: ["id": product], token: buyer)
        let line = (((cart["data"] as? [String: Any])?["addToCart"] as? [String: Any])?["lines"] as? [[String: Any]])?.first
        #expect((line?["product"] as? [String: Any])?["title"] as? String == "Редкий чайник", "\(cart)")
        let checkout = try await gateway.graphQL("/graphql", """
            mutation { checkout(input: { idempotencyKey: "gw", shippingAddress: { name: "Б", line1: "ул. Мира, 3", city: "Пермь", postalCode: "614000", country: "RU" } }) { id } }
            """, token: buyer)
        let orderID = try #require(((checkout["data"] as? [String: Any])?["checkout"] as? [String: Any])?["id"] as? String, "\(checkout)")
        var paymentURL = ""
        try await eventually("awaiting payment through the gateway", timeout: .seconds(60), interval: .milliseconds(100)) {
            let order = try await OrdersEndToEndTests.order(gateway, orderID, token: buyer)
            paymentURL = ((order["payment"] as? [String: Any])?["confirmationUrl"] as? String) ?? ""
            return order["status"] as? String == "AWAITING_PAYMENT"
        }
        // The sandbox provider's page is served by the orders service (behind Kong in production).
        #expect(try await OrdersEndToEndTests.post(orders, paymentURL + "/confirm", json: ["card": "4242424242424242"]).status == 200)
        var part = ""
        try await eventually("paid through the gateway", timeout: .seconds(60), interval: .milliseconds(100)) {
            let order = try await OrdersEndToEndTests.order(gateway, orderID, token: buyer)
            part = ((order["sellerOrders"] as? [[String: Any]])?.first?["id"] as? String) ?? ""
            return order["status"] as? String == "PAID"
        }
        let shipped = try await gateway.graphQL("/graphql", "mutation($id: ID!) { shipSellerOrder(id: $id) { shipment { id } } }", variables: ["id": part], token: seller)
        let shipment = try #require((((shipped["data"] as? [String: Any])?["shipSellerOrder"] as? [String: Any])?["shipment"] as? [String: Any])?["id"] as? String, "\(shipped)")
        for expected in ["SHIPPED", "DELIVERED"] {
            #expect(try await OrdersEndToEndTests.post(orders, "/sandbox/shipments/\(shipment)/advance", json: [:]).status == 200)
            try await eventually("\(expected) through the gateway", timeout: .seconds(60), interval: .milliseconds(100)) {
                try await OrdersEndToEndTests.order(gateway, orderID, token: buyer)["status"] as? String == expected
            }
        }
        try await eventually("the catalog counted eleven sales", timeout: .seconds(60), interval: .milliseconds(250)) {
            let read = try await gateway.graphQL("/graphql", "query($id: ID!) { product(id: $id) { salesCount } }", variables: ["id": product], token: seller)
            return ((read["data"] as? [String: Any])?["product"] as? [String: Any])?["salesCount"] as? Int == 11
        }
        try await gateway.stop()
        try await orders.stop()
        try await inventory.stop()
        try await catalog.stop()
    }

    /// Every order, by id, as an admin reads them (two pages of 100 at most).
    static func orders(_ orders: EmporiumProcess, token: String) async throws -> [String: [String: Any]] {
        let response = try await orders.graphQL("/graphql", "{ orders(first: 100) { nodes { id status payment { confirmationUrl } } } }", token: token)
        let nodes = ((response["data"] as? [String: Any])?["orders"] as? [String: Any])?["nodes"] as? [[String: Any]] ?? []
        return Dictionary(nodes.compactMap { node in (node["id"] as? String).map { ($0, node) } }, uniquingKeysWith: { first, _ in first })
    }
}
