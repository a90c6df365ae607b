import EmporiumTesting
import Foundation
import Testing

/// The response cache with the real binary: anonymous reads are answered from it, and a change
/// in the catalog or in inventory reaches readers through the outbox's invalidations.
@Suite(.serialized, .timeLimit(.minutes(5))) struct ResponseCacheEndToEndTests {
    static let read = "query($s: String!) { productBySlug(slug: $s) { title price { amount } stock { available } } }"
    static let catalogRead = "query($s: String!) { productBySlug(slug: $s) { title } }"

    struct Read: Equatable {
        var amount: Int?
        var available: Int?
        var cache: String?
    }

    func read(_ endpoint: EmporiumProcess, slug: String, token: String? = nil) async throws -> Read {
        let (body, headers) = try await endpoint.graphQLWithHeaders("/graphql", Self.read, variables: ["s": slug], token: token)
        let product = (body["data"] as? [String: Any])?["productBySlug"] as? [String: Any]
        return Read(
            amount: (product?["price"] as? [String: Any])?["amount"] as? Int,
            available: (product?["stock"] as? [String: Any])?["available"] as? Int,
            cache: headers["emporium-cache"])
    }

    /// A published product with 3 units in stock; returns its id and slug.
    func stockedProduct(_ node: EmporiumProcess, title: String, token: String) async throws -> (id: String, slug: String) {
        let id = try await Marketplace.createProduct(node, title: title, token: token)
        let published = try await node.graphQL("/graphql", "mutation($id: ID!) { publishProduct(id: $id) { slug } }", variables: ["id": id], token: token)
        let slug = try #require(((published["data"] as? [String: Any])?["publishProduct"] as? [String: Any])?["slug"] as? String, "\(published)")
        try await Marketplace.waitForStockRecords(node, productIds: [id], token: token, path: "/graphql")
        return (id, slug)
    }

    func changePrice(_ node: EmporiumProcess, id: String, amount: Int, token: String) async throws {
        let current = try await node.graphQL("/graphql", "query($id: ID!) { product(id: $id) { version } }", variables: ["id": id], token: token)
        let version = try #require(((current["data"] as? [String: Any])?["product"] as? [String: Any])?["version"] as? Int)
        let updated = try await node.graphQL("/graphql", """
            mutation($id: ID!, $v: Int!, $a: Int!) { updateProduct(id: $id, expectedVersion: $v, input: { price: { amount: $a, currency: "EUR" } }) { id } }
            """, variables: ["id": id, "v": version, "a": amount], token: token)
        #expect(updated["errors"] == nil, "\(updated)")
    }

    /// Reads until `expected` is served (the invalidation arrives a few milliseconds after the
    /// commit); fails after 10 s.
    func expectEventually(_ endpoint: EmporiumProcess, slug: String, amount: Int, available: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var last = Read()
        while ContinuousClock.now < deadline {
            last = try await read(endpoint, slug: slug)
            if last.amount == amount && last.available == available { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("still served \(last) 10 s after the change to amount \(amount), available \(available)", sourceLocation: sourceLocation)
    }

    @Test func singleNodeServesRepeatedAnonymousReadsFromTheCacheUntilTheyChange() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "response_cache")
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL])
        let token = try await Marketplace.sellerToken("seller-cache")
        let (id, slug) = try await stockedProduct(node, title: "Cached lamp", token: token)
        try await Task.sleep(for: .milliseconds(1200))  // past the hold of the stock change just made

        #expect(try await read(node, slug: slug) == Read(amount: 1999, available: 3, cache: "miss"))
        #expect(try await read(node, slug: slug) == Read(amount: 1999, available: 3, cache: "hit"))
        // Recorded once, at the edge, as what it was: answered from the cache, nothing executed.
        #expect(try await node.metrics().contains(#"graphql_requests_total{operation="anonymous",outcome="cached"} 1"#))
        #expect(try await read(node, slug: slug, token: token).cache == nil, "requests with a token bypass the cache")
        #expect(try await read(node, slug: "no-such-product").cache == "miss")
        #expect(try await read(node, slug: "no-such-product").cache == "miss", "errors are not cached")

        // Subgraph endpoints report the tags of their answer to a gateway; the public one does not.
        let (_, subgraphHeaders) = try await node.graphQLWithHeaders("/subgraphs/catalog/graphql", Self.catalogRead, variables: ["s": slug])
        #expect(subgraphHeaders["emporium-cache-tags"] == "product:\(id)")
        let (_, publicHeaders) = try await node.graphQLWithHeaders("/graphql", Self.read, variables: ["s": slug])
        #expect(publicHeaders["emporium-cache-tags"] == nil)

        // A catalog change and an inventory change each reach anonymous readers.
        try await changePrice(node, id: id, amount: 2999, token: token)
        try await expectEventually(node, slug: slug, amount: 2999, available: 3)
        _ = try await Marketplace.receiveStock(node, productId: id, quantity: 5, token: token, path: "/graphql")
        try await expectEventually(node, slug: slug, amount: 2999, available: 8)

        // Not cacheable: a root field outside the table.
        for _ in 0..<2 {
            let (_, headers) = try await node.graphQLWithHeaders("/graphql", "{ categories { id } }")
            #expect(headers["emporium-cache"] == "miss")
        }
        try await node.stop()
    }

    /// Requests pipelined on one connection are answered in their order, although cached ones
    /// are answered on the event loop and the rest by the router: one behind a request passed on
    /// waits for it (CachedAnswerHandler).
    @Test func pipelinedRequestsAreAnsweredInOrderWhetherCachedOrNot() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "response_cache_pipelined")
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL])
        let token = try await Marketplace.sellerToken("seller-pipelined")
        let (_, slug) = try await stockedProduct(node, title: "Pipelined lamp", token: token)
        try await Task.sleep(for: .milliseconds(1200))  // past the hold of the stock change just made
        #expect(try await read(node, slug: slug).cache == "miss")

        func body(_ query: String) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: ["query": query, "variables": ["s": slug]]), as: UTF8.self)
        }
        let cached = try body(Self.read)
        let output = try FixtureScript.run("pipelined_requests.py", [
            node.baseURL, cached, try body(Self.catalogRead), cached, "GET /health/live", cached,
        ], install: "python3 (Debian: apt-get install -y python3)")
        let answers = try #require(try JSONSerialization.jsonObject(with: output) as? [[String: Any]])
        try #require(answers.count == 5, "\(answers)")
        #expect(answers.map { $0["status"] as? Int } == [200, 200, 200, 200, 200])
        #expect(answers.map { $0["cache"] as? String } == ["hit", "miss", "hit", nil, "hit"])
        let titles = answers.map { answer in
            ((try? JSONSerialization.jsonObject(with: Data((answer["body"] as? String ?? "").utf8))) as? [String: Any])
                .flatMap { ($0["data"] as? [String: Any])?["productBySlug"] as? [String: Any] }?["title"] as? String
        }
        #expect(titles == ["Pipelined lamp", "Pipelined lamp", "Pipelined lamp", nil, "Pipelined lamp"])
        try await node.stop()
    }

    @Test func distributedGatewaysShareInvalidationsThroughRedis() async throws {
        try await withRedisServer { redis in
            try await distributedRun(redisURL: "redis://127.0.0.1:\(redis.port)")
        }
    }

    func distributedRun(redisURL: String) async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "response_cache_redis")
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL, "EMPORIUM_REDIS_URL": redisURL])
        let subgraphs = "catalog=\(node.baseURL)/subgraphs/catalog/graphql,inventory=\(node.baseURL)/subgraphs/inventory/graphql,users=\(node.baseURL)/subgraphs/users/graphql"
        let gateway = try await EmporiumProcess.start(["serve", "gateway"], environment: ["EMPORIUM_SUBGRAPHS": subgraphs, "EMPORIUM_REDIS_URL": redisURL])
        let token = try await Marketplace.sellerToken("seller-cache-redis")
        let (id, slug) = try await stockedProduct(node, title: "Cached kettle", token: token)
        try await Task.sleep(for: .milliseconds(1200))

        #expect(try await read(gateway, slug: slug) == Read(amount: 1999, available: 3, cache: "miss"))
        #expect(try await read(gateway, slug: slug) == Read(amount: 1999, available: 3, cache: "hit"))
        try await changePrice(node, id: id, amount: 4999, token: token)
        try await expectEventually(gateway, slug: slug, amount: 4999, available: 3)
        _ = try await Marketplace.receiveStock(node, productId: id, quantity: 2, token: token, path: "/subgraphs/inventory/graphql")
        try await expectEventually(gateway, slug: slug, amount: 4999, available: 5)
        try await gateway.stop()
        try await node.stop()
    }
}
