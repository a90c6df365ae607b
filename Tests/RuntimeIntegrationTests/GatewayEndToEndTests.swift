import EmporiumTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The federation gateway as a separate process over HTTP subgraphs: Emporium's catalog and
/// inventory (served by a single node at /subgraphs/…) and a third-party Python subgraph.
@Suite(.serialized, .timeLimit(.minutes(5))) struct GatewayEndToEndTests {
    @Test func oneEndpointOverEverySubgraphWithBatchedEntityFetches() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "gateway")
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL])
        let reviews = try await ThirdPartySubgraph.start()
        defer { reviews.stop() }
        let subgraphs = [
            "catalog=\(node.baseURL)/subgraphs/catalog/graphql", "inventory=\(node.baseURL)/subgraphs/inventory/graphql",
            "users=\(node.baseURL)/subgraphs/users/graphql",
            "reviews=\(reviews.url)",
        ].joined(separator: ",")
        let gateway = try await EmporiumProcess.start(["serve", "gateway"], environment: ["EMPORIUM_SUBGRAPHS": subgraphs])

        // Writes through the gateway: catalog's mutation, then inventory's once the event arrived.
        let token = try await Marketplace.sellerToken("seller-gateway")
        var ids: [String] = []
        for n in 1...100 { ids.append(try await Marketplace.createProduct(gateway, title: "Gateway product \(n)", token: token)) }
        try await Marketplace.waitForStockRecords(gateway, productIds: [ids[0]], token: token, path: "/graphql")

        // 100 products with catalog fields and inventory's stock: exactly one request per subgraph.
        let before = try await subgraphRequests(node)
        let response = try await gateway.graphQL("/graphql", """
            query Shelf($seller: ID!) {
              products(first: 100, filter: { sellerId: $seller }) {
                edges { node { id title price { amount currency } stock { available onHand } inStock } }
              }
            }
            """, variables: ["seller": "seller-gateway"], token: token)
        let after = try await subgraphRequests(node)
        #expect(response["errors"] == nil, "\(response["errors"] ?? "")")
        let nodes = try Self.nodes(response)
        #expect(nodes.count == 100)
        let stocked = nodes.first { $0["id"] as? String == ids[0] }
        #expect((stocked?["stock"] as? [String: Any])?["available"] as? Int == 3)
        #expect(stocked?["inStock"] as? Bool == true)
        #expect(nodes.filter { $0["id"] as? String != ids[0] }.allSatisfy { ($0["stock"] as? [String: Any])?["available"] as? Int == 0 })
        #expect(after.catalog - before.catalog == 1, "catalog requests: \(after.catalog - before.catalog)")
        #expect(after.inventory - before.inventory == 1, "inventory requests: \(after.inventory - before.inventory)")

        // The Python subgraph's fields resolve on the same products, next to Emporium's.
        let mixed = try await gateway.graphQL("/graphql", """
            query($seller: ID!) {
              products(first: 10, filter: { sellerId: $seller }) {
                edges { node { id title reviewCount reviews { stars text } stock { available } } }
              }
              topReviewStars
            }
            """, variables: ["seller": "seller-gateway"], token: token)
        #expect(mixed["errors"] == nil, "\(mixed["errors"] ?? "")")
        let mixedNodes = try Self.nodes(mixed)
        #expect(mixedNodes.count == 10)
        for product in mixedNodes {
            let id = try #require(product["id"] as? String)
            #expect(product["reviewCount"] as? Int == ThirdPartySubgraph.expectedReviewCount(of: id))
            #expect((product["reviews"] as? [[String: Any]])?.first?["text"] as? String == (ThirdPartySubgraph.expectedReviewCount(of: id) > 0 ? "review 1 of \(id)" : nil))
        }
        #expect((mixed["data"] as? [String: Any])?["topReviewStars"] as? Int == 5)

        try await gateway.stop()
        try await node.stop()
    }

    static func nodes(_ response: [String: Any]) throws -> [[String: Any]] {
        let products = (response["data"] as? [String: Any])?["products"] as? [String: Any]
        let edges = try #require(products?["edges"] as? [[String: Any]], "no products in \(response)")
        return edges.compactMap { $0["node"] as? [String: Any] }
    }

    /// POSTs the single node has answered per subgraph route, from its Prometheus metrics.
    func subgraphRequests(_ node: EmporiumProcess) async throws -> (catalog: Int, inventory: Int) {
        let (body, _) = try await URLSession.shared.data(from: URL(string: node.baseURL + "/metrics")!)
        let lines = String(decoding: body, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("hb_requests") && $0.contains("POST") }
        func total(_ route: String) -> Int {
            lines.filter { $0.contains("\"\(route)\"") }.compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0) { $0 + Int($1) }
        }
        return (total("/subgraphs/catalog/graphql"), total("/subgraphs/inventory/graphql"))
    }
}
