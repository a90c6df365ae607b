import Gateway
import Graphiti
import GraphQL
import GraphQLSupport
import Logging

/// Small real subgraphs built with Graphiti, served in process through `SchemaEndpoint` (as the
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

    struct Product: Codable, Sendable {
        let id: GraphID
        let title: String
        let price: Int
    }

    struct Connection: Codable, Sendable {
        let nodes: [Product]
    }

    struct StockLevel: Codable, Sendable {
        let available: Int
    }

    struct ProductStock: Codable, Sendable {
        let id: GraphID

        @Sendable func stock(context: Context, arguments: NoArguments) async throws -> StockLevel {
            StockLevel(available: Int(id.value).map { $0 * 10 } ?? 0)
        }
    }

    struct PageArguments: Codable, Sendable { let first: Int? }
    struct IDArguments: Codable, Sendable { let id: GraphID }

    struct CatalogResolver: Sendable {
        @Sendable func products(context: Context, arguments: PageArguments) async throws -> Connection {
            Connection(nodes: (1...(arguments.first ?? 10)).map { LiteSubgraphs.product($0) })
        }

        @Sendable func product(context: Context, arguments: IDArguments) async throws -> Product? {
            Int(arguments.id.value).map { LiteSubgraphs.product($0) }
        }
    }

    struct InventoryResolver: Sendable {
        @Sendable func lowStockCount(context: Context, arguments: NoArguments) async throws -> Int { 0 }

        @Sendable func productEntity(context: Context, arguments: IDArguments) async throws -> ProductStock? {
            ProductStock(id: arguments.id)
        }
    }

    static func product(_ number: Int) -> Product {
        Product(id: GraphID("\(number)"), title: "Product \(number)", price: number * 100)
    }

    static func catalog() throws -> any GraphQLExecutor {
        let schema = try SchemaBuilder(CatalogResolver.self, Context.self)
            .setFederatedSDL(to: catalogSDL)
            .add {
                Scalar(GraphID.self, as: "ID")
                Type(Product.self) {
                    Field("id", at: \.id)
                    Field("title", at: \.title)
                    Field("price", at: \.price)
                }.key(at: CatalogResolver.product) {
                    Argument("id", at: \.id)
                }
                Type(Connection.self, as: "ProductConnection") {
                    Field("nodes", at: \.nodes)
                }
            }
            .addQuery {
                Field("products", at: CatalogResolver.products) { Argument("first", at: \.first) }
                Field("product", at: CatalogResolver.product) { Argument("id", at: \.id) }
            }
            .build()
        return SchemaEndpoint(schema: schema, resolver: CatalogResolver(), logger: Logger(label: "test.catalog")) { Context(info: $0) }
    }

    static func inventory() throws -> any GraphQLExecutor {
        let schema = try SchemaBuilder(InventoryResolver.self, Context.self)
            .setFederatedSDL(to: inventorySDL)
            .add {
                Scalar(GraphID.self, as: "ID")
                Type(StockLevel.self) {
                    Field("available", at: \.available)
                }
                Type(ProductStock.self, as: "Product") {
                    Field("id", at: \.id)
                    Field("stock", at: ProductStock.stock)
                }.key(at: InventoryResolver.productEntity) {
                    Argument("id", at: \.id)
                }
            }
            .addQuery {
                Field("lowStockCount", at: InventoryResolver.lowStockCount)
            }
            .build()
        return SchemaEndpoint(schema: schema, resolver: InventoryResolver(), logger: Logger(label: "test.inventory")) { Context(info: $0) }
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
