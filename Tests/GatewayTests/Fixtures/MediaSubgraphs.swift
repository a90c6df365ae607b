import Gateway

/// An entity interface (`Media`, owned by `media`) that `reviews` extends as an
/// `@interfaceObject`: reviews never learns about books and movies.
enum MediaSubgraphs {
    static let media = #"""
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

    interface Media @key(fields: "id") {
      id: ID!
      title: String!
    }

    type Book implements Media @key(fields: "id") {
      id: ID!
      title: String!
      author: String!
    }

    type Movie implements Media @key(fields: "id") {
      id: ID!
      title: String!
      director: String!
    }

    type Query {
      library: [Media!]!
    }
    """#

    static let reviews = #"""
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])

    type Media @key(fields: "id") @interfaceObject {
      id: ID!
      reviews: [String!]!
    }

    type Query {
      topMedia: [Media!]!
    }
    """#

    static func supergraph() throws -> Supergraph {
        try Supergraph.compose([SubgraphSDL(name: "media", sdl: media), SubgraphSDL(name: "reviews", sdl: reviews)])
    }
}
