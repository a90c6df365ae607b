import Gateway
import GraphQL
import GraphQLExecution
import GraphQLSupport
import Logging

/// Small real subgraphs on our engine, served in process through `SchemaEndpoint` (as the
/// runtime serves catalog and inventory): they parse, validate and resolve `_entities` for real.
enum LiteSubgraphs {
    static let catalogSDL = #"""
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

    type Product @key(fields: "id") {
      id: ID!
      title: String!
      price: Int!
    }

    type ProductConnection {
      nodes: [Product!]!
    }

    type Query {
      products(first: Int): ProductConnection!
      product(id: ID!): Product
    }
    """#

    static let inventorySDL = #"""
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

    type StockLevel {
      available: Int!
    }

    type Product @key(fields: "id") {
      id: ID!
      stock: StockLevel!
    }

    type Query {
      lowStockCount: Int!
    }
    """#

    struct Context: Sendable {
        let info: GraphQLRequestInfo
    }

    struct Product: Sendable, GraphQLObject {
        let id: GraphID
        let title: String
        let price: Int
    }

    struct Connection: Sendable, GraphQLObject {
        let nodes: [Product]
    }

    struct StockLevel: Sendable, GraphQLObject {
        let available: Int
    }

    struct ProductStock: Sendable, GraphQLObject {
        let id: GraphID
    }

    static func product(_ number: Int) -> Product {
        Product(id: GraphID("\(number)"), title: "Product \(number)", price: number * 100)
    }

    static func catalog() throws -> any GraphQLExecutor {
        var resolvers = SchemaResolvers<Context>()
        resolvers.object("Product", Product.self) { type in
            type.field("id") { $0.id }
            type.field("title") { $0.title }
            type.field("price") { $0.price }
        }
        resolvers.object("ProductConnection", Connection.self) { type in
            type.field("nodes") { $0.nodes }
        }
        resolvers.query { query in
            query.field("products", async: { _, arguments, _ in
                Connection(nodes: (1...(arguments.int("first") ?? 10)).map { LiteSubgraphs.product($0) })
            })
            query.field("product", async: { _, arguments, _ in
                arguments.string("id").flatMap(Int.init).map { LiteSubgraphs.product($0) }
            })
        }
        let federation = Federation<Context>(entities: [
            "Product": { representations, _ in
                representations.map { $0["id"].string.flatMap(Int.init).map { LiteSubgraphs.product($0) }.outputValue }
            },
        ])
        let schema = try ExecutableSchema(sdl: catalogSDL, federation: federation, resolvers: resolvers)
        return SchemaEndpoint(schema: schema, logger: Logger(label: "test.catalog")) { Context(info: $0) }
    }

    static func inventory() throws -> any GraphQLExecutor {
        var resolvers = SchemaResolvers<Context>()
        resolvers.object("StockLevel", StockLevel.self) { type in
            type.field("available") { $0.available }
        }
        resolvers.object("Product", ProductStock.self) { type in
            type.field("id") { $0.id }
            type.field("stock") { StockLevel(available: Int($0.id.value).map { $0 * 10 } ?? 0) }
        }
        resolvers.query { query in
            query.field("lowStockCount") { _ in 0 }
        }
        let federation = Federation<Context>(entities: [
            "Product": { representations, _ in
                representations.map { $0["id"].string.map { ProductStock(id: GraphID($0)) }.outputValue }
            },
        ])
        let schema = try ExecutableSchema(sdl: inventorySDL, federation: federation, resolvers: resolvers)
        return SchemaEndpoint(schema: schema, logger: Logger(label: "test.inventory")) { Context(info: $0) }
    }

    static var subgraphs: [SubgraphSDL] {
        [SubgraphSDL(name: "catalog", sdl: catalogSDL), SubgraphSDL(name: "inventory", sdl: inventorySDL)]
    }

    /// Both subgraphs, called in process.
    static func transport() throws -> InProcessSubgraphTransport {
        InProcessSubgraphTransport(["catalog": try catalog(), "inventory": try inventory()])
    }

    /// A gateway over both subgraphs, called in process.
    static func gateway() throws -> FederationGateway {
        FederationGateway(supergraph: try Supergraph.compose(subgraphs), transport: try transport())
    }
}
