import GraphQL
import GraphQLSupport
import Testing
@testable import Gateway

/// The shaper's collected fields are shared by the requests of one plan only when nothing in the
/// operation depends on a variable; answers stay those of each request on its own.
@Suite("Shapes shared across requests")
struct ShapeCacheTests {
    func gateway() throws -> FederationGateway {
        FederationGateway(supergraph: try Supergraph.compose(LiteSubgraphs.subgraphs), transport: try LiteSubgraphs.transport())
    }

    @Test("a repeated operation, merged fields included, gets the same answer every time")
    func repeatedOperation() async throws {
        let gateway = try gateway()
        let query = "{ products(first: 2) { nodes { id } nodes { title stock { available } } nodes { id price } } }"
        var answers: [Map] = []
        for _ in 0..<3 {
            let outcome = await gateway.execute(GraphQLRequest(query: query), info: GraphQLRequestInfo(principal: nil))
            #expect(outcome.errors.isEmpty, "\(outcome.errors)")
            answers.append(try #require(outcome.data))
        }
        let first = try #require(answers.first?["products"]["nodes"].array?.first)
        #expect(first == ["id": "1", "title": "Product 1", "stock": ["available": 10], "price": 100])
        #expect(answers.allSatisfy { $0 == answers[0] })
    }

    @Test("@skip on a variable is applied per request, whatever the plan saw before")
    func conditionsFollowEachRequest() async throws {
        let gateway = try gateway()
        let query = "query($hide: Boolean!) { products(first: 1) { nodes { id title @skip(if: $hide) } } }"
        for hide in [false, true, false, true] {
            let outcome = await gateway.execute(
                GraphQLRequest(query: query, variables: ["hide": .bool(hide)]), info: GraphQLRequestInfo(principal: nil))
            #expect(outcome.errors.isEmpty, "\(outcome.errors)")
            let node = try #require(outcome.data?["products"]["nodes"].array?.first)
            #expect(node == (hide ? ["id": "1"] : ["id": "1", "title": "Product 1"]), "hide: \(hide)")
        }
    }
}
