import GraphQL
import GraphQLSupport
import Testing
@testable import Gateway

/// A plan whose one fetch asks its subgraph exactly what the client asked passes the
/// subgraph's answer through; everything else is shaped (`VerbatimFetch`).
@Suite("Verbatim fetches")
struct VerbatimFetchTests {
    let planner: QueryPlanner

    init() throws {
        planner = QueryPlanner(supergraph: try StorefrontSubgraphs.supergraph())
    }

    @Test("one subgraph asked what the client asked: aliases, arguments, variables, fragments on object types")
    func verbatim() throws {
        for query in [
            "{ topProducts(first: 2) { name price } }",
            "query($u: String!) { p: product(upc: $u) { ... on Product { name } upc } }",
            "query Named { product(upc: \"1\") { ...Parts } } fragment Parts on Product { name weight }",
            "mutation { createProduct(name: \"x\") { upc } }",
        ] {
            #expect(try planner.plan(query: query).verbatimFetch != nil, "\(query)")
        }
    }

    @Test("planner additions, other subgraphs, conditions and abstract fragments are shaped")
    func shaped() throws {
        for query in [
            // An entity join: the planner adds __typename and the key.
            "{ topProducts { name reviews { body } } }",
            // Two subgraphs at the root.
            "{ me { username } topProducts { name } }",
            // A condition the shaper applies with the request's variables.
            "query($s: Boolean!) { topProducts { name @skip(if: $s) } }",
            // Which objects satisfy an interface is the supergraph's answer.
            "{ items { name ... on Book { author } } }",
        ] {
            #expect(try planner.plan(query: query).verbatimFetch == nil, "\(query)")
        }
    }

    @Test("an in-process answer without errors is the response; debug builds check it against the shaper")
    func passedThrough() async throws {
        let gateway = FederationGateway(supergraph: try Supergraph.compose(LiteSubgraphs.subgraphs), transport: try LiteSubgraphs.transport())
        let query = "query($id: ID!) { first: product(id: $id) { title id } products(first: 2) { nodes { price } } }"
        #expect(try gateway.planner.plan(query: query).verbatimFetch != nil)
        let outcome = await gateway.execute(GraphQLRequest(query: query, variables: ["id": "7"]), info: GraphQLRequestInfo(principal: nil))
        #expect(outcome.kind == .executed && outcome.errors.isEmpty)
        var body: [UInt8] = []
        outcome.writeJSON(into: &body)
        #expect(String(decoding: body, as: UTF8.self) == #"{"data":{"first":{"title":"Product 7","id":"7"},"products":{"nodes":[{"price":100},{"price":200}]}}}"#)
    }

    @Test("an answer with errors is shaped instead: errors get the subgraph's name and a code, the fetch is sent once")
    func errorsAreShaped() async throws {
        let transport = RecordingTransport(["catalog": { _ in
            let answer = GraphQLOutcome(kind: .executed, result: GraphQLResult(
                data: ["product": .null], errors: [GraphQLError(message: "boom", path: ["product"])]))
            return SubgraphResponse(answer: answer)
        }])
        let gateway = FederationGateway(supergraph: try Supergraph.compose(LiteSubgraphs.subgraphs), transport: transport)
        let outcome = await gateway.execute(GraphQLRequest(query: #"{ product(id: "1") { title } }"#), info: GraphQLRequestInfo(principal: nil))
        #expect(outcome.data == ["product": .null])
        let error = try #require(outcome.errors.first)
        #expect(error.message == "boom" && error.extensions["serviceName"] == "catalog" && error.extensions["code"] == "DOWNSTREAM_SERVICE_ERROR")
        #expect(transport.requests.count == 1)
    }
}
