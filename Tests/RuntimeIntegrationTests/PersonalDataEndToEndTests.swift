import EmporiumCore
import EmporiumTesting
import Foundation
import Testing

/// One query through the single node's public `/graphql` exports everything Emporium keeps about
/// the caller: the users, orders and notifications subgraphs each answer their part of
/// `PersonalData`, gathered by the gateway.
@Suite(.serialized, .timeLimit(.minutes(3))) struct PersonalDataEndToEndTests {
    @Test func oneQueryGathersEveryServicesPart() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "personal_data")
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL])
        let seller = try await Marketplace.sellerToken("seller-personal")
        let product = try await Marketplace.createProduct(node, title: "Самовар", token: seller)
        _ = try await node.graphQL("/graphql", "mutation($id: ID!) { publishProduct(id: $id) { status } }", variables: ["id": product], token: seller)

        let registered = try await node.graphQL("/graphql", """
            mutation { register(input: {email: "anna@example.com", password: "correct horse battery", displayName: "Анна"}) { accessToken user { id } } }
            """)
        let auth = try #require((registered["data"] as? [String: Any])?["register"] as? [String: Any], "\(registered)")
        let token = try #require(auth["accessToken"] as? String)
        let userID = try #require((auth["user"] as? [String: Any])?["id"] as? String)

        try await eventually("orders knows the product", timeout: .seconds(30)) {
            let added = try await node.graphQL("/graphql", "mutation($id: ID!) { addToCart(productId: $id, quantity: 2) { itemCount } }", variables: ["id": product], token: token)
            return added["errors"] == nil
        }
        try await eventually("notifications knows the product", timeout: .seconds(30)) {
            let watched = try await node.graphQL(
                "/graphql", "mutation($id: ID!) { watchProduct(productId: $id, kinds: [PRICE_DROP]) { productId } }", variables: ["id": product], token: token)
            return watched["errors"] == nil
        }

        var parts: [String: [String: Any]] = [:]
        try await eventually("notifications knows the account", timeout: .seconds(30)) {
            let response = try await node.graphQL("/graphql", "{ myPersonalData { userId account orders notifications } }", token: token)
            let data = try #require((response["data"] as? [String: Any])?["myPersonalData"] as? [String: Any], "\(response)")
            #expect(data["userId"] as? String == userID)
            for part in ["account", "orders", "notifications"] {
                let text = try #require(data[part] as? String, "\(part) missing: \(response)")
                parts[part] = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            }
            return (parts["notifications"]?["recipient"] as? [String: Any])?["email"] as? String == "anna@example.com"
        }
        #expect((parts["account"]?["account"] as? [String: Any])?["email"] as? String == "anna@example.com")
        let cart = try #require(parts["orders"]?["cart"] as? [[String: Any]])
        #expect(cart.map { $0["productId"] as? String } == [product])
        #expect(cart.first?["quantity"] as? Int == 2)
        let watches = try #require(parts["notifications"]?["watches"] as? [[String: Any]])
        #expect(watches.map { $0["productId"] as? String } == [product])
        #expect(watches.first?["kind"] as? String == "PRICE_DROP")
        // Nothing that is a credential.
        #expect(!(parts["account"].map { "\($0)" } ?? "").contains("password"))

        // Anonymous callers get nothing.
        let anonymous = try await node.graphQL("/graphql", "{ myPersonalData { account orders } }")
        #expect(((anonymous["errors"] as? [[String: Any]])?.first?["extensions"] as? [String: Any])?["code"] as? String == "UNAUTHENTICATED", "\(anonymous)")
        try await node.stop()
    }
}
