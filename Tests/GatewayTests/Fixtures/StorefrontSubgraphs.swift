import Gateway

/// A four-subgraph storefront for planner tests: entities that span three subgraphs
/// (products → reviews → accounts), `@requires` (inventory's shipping estimate), `@provides`
/// (reviews provide the author's name), interfaces with entity implementations, and an
/// `@inaccessible` field.
enum StorefrontSubgraphs {
    static let products = #"""
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@inaccessible"])

    interface Item {
      upc: String!
      name: String!
    }

    type Product implements Item @key(fields: "upc") {
      upc: String!
      name: String!
      price: Int!
      weight: Int!
      internalCode: String @inaccessible
    }

    type Book implements Item @key(fields: "upc") {
      upc: String!
      name: String!
      author: String!
    }

    type Query {
      topProducts(first: Int = 5): [Product!]!
      product(upc: String!): Product
      items: [Item!]!
    }

    type Mutation {
      createProduct(name: String!): Product!
    }
    """#

    static let reviews = #"""
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])

    type Review @key(fields: "id") {
      id: ID!
      body: String!
      rating: Int!
      product: Product!
      author: User! @provides(fields: "name")
    }

    type Product @key(fields: "upc") {
      upc: String!
      reviews: [Review!]!
    }

    type User @key(fields: "id") {
      id: ID!
      name: String! @external
      reviews: [Review!]!
    }

    type Mutation {
      addReview(upc: String!, body: String!): Review!
    }
    """#

    static let accounts = #"""
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

    type User @key(fields: "id") {
      id: ID!
      name: String!
      username: String!
    }

    type Query {
      me: User
    }
    """#

    static let inventory = #"""
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])

    type Product @key(fields: "upc") {
      upc: String!
      price: Int! @external
      weight: Int! @external
      inStock: Boolean!
      shippingEstimate: Int! @requires(fields: "price weight")
    }

    type Book @key(fields: "upc") {
      upc: String!
      inStock: Boolean!
    }
    """#

    static var subgraphs: [SubgraphSDL] {
        [
            SubgraphSDL(name: "products", url: "http://products.local/graphql", sdl: products),
            SubgraphSDL(name: "reviews", url: "http://reviews.local/graphql", sdl: reviews),
            SubgraphSDL(name: "accounts", url: "http://accounts.local/graphql", sdl: accounts),
            SubgraphSDL(name: "inventory", url: "http://inventory.local/graphql", sdl: inventory),
        ]
    }

    static func supergraph() throws -> Supergraph {
        try Supergraph.compose(subgraphs)
    }
}
