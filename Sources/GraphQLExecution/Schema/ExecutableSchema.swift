public import GraphQL
import OrderedCollections

/// A GraphQL schema our engine executes: the SDL (the one source of the schema's shape, parsed and
/// validated by GraphQLSwift, whose `GraphQLSchema` serves validation and introspection) and the
/// typed resolvers of every field of every object type.
///
/// Made once per service at start-up; throws ``SchemaDefinitionError`` when the SDL and the
/// resolvers disagree (a field without a resolver, a resolver for no field), so a schema that
/// builds can execute every field it declares.
public final class ExecutableSchema<Context: Sendable>: Sendable {
    /// The SDL as the service wrote it (what `_service { sdl }` answers).
    public let sdl: String
    let runtime: SchemaRuntime

    public var schema: GraphQLSchema { runtime.schema }

    public init(sdl: String, federation: Federation<Context>? = nil, resolvers: SchemaResolvers<Context>) throws {
        var resolvers = resolvers
        let document = try GraphQL.parse(source: Source(body: sdl, name: "SDL"))
        var executableSDL = sdl
        if let federation {
            let entityTypes = Federation<Context>.entityTypes(in: document)
            executableSDL = Federation<Context>.executableSDL(serviceSDL: sdl, document: document, entityTypes: entityTypes)
            federation.register(into: &resolvers, serviceSDL: sdl, hasEntityUnion: !entityTypes.isEmpty)
            let missing = Set(entityTypes).subtracting(federation.entities.keys)
            if !missing.isEmpty {
                throw SchemaDefinitionError(problems: missing.sorted().map { "entity type \($0) has @key but no entity resolver" })
            }
        }
        Introspection<Context>.register(into: &resolvers)
        let schema = try buildSchema(source: executableSDL)
        self.sdl = sdl

        var problems = resolvers.duplicates.map { "\($0) has two resolvers" }
        var objects: [String: ObjectType] = [:]
        var typeNames: [ObjectIdentifier: String] = [:]
        var ambiguous: Set<ObjectIdentifier> = []
        for (name, type) in schema.typeMap {
            guard let objectType = type as? GraphQLObjectType else { continue }
            // Subscriptions are declared for the supergraph and served by the realtime gateway,
            // which reads each event's answer with queries: a subgraph never resolves them.
            if name == schema.subscriptionType?.name { continue }
            let fields = try objectType.fields()
            let entry = resolvers.objects[name]
            var resolved: [String: FieldResolution] = [:]
            for (fieldName, _) in fields {
                if let resolution = entry?.fields[fieldName] {
                    resolved[fieldName] = resolution
                } else {
                    problems.append("\(name).\(fieldName) has no resolver")
                }
            }
            for fieldName in (entry?.fields.keys).map(Array.init) ?? [] where fields[fieldName] == nil {
                problems.append("\(name).\(fieldName) has a resolver but the SDL declares no such field")
            }
            objects[name] = ObjectType(type: objectType, fields: fields, resolvers: resolved)
            if let swiftType = entry?.swiftType, swiftType != ObjectIdentifier(RootValue.self) {
                if typeNames[swiftType] != nil { ambiguous.insert(swiftType) }
                typeNames[swiftType] = name
            }
        }
        for name in resolvers.objects.keys where objects[name] == nil {
            problems.append("resolvers are declared for \(name), which the SDL does not declare as an object type")
        }
        guard problems.isEmpty else { throw SchemaDefinitionError(problems: problems.sorted()) }
        for swiftType in ambiguous { typeNames[swiftType] = nil }
        runtime = SchemaRuntime(schema: schema, objects: objects, typeNames: typeNames, typeResolvers: resolvers.typeResolvers)
    }
}

/// What the engine runs a schema with, whatever its context type.
final class SchemaRuntime: Sendable {
    let schema: GraphQLSchema
    let objects: [String: ObjectType]
    /// The GraphQL object type of a value, by its Swift type, where that is unambiguous.
    let typeNames: [ObjectIdentifier: String]
    let typeResolvers: [String: @Sendable (any Sendable) -> String?]

    init(
        schema: GraphQLSchema, objects: [String: ObjectType], typeNames: [ObjectIdentifier: String],
        typeResolvers: [String: @Sendable (any Sendable) -> String?]
    ) {
        self.schema = schema
        self.objects = objects
        self.typeNames = typeNames
        self.typeResolvers = typeResolvers
    }
}

/// One object type as the engine runs it: the GraphQLSwift definition of its fields and their
/// resolvers.
struct ObjectType: Sendable {
    let type: GraphQLObjectType
    let fields: GraphQLFieldMap
    let resolvers: [String: FieldResolution]
}

/// The SDL and the resolvers do not agree; every problem is listed.
public struct SchemaDefinitionError: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String { "the executable schema is not complete:\n" + problems.joined(separator: "\n") }
}
