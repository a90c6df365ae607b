import GraphQL
import GraphQLSupport
import Testing
@testable import Gateway
import OrderedCollections

/// A nullable variable with a default may fill a non-null position (spec, "All Variable Usages
/// Are Allowed"). The gateway accepts it, and the subgraph operation repeats the default, or the
/// subgraph's own validation would refuse the operation the gateway wrote.
@Suite("Variables with defaults")
struct VariableDefaultTests {
    @Test("the default reaches the subgraph operation's declaration, and the value its variables")
    func defaultsAreDeclared() async throws {
        let transport = RecordingTransport(["products": { _ in SubgraphResponse(data: ["product": ["name": "A"]]) }])
        let gateway = FederationGateway(supergraph: try StorefrontSubgraphs.supergraph(), transport: transport)
        let query = #"query($u: String = "1", $full: Boolean = true) { product(upc: $u) { name @include(if: $full) } }"#
        let outcome = await gateway.execute(GraphQLRequest(query: query), info: GraphQLRequestInfo(principal: nil))
        #expect(outcome.result.errors.isEmpty)
        let sent = try #require(transport.requests.first)
        #expect(sent.query.contains(#"$u: String = "1""#))
        #expect(sent.variables["u"] == .string("1"))
        // The operation the subgraph receives validates against the subgraph's own schema.
        let subgraphSchema = try buildSchema(source: "type Product { upc: String! name: String! } type Query { product(upc: String!): Product }")
        #expect(DocumentParsing.validate(try parse(source: sent.query), schema: subgraphSchema).isEmpty)
    }
}

@Suite("Introspection order")
struct IntrospectionOrderTests {
    static let subgraph = SubgraphSDL(name: "shop", sdl: #"""
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        input Zebra { zulu: Int, alpha: Int, mike: String }
        type Item @key(fields: "id") { id: ID! zeta: String apple: String }
        type Query { items(filter: Zebra): [Item!]! }
        """#)

    @Test("fields and input fields are listed as declared, not sorted by name")
    func declarationOrder() async throws {
        let gateway = FederationGateway(supergraph: try Supergraph.compose([Self.subgraph]), transport: RecordingTransport([:]))
        let query = #"{ input: __type(name: "Zebra") { inputFields { name } } object: __type(name: "Item") { fields { name } } }"#
        let outcome = await gateway.execute(GraphQLRequest(query: query), info: GraphQLRequestInfo(principal: nil))
        #expect(outcome.result.errors.isEmpty)
        let data = try #require(outcome.result.data?.dictionary)
        let input = data["input"]?.dictionary?["inputFields"]?.array?.compactMap { $0.dictionary?["name"]?.string }
        let object = data["object"]?.dictionary?["fields"]?.array?.compactMap { $0.dictionary?["name"]?.string }
        #expect(input == ["zulu", "alpha", "mike"])
        #expect(object == ["id", "zeta", "apple"])
    }
}
