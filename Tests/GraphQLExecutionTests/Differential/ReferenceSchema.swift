import GraphQL
import OrderedCollections

/// The reference side of the differential suite: the shop's schema built with GraphQLSwift's type
/// constructors, every field with a GraphQLSwift resolver, executed by GraphQLSwift's `execute`.
/// Our engine gets the same schema as SDL (`printSchema` of this one), so both sides agree on the
/// schema by construction and differ only in how they execute it.
///
/// The shape is chosen to reach every corner of execution: interfaces implementing interfaces
/// (`Pet: Node & Named`), a union, enums with a deprecated value, a custom scalar, input objects
/// with defaults, nesting, recursion and lists of lists, nullable and non-null fields at every
/// depth, fields that echo their coerced arguments, fields that throw or break their non-null
/// promise, slow fields, and mutations whose order shows in their answers. Fields sharing a name
/// across the types of an abstract type share their type too, so the generated selections never
/// conflict (GraphQLSwift 4.3 does not run "Overlapping Fields Can Be Merged").
final class ReferenceSchema {
    typealias Arguments = OrderedDictionary<String, Map>

    /// Built lazily: the types refer to one another through these, and their field maps are
    /// thunks GraphQLSwift evaluates when it needs them (the thunks keep this builder alive).
    lazy var species = Self.enumeration("Species", ["DOG", "CAT"], description: "What kind of pet.")
    lazy var color = Self.enumeration("Color", ["RED", "GREEN", "BLUE", "PURPLE"], deprecated: ["PURPLE": "Use BLUE."])
    lazy var sortOrder = Self.enumeration("SortOrder", ["ASC", "DESC"])
    lazy var currency = Self.enumeration("Currency", ["EUR", "USD", "RUB"])
    lazy var dateTime = try! GraphQLScalarType(
        name: "DateTime",
        description: "An instant, as an RFC 3339 string.",
        specifiedByURL: "https://scalars.graphql.org/andimarek/date-time",
        serialize: { value in
            guard let text = value as? String else { throw ResolverFailure("DateTime cannot represent \(value)") }
            return .string(text)
        })

    lazy var priceRange = try! GraphQLInputObjectType(
        name: "PriceRange",
        fields: [
            "min": InputObjectField(type: GraphQLFloat, defaultValue: .number(Number(0.0))),
            "max": InputObjectField(type: GraphQLFloat),
        ])
    lazy var productFilter = try! GraphQLInputObjectType(
        name: "ProductFilter",
        description: "Which products to list.",
        fields: [
            "text": InputObjectField(type: GraphQLString, description: "Part of the name."),
            "inStock": InputObjectField(type: GraphQLBoolean),
            "price": InputObjectField(
                type: priceRange, defaultValue: .dictionary(["min": .number(Number(0.0)), "max": .number(Number(1000.0))])),
            "colors": InputObjectField(type: GraphQLList(GraphQLNonNull(color)), defaultValue: .array([.string("RED"), .string("GREEN")])),
            "tags": InputObjectField(type: GraphQLList(GraphQLList(GraphQLNonNull(GraphQLString)))),
            "order": InputObjectField(type: sortOrder, defaultValue: .string("ASC")),
        ])
    /// Recursive, with a required field, defaults, lists of itself and of lists.
    lazy var echoInput: GraphQLInputObjectType = try! GraphQLInputObjectType(
        name: "EchoInput",
        fields: { [self] in
            [
                "s": InputObjectField(type: GraphQLString),
                "i": InputObjectField(type: GraphQLInt, defaultValue: .number(3)),
                "f": InputObjectField(type: GraphQLFloat),
                "b": InputObjectField(type: GraphQLNonNull(GraphQLBoolean)),
                "color": InputObjectField(type: color, defaultValue: .string("BLUE")),
                "id": InputObjectField(type: GraphQLID),
                "when": InputObjectField(type: dateTime),
                "nested": InputObjectField(type: echoInput),
                "list": InputObjectField(type: GraphQLList(GraphQLNonNull(echoInput))),
                "matrix": InputObjectField(type: GraphQLList(GraphQLList(GraphQLInt))),
            ]
        })

    lazy var node = try! GraphQLInterfaceType(
        name: "Node",
        description: "Anything with an id.",
        fields: ["id": GraphQLField(type: GraphQLNonNull(GraphQLID))],
        resolveType: { value, _ in graphQLTypeName(of: value) ?? "Unknown" })
    lazy var named = try! GraphQLInterfaceType(
        name: "Named",
        fields: ["name": GraphQLField(type: GraphQLNonNull(GraphQLString))],
        resolveType: { value, _ in graphQLTypeName(of: value) ?? "Unknown" })
    lazy var pet: GraphQLInterfaceType = try! GraphQLInterfaceType(
        name: "Pet",
        description: """
            A pet of the shop's customers.
            Dogs and cats share one Swift type.
            """,
        fields: { [self] in
            [
                "id": GraphQLField(type: GraphQLNonNull(GraphQLID)),
                "name": GraphQLField(type: GraphQLNonNull(GraphQLString)),
                "species": GraphQLField(type: GraphQLNonNull(species)),
                "owner": GraphQLField(type: person),
                "nickname": GraphQLField(type: GraphQLString),
            ]
        },
        interfaces: { [self] in [node, named] },
        resolveType: { value, _ in graphQLTypeName(of: value) ?? "Unknown" })
    /// No `resolveType`: GraphQLSwift falls back to each member's `isTypeOf`.
    lazy var searchResult = try! GraphQLUnionType(name: "SearchResult", types: { [self] in [person, dog, cat, product] })

    lazy var person = try! GraphQLObjectType(
        name: "Person", description: "A customer.", fields: { [self] in personFields() },
        interfaces: { [self] in [node, named] }, isTypeOf: { value, _ in value is PersonRecord })
    lazy var dog = try! GraphQLObjectType(
        name: "Dog", fields: { [self] in dogFields() }, interfaces: { [self] in [pet, node, named] },
        isTypeOf: { value, _ in (value as? PetRecord)?.species == "DOG" })
    lazy var cat = try! GraphQLObjectType(
        name: "Cat", fields: { [self] in catFields() }, interfaces: { [self] in [pet, node, named] },
        isTypeOf: { value, _ in (value as? PetRecord)?.species == "CAT" })
    lazy var product = try! GraphQLObjectType(
        name: "Product", fields: { [self] in productFields() }, interfaces: { [self] in [node, named] },
        isTypeOf: { value, _ in value is ProductRecord })
    lazy var variant = try! GraphQLObjectType(name: "Variant", fields: { [self] in variantFields() })
    lazy var review = try! GraphQLObjectType(
        name: "Review", fields: { [self] in reviewFields() }, interfaces: { [self] in [node] })
    lazy var counter = try! GraphQLObjectType(name: "Counter", fields: { [self] in counterFields() })
    lazy var query = try! GraphQLObjectType(name: "Query", fields: { [self] in queryFields() })
    lazy var mutation = try! GraphQLObjectType(name: "Mutation", fields: { [self] in mutationFields() })

    func make() throws -> GraphQLSchema {
        try GraphQLSchema(query: query, mutation: mutation, types: [dog, cat, person, product, review])
    }

    // MARK: Building blocks

    static func enumeration(_ name: String, _ values: [String], description: String? = nil, deprecated: [String: String] = [:]) -> GraphQLEnumType {
        var map = GraphQLEnumValueMap()
        for value in values {
            map[value] = GraphQLEnumValue(value: .string(value), deprecationReason: deprecated[value])
        }
        return try! GraphQLEnumType(name: name, description: description, values: map)
    }

    /// A field resolved from its source, its arguments (completed by ``ReferenceArguments``) and
    /// the shop.
    static func field<Source>(
        _ type: any GraphQLOutputType, of _: Source.Type, description: String? = nil, deprecated: String? = nil,
        args: GraphQLArgumentConfigMap = [:],
        _ resolve: @escaping @Sendable (Source, ShopArguments, ShopState) async throws -> (any Sendable)?
    ) -> GraphQLField {
        GraphQLField(
            type: type, description: description, deprecationReason: deprecated, args: args,
            resolve: { source, arguments, context, _ in
                try await resolve(source as! Source, ShopArguments(ReferenceArguments.complete(arguments, args)), context as! ShopState)
            })
    }
}
