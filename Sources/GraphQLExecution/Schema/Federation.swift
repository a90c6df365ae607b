public import GraphQL

/// Resolves federation's `_entities` for one type: the representations the gateway sent
/// (`__typename` and the key fields, as they came), answered in their order — `.null` for one
/// that does not resolve, `.failure` for one that failed on its own. One call per type per
/// request: batch loading is the resolver's business.
public typealias EntityResolver<Context: Sendable> = @Sendable (_ representations: [Map], _ context: Context) async throws -> [OutputValue]

/// What makes a schema an Apollo Federation v2 subgraph: `_service { sdl }` and `_entities` for
/// the types with `@key`, whose resolvers are given here by type name.
public struct Federation<Context: Sendable>: Sendable {
    let entities: [String: EntityResolver<Context>]

    public init(entities: [String: EntityResolver<Context>]) {
        self.entities = entities
    }


    /// The SDL to build: the service's own, the prelude, the `_Entity` union of the types with a
    /// resolvable `@key`, and the two root fields.
    static func executableSDL(serviceSDL: String, document: Document, entityTypes: [String]) -> String {
        let hasQuery = document.definitions.contains { ($0 as? ObjectTypeDefinition)?.name.value == "Query" }
        var fields = "  _service: _Service!\n"
        var text = serviceSDL + "\n" + FederationPrelude.definitions + "\n"
        if !entityTypes.isEmpty {
            text += "union _Entity = \(entityTypes.joined(separator: " | "))\n"
            fields = "  _entities(representations: [_Any!]!): [_Entity]!\n" + fields
        }
        text += (hasQuery ? "extend type Query {\n" : "type Query {\n") + fields + "}\n"
        return text
    }

    /// The object types with a resolvable `@key`.
    static func entityTypes(in document: Document) -> [String] {
        document.definitions.compactMap { definition -> String? in
            guard let type = definition as? ObjectTypeDefinition,
                  type.directives.contains(where: { $0.name.value == "key" && !isUnresolvable($0) })
            else { return nil }
            return type.name.value
        }
    }

    private static func isUnresolvable(_ key: Directive) -> Bool {
        key.arguments.contains { $0.name.value == "resolvable" && ($0.value as? BooleanValue)?.value == false }
    }
}

/// The value behind `_service`.
struct ServiceDefinition: Sendable {
    let sdl: String
}

extension Federation {
    /// `_service` and `_entities`, added to the service's own resolvers.
    func register(into resolvers: inout SchemaResolvers<Context>, serviceSDL: String, hasEntityUnion: Bool) {
        resolvers.object("_Service", ServiceDefinition.self) { type in
            type.field("sdl") { $0.sdl }
        }
        let entities = self.entities
        resolvers.query { query in
            query.field("_service") { _ in OutputValue.object(ServiceDefinition(sdl: serviceSDL)) }
            if hasEntityUnion {
                query.field("_entities", async: { _, arguments, context in
                    try await Self.resolve(arguments["representations"].array ?? [], context: context, entities: entities)
                })
            }
        }
    }

    /// Groups the representations by type, asks each type's resolver once, and puts the answers
    /// back in the representations' order.
    static func resolve(_ representations: [Map], context: Context, entities: [String: EntityResolver<Context>]) async throws -> OutputValue {
        var positions: [String: [Int]] = [:]
        for (index, representation) in representations.enumerated() {
            guard let typename = representation["__typename"].string else {
                throw GraphQLError(message: "representation \(index) has no __typename")
            }
            guard entities[typename] != nil else {
                throw GraphQLError(message: "Federated type not found: \(typename)")
            }
            positions[typename, default: []].append(index)
        }
        var results = [OutputValue](repeating: .null, count: representations.count)
        for (typename, indexes) in positions.sorted(by: { $0.key < $1.key }) {
            guard let resolve = entities[typename] else { continue }  // checked above
            let answers = try await resolve(indexes.map { representations[$0] }, context)
            guard answers.count == indexes.count else {
                throw GraphQLError(message: "the \(typename) entity resolver answered \(answers.count) values for \(indexes.count) representations")
            }
            for (index, answer) in zip(indexes, answers) {
                results[index] = Self.typed(answer, as: typename)
            }
        }
        return .list(results)
    }

    /// An entity resolver's answer names its type: the representation said it.
    private static func typed(_ value: OutputValue, as typename: String) -> OutputValue {
        if case .object(let source, nil) = value { return .object(source, type: typename) }
        return value
    }
}

enum FederationPrelude {
    /// Definitions the subgraph SDL uses without declaring them: federation's directives and
    /// scalars, and the service type. Added before building the executable schema; the SDL that
    /// `_service` answers stays as the service wrote it.
    static let definitions = #"""
        directive @link(url: String!, as: String, import: [link__Import], for: link__Purpose) repeatable on SCHEMA
        directive @key(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
        directive @requires(fields: FieldSet!) on FIELD_DEFINITION
        directive @provides(fields: FieldSet!) on FIELD_DEFINITION
        directive @external(reason: String) on OBJECT | FIELD_DEFINITION
        directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
        directive @extends on OBJECT | INTERFACE
        directive @shareable repeatable on OBJECT | FIELD_DEFINITION
        directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
        directive @override(from: String!) on FIELD_DEFINITION
        directive @interfaceObject on OBJECT
        directive @composeDirective(name: String!) repeatable on SCHEMA
        scalar link__Import
        enum link__Purpose { SECURITY EXECUTION }
        scalar FieldSet
        scalar _Any
        type _Service { sdl: String }
        """#
}
