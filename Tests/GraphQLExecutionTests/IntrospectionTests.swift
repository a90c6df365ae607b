import GraphQL
@testable import GraphQLExecution
import OrderedCollections
import Testing

/// Introspection answered by our engine, compared byte for byte with GraphQLSwift's own executor
/// on the same schema (introspection needs no resolvers of ours there), and the few places where
/// we follow the spec where GraphQLSwift does not, checked against the literal expected answers.
@Suite struct IntrospectionTests {
    // MARK: Same answers as GraphQLSwift

    @Test func fullIntrospectionQueryMatchesGraphQLSwift() async throws {
        let schema = try Self.executable(Self.shopSDL)
        let ours = try await Self.ourJSON(schema, Self.fullIntrospectionQuery)
        let theirs = try await Self.theirJSON(schema, Self.fullIntrospectionQuery)
        #expect(ours == theirs)
        #expect(!ours.contains("\"errors\""))
        // The schema's own types are there, with what the SDL says of them.
        #expect(ours.contains(#""specifiedByURL":"https://tools.ietf.org/html/rfc3339""#))
        #expect(ours.contains(#""description":"The shop.""#))
    }

    @Test(arguments: [
        #"{ __type(name: "Product") { __typename kind name description fields { name args { name defaultValue } type { kind name ofType { kind name } } isDeprecated deprecationReason } interfaces { name } possibleTypes { name } enumValues { name } inputFields { name } ofType { name } specifiedByURL } }"#,
        #"{ __type(name: "Product") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }"#,
        #"{ __type(name: "Availability") { kind enumValues { name description isDeprecated deprecationReason } all: enumValues(includeDeprecated: true) { name isDeprecated deprecationReason } fields { name } } }"#,
        #"{ __type(name: "SearchResult") { kind possibleTypes { name kind } interfaces { name } fields { name } } }"#,
        #"{ __type(name: "Node") { kind possibleTypes { name } interfaces { name } fields { name } } }"#,
        #"{ __type(name: "Named") { kind possibleTypes { name } interfaces { name } } }"#,
        #"{ __type(name: "TagFilter") { kind inputFields { name description type { kind name ofType { kind name ofType { kind name } } } defaultValue } fields { name } } }"#,
        #"{ __type(name: "DateTime") { kind name description specifiedByURL fields { name } enumValues { name } } }"#,
        #"{ __type(name: "String") { kind name description specifiedByURL } }"#,
        #"{ nothing: __type(name: "Nothing") { name } query: __type(name: "Query") { name fields { name args { name defaultValue type { name kind ofType { name kind ofType { name kind ofType { name } } } } } } } }"#,
        #"{ __type(name: "__Type") { name fields(includeDeprecated: true) { name args { name defaultValue type { kind name } } type { kind name ofType { kind name } } } } }"#,
        #"{ __type(name: "__DirectiveLocation") { name enumValues { name description } } }"#,
        #"{ __schema { __typename queryType { __typename name kind } mutationType { name } subscriptionType { name } directives { __typename name description isRepeatable locations args { __typename name description defaultValue type { kind name ofType { kind name } } } } } }"#,
        #"query($name: String!) { __type(name: $name) { name } ... on Query { again: __type(name: "Category") { name } } }"#,
        #"fragment Types on Query { __schema { types { name kind } } } { ...Types }"#,
    ])
    func typeQueriesMatchGraphQLSwift(query: String) async throws {
        let schema = try Self.executable(Self.shopSDL)
        let variables: [String: Map] = ["name": "Category"]
        let ours = try await Self.ourJSON(schema, query, variables: variables)
        let theirs = try await Self.theirJSON(schema, query, variables: variables)
        #expect(ours == theirs)
        #expect(!ours.contains("\"errors\""))
    }

    /// A schema with nothing but a query type still introspects the same (no mutation type, only
    /// the built-in directives).
    @Test func minimalSchemaMatchesGraphQLSwift() async throws {
        let schema = try Self.executable("type Query { ok: Boolean }")
        let ours = try await Self.ourJSON(schema, Self.fullIntrospectionQuery)
        let theirs = try await Self.theirJSON(schema, Self.fullIntrospectionQuery)
        #expect(ours == theirs)
    }

    // MARK: Where we follow the spec and GraphQLSwift does not

    /// Input object fields report their defaults (GraphQLSwift answers null for every one); nulls
    /// are printed, not dropped; strings are escaped once; an object default leaves out the fields
    /// it does not have (GraphQLSwift fails on them); an `ID` is bare only if it is an IntValue.
    @Test func defaultValuesOfInputFieldsAndNulls() async throws {
        let schema = try Self.executable(Self.defaultsSDL)
        let query = #"{ __type(name: "Options") { inputFields { name defaultValue } } }"#
        let ours = try await Self.ourJSON(schema, query)
        let expected = #"{"data":{"__type":{"inputFields":["#
            + #"{"name":"empty","defaultValue":"{  }"},"#
            + #"{"name":"limit","defaultValue":"10"},"#
            + #"{"name":"nested","defaultValue":"{ on: true, level: 1 }"},"#
            + #"{"name":"nothing","defaultValue":"null"},"#
            + #"{"name":"plain","defaultValue":null},"#
            + #"{"name":"text","defaultValue":"\"a\\\"b/c\\\\d\\n\\u0001\\u0085é\""},"#
            + #"{"name":"words","defaultValue":"[\"x\", null]"}"#
            + "]}}}"
        #expect(ours == expected)

        let arguments = #"{ __type(name: "Query") { fields { args { name defaultValue } } } }"#
        let ourArguments = try await Self.ourJSON(schema, arguments)
        #expect(ourArguments == #"{"data":{"__type":{"fields":[{"args":["#
            + #"{"name":"small","defaultValue":"{ limit: 3, text: \"x\" }"},"#
            + #"{"name":"nothing","defaultValue":"null"},"#
            + #"{"name":"json","defaultValue":"{ a: [1, 2.5, \"three\"], b: null }"},"#
            + #"{"name":"id","defaultValue":"\"007\""},"#
            + #"{"name":"options","defaultValue":null},"#
            + #"{"name":"choice","defaultValue":null}"#
            + "]}]}}}")
    }

    /// `args` and `inputFields` leave deprecated ones out unless `includeDeprecated: true`
    /// (GraphQLSwift ignores the argument), and `__InputValue.isDeprecated` answers (GraphQLSwift
    /// fails: its argument definitions have no such property).
    @Test func deprecatedArgumentsAndInputFields() async throws {
        let schema = try Self.executable(Self.defaultsSDL)
        let query = """
            { __type(name: "Query") { fields { \
            args { name } all: args(includeDeprecated: true) { name isDeprecated deprecationReason } } } \
            options: __type(name: "Options") { inputFields { name } all: inputFields(includeDeprecated: true) { name isDeprecated } } }
            """
        let ours = try await Self.ourJSON(schema, query)
        let arguments = ["small", "nothing", "json", "id", "options", "choice"]
        let allArguments = ["small", "nothing", "json", "id", "old", "options", "choice"]
        let fields = ["empty", "limit", "nested", "nothing", "plain", "text", "words"]
        let allFields = ["empty", "limit", "nested", "nothing", "obsolete", "plain", "text", "words"]
        let expected = #"{"data":{"__type":{"fields":[{"args":["#
            + arguments.map { #"{"name":"\#($0)"}"# }.joined(separator: ",")
            + #"],"all":["#
            + allArguments.map { name in
                name == "old"
                    ? #"{"name":"old","isDeprecated":true,"deprecationReason":"Gone."}"#
                    : #"{"name":"\#(name)","isDeprecated":false,"deprecationReason":null}"#
            }.joined(separator: ",")
            + #"]}]},"options":{"inputFields":["#
            + fields.map { #"{"name":"\#($0)"}"# }.joined(separator: ",")
            + #"],"all":["#
            + allFields.map { #"{"name":"\#($0)","isDeprecated":\#($0 == "obsolete")}"# }.joined(separator: ",")
            + "]}}}"
        #expect(ours == expected)
    }

    /// `isOneOf` is true or false for input objects and null for every other kind (GraphQLSwift
    /// answers false).
    @Test func isOneOf() async throws {
        let schema = try Self.executable(Self.defaultsSDL)
        let query = #"{ a: __type(name: "Options") { isOneOf } b: __type(name: "Choice") { isOneOf } c: __type(name: "Query") { isOneOf } }"#
        let ours = try await Self.ourJSON(schema, query)
        #expect(ours == #"{"data":{"a":{"isOneOf":false},"b":{"isOneOf":true},"c":{"isOneOf":null}}}"#)
    }

    /// The planner asks for `__schema: __Schema!` and `__type(name: String!): __Type`, and gets
    /// nothing for other root fields.
    @Test func metaFields() throws {
        let schema = try Self.executable(Self.shopSDL)
        #expect(IntrospectionMetaFields.metaField("__schema", schema: schema.schema)?.type is GraphQLNonNull)
        #expect(IntrospectionMetaFields.metaField("__type", schema: schema.schema)?.arguments.map(\.name) == ["name"])
        #expect(IntrospectionMetaFields.metaField("product", schema: schema.schema) == nil)
    }

    // MARK: Running both executors

    /// Our engine's whole response as JSON.
    static func ourJSON(_ schema: ExecutableSchema<Void>, _ query: String, variables: [String: Map] = [:]) async throws -> String {
        let document = try GraphQL.parse(source: Source(body: query))
        let problems = GraphQL.validate(schema: schema.schema, ast: document)
        #expect(problems.isEmpty, "\(problems)")
        let result = await schema.execute(document: document, operationName: nil, variables: variables, context: ())
        var bytes: [UInt8] = []
        result.writeJSON(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// GraphQLSwift's response, written by the same JSON writer.
    static func theirJSON(_ schema: ExecutableSchema<Void>, _ query: String, variables: [String: Map] = [:]) async throws -> String {
        let result = try await GraphQL.graphql(schema: schema.schema, request: query, variableValues: variables)
        var bytes: [UInt8] = []
        JSONWriter.writeResponse(errors: result.errors, into: &bytes) { out in
            JSONWriter.write(result.data ?? .null, into: &out)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The schema with a resolver answering null for every field of every object type: the
    /// introspection queries never reach them.
    static func executable(_ sdl: String) throws -> ExecutableSchema<Void> {
        let model = try buildSchema(source: sdl)
        var resolvers = SchemaResolvers<Void>()
        for (name, type) in model.typeMap where !name.hasPrefix("__") {
            guard let object = type as? GraphQLObjectType else { continue }
            let fields = Array(try object.fields().keys)
            resolvers.object(name, Stub.self) { type in
                for field in fields { type.field(field, resolve: { _, _, _ in OutputValue.null }) }
            }
        }
        return try ExecutableSchema(sdl: sdl, resolvers: resolvers)
    }

    struct Stub: Sendable {}

    // MARK: Schemas and queries

    /// Everything introspection describes, in the forms GraphQLSwift answers correctly: argument
    /// defaults of every kind (input fields without defaults, see ``defaultsSDL``).
    static let shopSDL = #"""
        """The shop."""
        schema {
          query: Query
          mutation: Mutation
        }

        "An instant, as RFC 3339 text."
        scalar DateTime @specifiedBy(url: "https://tools.ietf.org/html/rfc3339")

        scalar JSON

        "Caches the field's value."
        directive @cached(
          "Seconds."
          ttl: Int = 60
          scope: CacheScope = PUBLIC
        ) repeatable on FIELD_DEFINITION | OBJECT

        directive @tag(name: String!, weights: [Float!] = [0.5, 1, 2.25]) on FIELD | QUERY | FRAGMENT_SPREAD | INLINE_FRAGMENT

        enum CacheScope {
          PUBLIC
          PRIVATE
        }

        "Whether a product can be bought."
        enum Availability {
          "On the shelf."
          IN_STOCK
          PREORDER
          DISCONTINUED @deprecated(reason: "Use `PREORDER`, or nothing.")
          LEGACY @deprecated
        }

        enum TagKind {
          NEW
          SALE
          CLEARANCE
        }

        enum SortOrder {
          ASC
          DESC
        }

        "Anything with an identity."
        interface Node {
          id: ID!
        }

        interface Named implements Node {
          id: ID!
          "What people call it."
          name: String!
        }

        "Something to buy."
        type Product implements Node & Named @cached(ttl: 5) {
          id: ID!
          name: String!
          """
          The price in a currency,
          rounded.
          """
          price(currency: String = "EUR", rounding: Float = 0.5, scale: Float = 2, times: Int = -3, exact: Boolean = true): Float
          oldPrice: Float @deprecated(reason: "Use `price`.")
          availability: Availability!
          tags(
            first: Int = 10
            filter: TagFilter = {prefix: "a b", kinds: [NEW, SALE], limit: 3, nested: {kinds: CLEARANCE, prefix: "x", limit: 1, ids: []}, ids: ["1", "two"]}
          ): [String!]!
          releasedAt(after: DateTime = "2020-01-01T00:00:00Z"): DateTime
          metadata(defaultNumber: JSON = 5, defaultText: JSON = "x", defaultEnum: JSON = RED): JSON
          related(order: [SortOrder!]! = [ASC, DESC], single: [SortOrder] = DESC, ids: [ID!] = ["1", "abc", "-12"], matrix: [[Int]] = [[1, 2], [3]]): [Product!]
          everything(longList: [String!] = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"], longObject: TagFilter = {prefix: "a rather long prefix to break the line", kinds: [NEW, SALE, CLEARANCE], limit: 100000, ids: []}): Boolean
        }

        type Category implements Node {
          id: ID!
          products(first: Int!, after: ID, availability: Availability = IN_STOCK): [Product!]!
          parent: Category
        }

        union SearchResult = Product | Category

        "How to pick tags."
        input TagFilter {
          "Text the tag starts with."
          prefix: String
          kinds: [TagKind!]
          limit: Int
          nested: TagFilter
          ids: [ID!]
        }

        type Query {
          node(id: ID!): Node
          search(text: String!, limit: Int = 20): [SearchResult!]!
          products(filter: TagFilter, order: SortOrder = DESC): [Product!]!
        }

        type Mutation {
          rename(id: ID!, name: String!): Named
        }
        """#

    /// The places where we differ from GraphQLSwift (see the tests above).
    static let defaultsSDL = #"""
        scalar JSON

        input Options {
          limit: Int = 10
          text: String = "a\"b/c\\d\n\u0001\u0085é"
          words: [String] = ["x", null]
          nested: Flags = {on: true}
          nothing: String = null
          empty: Bare = {}
          plain: String
          obsolete: Int @deprecated(reason: "Gone.")
        }

        input Flags {
          on: Boolean
          level: Int = 1
        }

        input Bare {
          x: Int
        }

        input Small {
          limit: Int
          on: Boolean
          text: String
        }

        input Choice @oneOf {
          a: Int
          b: String
        }

        type Query {
          run(
            small: Small = {limit: 3, text: "x"}
            nothing: Int = null
            json: JSON = {a: [1, 2.5, "three"], b: null}
            id: ID = "007"
            old: Int @deprecated(reason: "Gone.")
            options: Options
            choice: Choice
          ): Boolean
        }
        """#

    /// graphql-js's `getIntrospectionQuery` with descriptions, `specifiedByURL`, `isRepeatable`
    /// and the schema's description.
    static let fullIntrospectionQuery = """
        query IntrospectionQuery {
          __schema {
            description
            queryType { name }
            mutationType { name }
            subscriptionType { name }
            types { ...FullType }
            directives {
              name
              description
              isRepeatable
              locations
              args { ...InputValue }
            }
          }
        }

        fragment FullType on __Type {
          kind
          name
          description
          specifiedByURL
          fields(includeDeprecated: true) {
            name
            description
            args { ...InputValue }
            type { ...TypeRef }
            isDeprecated
            deprecationReason
          }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) {
            name
            description
            isDeprecated
            deprecationReason
          }
          possibleTypes { ...TypeRef }
        }

        fragment InputValue on __InputValue {
          name
          description
          type { ...TypeRef }
          defaultValue
        }

        fragment TypeRef on __Type {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                    ofType {
                      kind
                      name
                      ofType {
                        kind
                        name
                      }
                    }
                  }
                }
              }
            }
          }
        }
        """
}
