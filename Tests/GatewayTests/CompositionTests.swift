import GraphQL
import Testing
@testable import Gateway
import OrderedCollections

@Suite("Composition")
struct CompositionTests {
    @Test("the catalog and inventory subgraphs compose, Product merged from both")
    func catalogAndInventoryCompose() throws {
        let supergraph = try Supergraph.compose(EmporiumSubgraphs.subgraphs)
        let product = try #require(supergraph.type(named: "Product"))
        #expect(product.subgraphs == ["catalog", "inventory"])
        #expect(product.keys.map(\.subgraph) == ["catalog", "inventory"])
        #expect(product.fields["title"]?.resolvingSubgraphs == ["catalog"])
        #expect(product.fields["stock"]?.resolvingSubgraphs == ["inventory"])
        #expect(product.fields["id"]?.resolvingSubgraphs == ["catalog", "inventory"])
        #expect(supergraph.field("warehouses", on: "Query")?.resolvingSubgraphs == ["inventory"])
        #expect(supergraph.field("createProduct", on: "Mutation")?.resolvingSubgraphs == ["catalog"])
        // Federation machinery stays out of the API schema.
        #expect(!supergraph.apiSDL.contains("_entities"))
        #expect(!supergraph.apiSDL.contains("_Service"))
        #expect(!supergraph.apiSDL.contains("@key"))
        #expect(supergraph.apiSchema.getType(name: "Product") != nil)
        #expect(supergraph.apiSDL.contains("scalar DateTime"))
        #expect(supergraph.summary.contains(#"Product — catalog: "id", inventory: "id""#))
        #expect(supergraph.summary.contains("catalog (http://catalog.local/graphql): 24 root fields"))
    }

    @Test("the supergraph survives encoding and decoding")
    func encodingRoundTrip() throws {
        let supergraph = try Supergraph.compose(EmporiumSubgraphs.subgraphs)
        let decoded = try Supergraph(decoding: supergraph.encoded())
        #expect(decoded.types == supergraph.types)
        #expect(decoded.subgraphs == supergraph.subgraphs)
        #expect(decoded.apiSDL == supergraph.apiSDL)
        #expect(throws: Supergraph.DecodingError.self) { try Supergraph(decoding: "{\"format\": \"other\"}") }
    }

    @Test("renamed @link imports are federation directives under their new names")
    func renamedImports() throws {
        let a = SubgraphSDL(name: "a", sdl: """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3",
                                import: [{ name: "@key", as: "@primaryKey" }, { name: "@shareable", as: "@shared" }])
            type Query { product(id: ID!): Product }
            type Product @primaryKey(fields: "id") { id: ID! name: String! @shared }
            """)
        let b = SubgraphSDL(name: "b", sdl: """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"])
            type Product @federation__key(fields: "id") { id: ID! name: String! @shareable price: Int! }
            """)
        let supergraph = try Supergraph.compose([a, b])
        let product = try #require(supergraph.type(named: "Product"))
        #expect(product.keys == [EntityKey(subgraph: "a", fields: "id", resolvable: true), EntityKey(subgraph: "b", fields: "id", resolvable: true)])
        #expect(product.fields["name"]?.resolvingSubgraphs == ["a", "b"])
    }

    @Test("federation v1 subgraphs: extend type, @external key fields, no @link")
    func federationV1() throws {
        let products = SubgraphSDL(name: "products", sdl: """
            type Query { product(upc: String!): Product }
            type Product @key(fields: "upc") { upc: String! name: String }
            """)
        let reviews = SubgraphSDL(name: "reviews", sdl: """
            type Review { body: String! product: Product }
            extend type Query { latestReviews: [Review!]! }
            extend type Product @key(fields: "upc") { upc: String! @external reviews: [Review!]! }
            """)
        let supergraph = try Supergraph.compose([products, reviews])
        #expect(supergraph.field("upc", on: "Product")?.resolvingSubgraphs == ["products", "reviews"])
        #expect(supergraph.field("latestReviews", on: "Query")?.resolvingSubgraphs == ["reviews"])
        let plan = try QueryPlanner(supergraph: supergraph).plan(query: "{ latestReviews { product { name reviews { body } } } }")
        #expect(plan.root?.fetches.map(\.subgraph) == ["reviews", "products"])
    }

    @Test("entity stubs and @tag compose; a stub adds no fields")
    func stubsAndTags() throws {
        let orders = SubgraphSDL(name: "orders", sdl: #"""
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@tag"])
            type Query { order(id: ID!): Order @tag(name: "public") }
            type Order @key(fields: "id") { id: ID! product: Product! }
            type Product @key(fields: "id", resolvable: false) { id: ID! }
            """#)
        let supergraph = try Supergraph.compose(EmporiumSubgraphs.subgraphs + [orders])
        #expect(supergraph.type(named: "Product")?.keys.count == 3)
        #expect(supergraph.type(named: "Product")?.fields.count == 23)
        let plan = try QueryPlanner(supergraph: supergraph).plan(query: #"{ order(id: "1") { product { title inStock } } }"#)
        #expect(plan.root?.fetches.map(\.subgraph) == ["orders", "catalog", "inventory"])
        #expect(!supergraph.apiSDL.contains("@tag"))
    }

    @Test("@inaccessible fields, types and enum values are hidden from the API schema")
    func inaccessibleHidden() throws {
        let supergraph = try StorefrontSubgraphs.supergraph()
        #expect(supergraph.field("internalCode", on: "Product")?.inaccessible == true)
        #expect(!supergraph.apiSDL.contains("internalCode"))
        let product = try #require(supergraph.apiSchema.getType(name: "Product") as? GraphQLObjectType)
        #expect(try product.fields()["internalCode"] == nil)

        let hidden = SubgraphSDL(name: "a", sdl: """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@inaccessible"])
            type Query { status: Status secret: Secret @inaccessible }
            enum Status { OK LEGACY @inaccessible }
            type Secret @inaccessible { value: String }
            """)
        let composed = try Supergraph.compose([hidden])
        #expect(!composed.apiSDL.contains("Secret"))
        #expect(!composed.apiSDL.contains("LEGACY"))
        #expect(composed.apiSDL.contains("OK"))
    }

    @Test("keys: several, composite and resolvable: false")
    func keyVariants() throws {
        let a = SubgraphSDL(name: "a", sdl: """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Query { variant(sku: String!): Variant }
            type Variant @key(fields: "sku") @key(fields: "product { id } color") { sku: String! color: String! product: ProductRef! }
            type ProductRef @key(fields: "id", resolvable: false) { id: ID! }
            """)
        let b = SubgraphSDL(name: "b", sdl: """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type ProductRef @key(fields: "id") { id: ID! name: String! }
            """)
        let supergraph = try Supergraph.compose([a, b])
        #expect(supergraph.type(named: "Variant")?.keys.map(\.fields) == ["sku", "product { id } color"])
        #expect(supergraph.type(named: "ProductRef")?.resolvableKeys(in: "a").isEmpty == true)
        #expect(supergraph.type(named: "ProductRef")?.resolvableKeys(in: "b").count == 1)
    }

    @Test("conflicting field types name both subgraphs and the field")
    func conflictingTypes() {
        let error = compositionError([
            SubgraphSDL(name: "a", sdl: "type Query { a: Int } type Money @shareable { amount: Int! }"),
            SubgraphSDL(name: "b", sdl: "type Money @shareable { amount: String! }"),
        ])
        let issue = error?.issues.first { $0.code == .fieldTypeMismatch }
        #expect(issue?.coordinate == "Money.amount")
        #expect(issue?.subgraphs == ["a", "b"])
        #expect(issue?.message.contains("'Int!'") == true && issue?.message.contains("'String!'") == true)
    }

    @Test("a non-shareable field in two subgraphs is an error naming both")
    func nonShareable() {
        let error = compositionError([
            SubgraphSDL(name: "catalog", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Query { p: Product } type Product @key(fields: "id") { id: ID! title: String! }"#),
            SubgraphSDL(name: "search", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Product @key(fields: "id") { id: ID! title: String! }"#),
        ])
        let issue = error?.issues.first { $0.code == .invalidFieldSharing }
        #expect(issue?.coordinate == "Product.title")
        #expect(issue?.subgraphs == ["catalog", "search"])
        // The key field `id` is implicitly shareable: only one issue.
        #expect(error?.issues.count == 1)
    }

    @Test("a @key naming a missing field is an error naming subgraph and field")
    func keyMissingField() {
        let error = compositionError([
            SubgraphSDL(name: "catalog", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Query { p: Product } type Product @key(fields: "sku") { id: ID! }"#),
        ])
        let issue = error?.issues.first { $0.code == .keyInvalidFields }
        #expect(issue?.subgraphs == ["catalog"])
        #expect(issue?.message.contains("'sku'") == true)
    }

    @Test("an entity whose keys are all resolvable: false cannot be resolved")
    func unresolvableEntity() {
        let error = compositionError([
            SubgraphSDL(name: "orders", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Query { o: Order } type Order { id: ID! product: Product } type Product @key(fields: "id", resolvable: false) { id: ID! }"#),
        ])
        let issue = error?.issues.first { $0.code == .entityNotResolvable }
        #expect(issue?.coordinate == "Product")
        #expect(issue?.subgraphs == ["orders"])
    }

    @Test("@requires must name @external fields")
    func requiresNeedsExternal() {
        let error = compositionError([
            SubgraphSDL(name: "a", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@requires"]) type Query { p: Product } type Product @key(fields: "id") { id: ID! weight: Int estimate: Int @requires(fields: "weight") }"#),
        ])
        #expect(error?.issues.first?.code == .requiresInvalidFields)
        #expect(error?.issues.first?.coordinate == "Product.estimate")
    }

    @Test("an @external field no subgraph resolves is an error")
    func externalMissingOnBase() {
        let error = compositionError([
            SubgraphSDL(name: "a", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external"]) type Query { p: Product } type Product @key(fields: "id") { id: ID! weight: Int @external }"#),
        ])
        #expect(error?.issues.first?.code == .externalMissingOnBase)
        #expect(error?.issues.first?.coordinate == "Product.weight")
    }

    @Test("a third-party subgraph SDL with all federation machinery printed composes")
    func thirdPartySubgraph() throws {
        // What @apollo/subgraph's printSubgraphSchema and similar libraries return from _service.
        let reviews = SubgraphSDL(name: "reviews", url: "http://reviews:4002/graphql", sdl: #"""
            schema
              @link(url: "https://specs.apollo.dev/link/v1.0")
              @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires"])
            {
              query: Query
            }

            directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA
            directive @key(fields: federation__FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
            directive @shareable repeatable on OBJECT | FIELD_DEFINITION
            directive @external(reason: String) on OBJECT | FIELD_DEFINITION
            directive @requires(fields: federation__FieldSet!) on FIELD_DEFINITION
            directive @federation__tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION

            type Review @key(fields: "id") {
              id: ID!
              body: String! @federation__tag(name: "public")
              rating: Int!
            }

            type Product @key(fields: "id") {
              id: ID!
              reviews: [Review!]!
              averageRating: Float
            }

            enum link__Purpose {
              SECURITY
              EXECUTION
            }

            scalar link__Import
            scalar federation__FieldSet
            scalar _Any

            type _Service {
              sdl: String
            }

            union _Entity = Product | Review

            type Query {
              _entities(representations: [_Any!]!): [_Entity]!
              _service: _Service!
              review(id: ID!): Review
            }
            """#)
        let supergraph = try Supergraph.compose(EmporiumSubgraphs.subgraphs + [reviews])
        #expect(supergraph.field("reviews", on: "Product")?.resolvingSubgraphs == ["reviews"])
        #expect(supergraph.field("review", on: "Query")?.resolvingSubgraphs == ["reviews"])
        for name in ["_Entity", "_Service", "_Any", "link__", "federation__", "_entities"] {
            #expect(!supergraph.apiSDL.contains(name), "\(name) leaked into the API schema")
        }
        let plan = try QueryPlanner(supergraph: supergraph).plan(query: #"{ product(id: "1") { title reviews { body } stock { available } } }"#)
        #expect(Set(plan.root?.fetches.map(\.subgraph) ?? []) == ["catalog", "reviews", "inventory"])
    }

    @Test("a shared value type missing a field in one subgraph is unsatisfiable")
    func valueTypeMissingField() {
        let error = compositionError([
            SubgraphSDL(name: "catalog", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"]) type Query { price: Money } type Money @shareable { amount: Int! currency: String! }"#),
            SubgraphSDL(name: "orders", sdl: #"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@shareable"]) type Query { total: Money } type Money @shareable { amount: Int! }"#),
        ])
        let issue = error?.issues.first { $0.code == .satisfiability }
        #expect(issue?.coordinate == "Money.currency")
        #expect(issue?.message.contains("'orders'") == true)
    }

    @Test("invalid SDL names the subgraph")
    func invalidSDL() {
        let error = compositionError([SubgraphSDL(name: "broken", sdl: "type Query { a: }")])
        #expect(error?.issues.first?.code == .invalidSDL)
        #expect(error?.issues.first?.subgraphs == ["broken"])
        #expect(error?.description.contains("broken") == true)
    }

    private func compositionError(_ subgraphs: [SubgraphSDL]) -> CompositionError? {
        do {
            _ = try Supergraph.compose(subgraphs)
            return nil
        } catch {
            return error
        }
    }
}
