import GraphQL
import GraphQLSupport
import HTTPTypes
import Testing
@testable import Gateway
import OrderedCollections

@Suite("Gateway execution")
struct GatewayExecutionTests {
    @Test("100 products with catalog fields and inventory stock take exactly 2 subgraph requests")
    func hundredProductsTwoRequests() async throws {
        let transport = CountingTransport(try LiteSubgraphs.transport())
        let gateway = FederationGateway(supergraph: try Supergraph.compose(LiteSubgraphs.subgraphs), transport: transport)
        let outcome = await gateway.execute(
            GraphQLRequest(query: "query Shelf($n: Int) { products(first: $n) { nodes { id title price stock { available } } } }", variables: ["n": 100]),
            info: GraphQLRequestInfo(principal: nil)
        )
        #expect(outcome.kind == .executed)
        #expect(outcome.result.errors.isEmpty, "\(outcome.result.errors)")
        let nodes = try #require(outcome.result.data?["products"]["nodes"].array)
        #expect(nodes.count == 100)
        #expect(nodes[0] == ["id": "1", "title": "Product 1", "price": 100, "stock": ["available": 10]])
        #expect(nodes[99]["stock"]["available"] == 1000)
        #expect(transport.requests.map(\.subgraph) == ["catalog", "inventory"])
        #expect(transport.requests[1].representations.count == 100)
        #expect(transport.requests[1].representations[0] == ["__typename": "Product", "id": "1"])
    }

    @Test("on the real catalog and inventory SDLs: 100 products, stock included, in 2 subgraph requests")
    func emporiumSubgraphs() async throws {
        let transport = RecordingTransport([
            "catalog": { _ in
                let nodes: [Map] = (1...100).map { ["__typename": "Product", "id": .string("p\($0)"), "title": .string("Product \($0)"), "price": ["formatted": "€1.00"]] }
                return SubgraphResponse(data: ["products": ["nodes": .array(nodes)]])
            },
            "inventory": { request in
                let entities: [Map] = request.representations.map { _ in ["stock": ["available": 3], "inStock": true] }
                return SubgraphResponse(data: ["_entities": .array(entities)])
            },
        ])
        let gateway = FederationGateway(supergraph: try Supergraph.compose(EmporiumSubgraphs.subgraphs), transport: transport)
        let outcome = await gateway.execute(
            GraphQLRequest(query: "{ products(first: 100) { nodes { id title price { formatted } stock { available } inStock } } }"),
            info: GraphQLRequestInfo(principal: nil)
        )
        #expect(outcome.result.errors.isEmpty, "\(outcome.result.errors)")
        let nodes = try #require(outcome.result.data?["products"]["nodes"].array)
        #expect(nodes.count == 100)
        #expect(nodes[42] == ["id": "p43", "title": "Product 43", "price": ["formatted": "€1.00"], "stock": ["available": 3], "inStock": true])
        #expect(transport.requests.map(\.subgraph) == ["catalog", "inventory"])
        #expect(transport.requests[0].url == "http://catalog.local/graphql")
        #expect(transport.requests[1].query == "query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { stock { available } inStock } } }")
    }

    @Test("the gateway answers only what was asked: aliases, __typename, no key fields")
    func shapesTheResponse() async throws {
        let outcome = try await LiteSubgraphs.gateway().execute(
            GraphQLRequest(query: #"{ p: product(id: "7") { kind: __typename name: title level: stock { available } } }"#),
            info: GraphQLRequestInfo(principal: nil)
        )
        #expect(outcome.result.errors.isEmpty, "\(outcome.result.errors)")
        #expect(outcome.result.data == ["p": ["kind": "Product", "name": "Product 7", "level": ["available": 70]]])
    }

    @Test("a field selected twice gets both selections, on every item of a list")
    func repeatedFieldsMerge() async throws {
        let gateway = try LiteSubgraphs.gateway()
        let outcome = await gateway.execute(
            GraphQLRequest(query: "{ products(first: 3) { nodes { id } nodes { title stock { available } } } }"),
            info: GraphQLRequestInfo(principal: nil)
        )
        #expect(outcome.result.errors.isEmpty, "\(outcome.result.errors)")
        let nodes = try #require(outcome.result.data?["products"]["nodes"].array)
        #expect(nodes == (1...3).map { n in ["id": .string("\(n)"), "title": .string("Product \(n)"), "stock": ["available": .number(Number(n * 10))]] })

        // A field merged inside a merged selection: `stock` twice under the two `nodes`.
        let nested = await gateway.execute(
            GraphQLRequest(query: "{ products(first: 3) { nodes { id stock { a: available } } nodes { title stock { available } } } }"),
            info: GraphQLRequestInfo(principal: nil)
        )
        #expect(nested.result.errors.isEmpty, "\(nested.result.errors)")
        let nestedNodes = try #require(nested.result.data?["products"]["nodes"].array)
        let expected: [Map] = (1...3).map { n in
            let stock: Map = ["a": .number(Number(n * 10)), "available": .number(Number(n * 10))]
            return ["id": .string("\(n)"), "stock": stock, "title": .string("Product \(n)")]
        }
        #expect(nestedNodes == expected)
        // Keys in the order the client first selected them.
        #expect(nestedNodes.first?.dictionary.map { Array($0.keys) } == ["id", "stock", "title"])
    }

    @Test("subgraph errors keep their message with the path rewritten to the client's response")
    func errorPathsRewritten() async throws {
        let transport = RecordingTransport([
            "products": { _ in SubgraphResponse(data: ["topProducts": [
                ["__typename": "Product", "upc": "a", "name": "A"], ["__typename": "Product", "upc": "b", "name": "B"],
            ]]) },
            "reviews": { request in
                SubgraphResponse(
                    data: ["_entities": [["reviews": []], ["reviews": nil]]],
                    errors: [GraphQLError(message: "reviews are down for b", path: ["_entities", 1, "reviews"], extensions: ["code": "REVIEWS_DOWN"])]
                )
            },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let outcome = await gateway.execute(GraphQLRequest(query: "{ topProducts { name reviews { body } } }"), info: GraphQLRequestInfo(principal: nil))
        let error = try #require(outcome.result.errors.first)
        #expect(outcome.result.errors.count == 1)
        #expect(error.message == "reviews are down for b")
        #expect(error.path.elements == [.key("topProducts"), .index(1), .key("reviews")])
        #expect(error.extensions["code"] == "REVIEWS_DOWN")
        #expect(error.extensions["serviceName"] == "reviews")
        // `reviews: [Review!]!` is null: product b is null, and `topProducts: [Product!]!` with it,
        // up to `data` itself.
        #expect(outcome.result.data == .null)
    }

    @Test("a null in a non-null field nulls the nearest nullable parent")
    func nullPropagation() async throws {
        let transport = RecordingTransport([
            "products": { _ in SubgraphResponse(data: ["product": ["__typename": "Product", "upc": "a", "name": "A"], "items": []]) },
            "inventory": { _ in SubgraphResponse(data: ["_entities": [["inStock": nil]]]) },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let outcome = await gateway.execute(GraphQLRequest(query: #"{ product(upc: "a") { name inStock } items { name } }"#), info: GraphQLRequestInfo(principal: nil))
        // `product` is nullable: it becomes null; `items` is unaffected.
        #expect(outcome.result.data == ["product": nil, "items": []])
        #expect(outcome.result.errors.count == 1)
        #expect(outcome.result.errors.first?.message == "Cannot return null for non-nullable field Product.inStock.")
        #expect(outcome.result.errors.first?.path.elements == [.key("product"), .key("inStock")])
    }

    @Test("when one subgraph fails, the others' data is still returned")
    func partialData() async throws {
        let transport = RecordingTransport([
            "products": { _ in SubgraphResponse(data: ["topProducts": [["name": "A"]]]) },
            "accounts": { request in throw SubgraphTransportError(.unavailable, subgraph: request.subgraph, message: "connection refused") },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let outcome = await gateway.execute(GraphQLRequest(query: "{ topProducts { name } me { name } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(outcome.kind == .executed)
        #expect(outcome.result.data == ["topProducts": [["name": "A"]], "me": nil])
        #expect(outcome.result.errors.count == 1)
        #expect(outcome.result.errors.first?.extensions["code"] == .string(GatewayErrorCode.subgraphUnavailable))
        #expect(outcome.result.errors.first?.extensions["serviceName"] == "accounts")
    }

    @Test("a failed entity fetch leaves the entities' own fields and reports one error")
    func failedEntityFetch() async throws {
        let transport = RecordingTransport([
            "products": { _ in SubgraphResponse(data: ["product": ["__typename": "Product", "upc": "a", "name": "A"]]) },
            "reviews": { request in throw SubgraphTransportError(.unavailable, subgraph: request.subgraph, message: "down") },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let outcome = await gateway.execute(GraphQLRequest(query: #"{ product(upc: "a") { name reviews { body } } }"#), info: GraphQLRequestInfo(principal: nil))
        // reviews is non-null, so the product is null; exactly one error says why.
        #expect(outcome.result.data == ["product": nil])
        #expect(outcome.result.errors.map(\.message) == ["subgraph 'reviews' is unavailable"])
    }

    @Test("@requires fields reach the subgraph in the representations")
    func requiresInRepresentations() async throws {
        let transport = RecordingTransport([
            "products": { _ in SubgraphResponse(data: ["topProducts": [["__typename": "Product", "upc": "a", "price": 1200, "weight": 3]]]) },
            "inventory": { request in
                let estimates = request.representations.map { representation -> Map in
                    ["shippingEstimate": .number(Number((representation["price"].int ?? 0) / 100 * (representation["weight"].int ?? 0)))]
                }
                return SubgraphResponse(data: ["_entities": .array(estimates)])
            },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let outcome = await gateway.execute(GraphQLRequest(query: "{ topProducts { shippingEstimate } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(outcome.result.errors.isEmpty)
        #expect(outcome.result.data == ["topProducts": [["shippingEstimate": 36]]])
        #expect(transport.requests(to: "inventory").first?.representations == [["__typename": "Product", "upc": "a", "price": 1200, "weight": 3]])
    }

    @Test("@skip and @include with variables are applied to the response")
    func conditionsWithVariables() async throws {
        let transport = RecordingTransport([
            "products": { _ in SubgraphResponse(data: ["product": ["name": "A", "price": 5]]) },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let query = #"query($withPrice: Boolean!) { product(upc: "a") { name price @include(if: $withPrice) } }"#
        let without = await gateway.execute(GraphQLRequest(query: query, variables: ["withPrice": false]), info: GraphQLRequestInfo(principal: nil))
        #expect(without.result.data == ["product": ["name": "A"]])
        let with = await gateway.execute(GraphQLRequest(query: query, variables: ["withPrice": true]), info: GraphQLRequestInfo(principal: nil))
        #expect(with.result.data == ["product": ["name": "A", "price": 5]])
        #expect(transport.requests.first?.variables == ["withPrice": false])
    }

    @Test("an omitted nullable variable is not sent, so the subgraph's argument default applies")
    func omittedVariablesStayAbsent() async throws {
        let transport = RecordingTransport(["products": { _ in SubgraphResponse(data: ["topProducts": []]) }])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        _ = await gateway.execute(GraphQLRequest(query: "query($n: Int) { topProducts(first: $n) { name } }"), info: GraphQLRequestInfo(principal: nil))
        _ = await gateway.execute(GraphQLRequest(query: "query($n: Int = 3) { topProducts(first: $n) { name } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(transport.requests.map(\.variables) == [[:], ["n": 3]])
    }

    @Test("an entity fetch whose selections are all excluded by a variable condition is skipped")
    func conditionalFetchSkipped() async throws {
        let transport = RecordingTransport([
            "products": { _ in SubgraphResponse(data: ["product": ["__typename": "Product", "upc": "a", "name": "A"]]) },
            "reviews": { _ in SubgraphResponse(data: ["_entities": [["reviews": [["body": "great"]]]]]) },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let query = #"query($withReviews: Boolean!) { product(upc: "a") { name reviews @include(if: $withReviews) { body } } }"#
        let without = await gateway.execute(GraphQLRequest(query: query, variables: ["withReviews": false]), info: GraphQLRequestInfo(principal: nil))
        #expect(without.result.data == ["product": ["name": "A"]])
        #expect(transport.requests.map(\.subgraph) == ["products"])
        let with = await gateway.execute(GraphQLRequest(query: query, variables: ["withReviews": true]), info: GraphQLRequestInfo(principal: nil))
        #expect(with.result.data == ["product": ["name": "A", "reviews": [["body": "great"]]]])
        #expect(transport.requests.map(\.subgraph) == ["products", "products", "reviews"])
    }

    @Test("identical entity fetches within one request are sent once")
    func deduplicatesWithinARequest() async throws {
        let transport = RecordingTransport([
            "products": { _ in SubgraphResponse(data: [
                "a": ["__typename": "Product", "upc": "1", "name": "A"], "b": ["__typename": "Product", "upc": "1", "name": "A"],
            ]) },
            "inventory": { _ in
                try await Task.sleep(for: .milliseconds(100))
                return SubgraphResponse(data: ["_entities": [["inStock": true]]])
            },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let outcome = await gateway.execute(
            GraphQLRequest(query: #"{ a: product(upc: "1") { inStock } b: product(upc: "1") { inStock } }"#), info: GraphQLRequestInfo(principal: nil)
        )
        #expect(outcome.result.data == ["a": ["inStock": true], "b": ["inStock": true]])
        #expect(transport.requests(to: "inventory").count == 1)
    }

    @Test("mutation fetches run one after the other, in document order")
    func mutationsInOrder() async throws {
        let log = EventLog()
        let transport = RecordingTransport([
            "products": { request in
                await log.record("products start")
                try await Task.sleep(for: .milliseconds(50))
                await log.record("products end")
                return SubgraphResponse(data: request.query.contains("again") ? ["again": ["upc": "2"]] : ["createProduct": ["upc": "1"]])
            },
            "reviews": { _ in
                await log.record("reviews start")
                await log.record("reviews end")
                return SubgraphResponse(data: ["addReview": ["id": "r"]])
            },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let outcome = await gateway.execute(
            GraphQLRequest(query: #"mutation { createProduct(name: "x") { upc } addReview(upc: "1", body: "b") { id } again: createProduct(name: "y") { upc } }"#),
            info: GraphQLRequestInfo(principal: nil)
        )
        #expect(outcome.result.data == ["createProduct": ["upc": "1"], "addReview": ["id": "r"], "again": ["upc": "2"]])
        #expect(await log.events == ["products start", "products end", "reviews start", "reviews end", "products start", "products end"])
    }

    @Test("nulls in lists: a nullable item becomes null, a non-null item nulls the list")
    func nullsInLists() async throws {
        let transport = RecordingTransport([
            "products": { _ in SubgraphResponse(data: ["topProducts": [
                ["__typename": "Product", "upc": "a", "name": "A"], ["__typename": "Product", "upc": "b", "name": "B"],
            ]]) },
            "reviews": { _ in SubgraphResponse(data: ["_entities": [
                ["reviews": [["body": "fine", "author": ["name": "Ann"]], ["body": "meh", "author": nil]]],
                ["reviews": []],
            ]]) },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let outcome = await gateway.execute(
            GraphQLRequest(query: "{ topProducts { name reviews { body author { name } } } }"), info: GraphQLRequestInfo(principal: nil)
        )
        // author is non-null: review 1 of product a is null; `reviews: [Review!]!` makes product a
        // null; `topProducts: [Product!]!` then makes data null. One error, at the deepest path.
        #expect(outcome.result.data == .null)
        #expect(outcome.result.errors.count == 1)
        #expect(outcome.result.errors.first?.path.elements == [.key("topProducts"), .index(0), .key("reviews"), .index(1), .key("author")])
    }

    @Test("a key fetched from a third subgraph reaches the representations of the next hop")
    func keyHopExecution() async throws {
        let a = SubgraphSDL(name: "a", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Query { p: P } type P @key(fields: "id") { id: ID! }"#)
        let b = SubgraphSDL(name: "b", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type P @key(fields: "sku") { sku: ID! e: Int }"#)
        let c = SubgraphSDL(name: "c", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type P @key(fields: "id") @key(fields: "sku") { id: ID! sku: ID! }"#)
        let transport = RecordingTransport([
            "a": { _ in SubgraphResponse(data: ["p": ["__typename": "P", "id": "1"]]) },
            "c": { _ in SubgraphResponse(data: ["_entities": [["sku": "SKU-1"]]]) },
            "b": { _ in SubgraphResponse(data: ["_entities": [["e": 7]]]) },
        ])
        let gateway = FederationGateway(supergraph: try Supergraph.compose([a, b, c]), transport: transport)
        let outcome = await gateway.execute(GraphQLRequest(query: "{ p { e } }"), info: GraphQLRequestInfo(principal: nil))
        #expect(outcome.result.data == ["p": ["e": 7]])
        #expect(transport.requests(to: "c").first?.representations == [["__typename": "P", "id": "1"]])
        #expect(transport.requests(to: "b").first?.representations == [["__typename": "P", "sku": "SKU-1"]])
    }

    @Test("interfaces: fragments apply by runtime type")
    func interfaceFragments() async throws {
        let transport = RecordingTransport([
            "products": { _ in SubgraphResponse(data: ["items": [
                ["__typename": "Book", "name": "Dune", "author": "Herbert", "upc": "b1"],
                ["__typename": "Product", "name": "Lamp", "upc": "p1"],
            ]]) },
            "inventory": { request in
                SubgraphResponse(data: ["_entities": .array(request.representations.map { ["inStock": .bool($0["__typename"] == "Book")] })])
            },
        ])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let outcome = await gateway.execute(
            GraphQLRequest(query: "{ items { name ... on Book { author inStock } ... on Product { inStock } } }"), info: GraphQLRequestInfo(principal: nil)
        )
        #expect(outcome.result.errors.isEmpty, "\(outcome.result.errors)")
        #expect(outcome.result.data == ["items": [["name": "Dune", "author": "Herbert", "inStock": true], ["name": "Lamp", "inStock": false]]])
        #expect(transport.requests(to: "inventory").count == 1)
        #expect(transport.requests(to: "inventory").first?.representations.count == 2)
    }
}

/// Events in the order they happened, across tasks.
actor EventLog {
    private(set) var events: [String] = []

    func record(_ event: String) {
        events.append(event)
    }
}
