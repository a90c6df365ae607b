import GraphQL
import GraphQLSupport
import Testing
@testable import Gateway

/// Which answers the gateway lets the response cache keep, for how long, and under which tags.
@Suite("Gateway response-cache policy")
struct ResponseCachePolicyTests {
    let configuration = GatewayConfiguration(cacheableRootFields: ["product": .seconds(60), "products": .seconds(10)])

    func gateway() throws -> (FederationGateway, RecordingTransport) {
        let transport = RecordingTransport([
            "catalog": { request in
                if request.query.contains("_entities") { return SubgraphResponse(data: ["_entities": []]) }
                let node: Map = ["__typename": "Product", "id": "p1", "title": "Lamp"]
                let data: Map = request.query.contains("products")
                    ? ["products": ["nodes": [node]], "product": node]
                    : ["product": node, "categories": []]
                return SubgraphResponse(data: data, cacheTags: request.query.contains("products") ? ["products"] : ["product:p1"])
            },
            "inventory": { request in
                SubgraphResponse(data: ["_entities": .array(request.representations.map { _ in ["stock": ["available": 3]] })], cacheTags: ["stock:p1"])
            },
        ])
        return (FederationGateway(supergraph: try Supergraph.compose(EmporiumSubgraphs.subgraphs), transport: transport, configuration: configuration), transport)
    }

    func run(_ query: String) async throws -> (GraphQLOutcome, [String]) {
        let (gateway, _) = try gateway()
        let info = GraphQLRequestInfo(principal: nil)
        let outcome = await gateway.execute(GraphQLRequest(query: query), info: info)
        return (outcome, info.responseTags.all.sorted())
    }

    @Test("a listed root field is cacheable, with the tags of every subgraph that answered")
    func cacheableWithTagsOfAllSubgraphs() async throws {
        let (outcome, tags) = try await run(#"{ product(id: "p1") { title stock { available } } }"#)
        #expect(outcome.result.errors.isEmpty, "\(outcome.result.errors)")
        #expect(outcome.cacheMaxAge == .seconds(60))
        #expect(tags == ["product:p1", "stock:p1"])
    }

    @Test("several root fields: the shortest maximum age; fragments and __typename count as their fields")
    func shortestMaximumAge() async throws {
        let (outcome, _) = try await run(#"query { __typename ...F product(id: "p1") { title } } fragment F on Query { products(first: 1) { nodes { id } } }"#)
        #expect(outcome.result.errors.isEmpty, "\(outcome.result.errors)")
        #expect(outcome.cacheMaxAge == .seconds(10))
    }

    @Test("an unlisted root field, a mutation or introspection makes the answer uncacheable")
    func uncacheable() async throws {
        #expect(try await run(#"{ product(id: "p1") { title } categories { id } }"#).0.cacheMaxAge == nil)
        #expect(try await run("{ __schema { queryType { name } } }").0.cacheMaxAge == nil)
        #expect(try await run(#"{ product(id: "p1") { title } __type(name: "Product") { name } }"#).0.cacheMaxAge == nil)
        #expect(try await run(#"mutation { publishProduct(id: "p1") { id } }"#).0.cacheMaxAge == nil)
        let (gateway, _) = try gateway()
        let nothingListed = FederationGateway(supergraph: gateway.supergraph, transport: RecordingTransport([:]))
        let outcome = await nothingListed.execute(GraphQLRequest(query: "{ __typename }"), info: GraphQLRequestInfo(principal: nil))
        #expect(outcome.cacheMaxAge == nil)
    }
}
