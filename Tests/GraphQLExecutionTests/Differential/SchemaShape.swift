import GraphQL
import OrderedCollections

/// What the operation generator needs to know of a schema, read once from GraphQLSwift's model:
/// every named type with its fields, arguments, possible types, enum values and input fields.
/// Introspection's types are in it too, and the query type gets the `__schema` and `__type` meta
/// fields, so generated selections wander into introspection like any other part of the schema.
struct SchemaShape: Sendable {
    indirect enum TypeRef: Sendable {
        case named(String)
        case list(TypeRef)
        case nonNull(TypeRef)

        var namedType: String {
            switch self {
            case .named(let name): name
            case .list(let inner), .nonNull(let inner): inner.namedType
            }
        }

        var isNonNull: Bool {
            if case .nonNull = self { return true }
            return false
        }

        var nullable: TypeRef {
            if case .nonNull(let inner) = self { return inner }
            return self
        }

        /// As written in a document (`[Int!]!`).
        var text: String {
            switch self {
            case .named(let name): name
            case .list(let inner): "[\(inner.text)]"
            case .nonNull(let inner): "\(inner.text)!"
            }
        }
    }

    enum Kind: Sendable {
        case scalar, object, interface, union, enumeration, inputObject
    }

    struct InputValue: Sendable {
        let name: String
        let type: TypeRef
        let hasDefault: Bool
    }

    struct Field: Sendable {
        let name: String
        let type: TypeRef
        let arguments: [InputValue]
    }

    struct NamedType: Sendable {
        let name: String
        let kind: Kind
        var fields: [Field] = []
        /// For an object: itself; for an abstract type: the object types that may stand for it.
        var possibleTypes: Set<String> = []
        var enumValues: [String] = []
        var inputFields: [InputValue] = []
    }

    let types: [String: NamedType]
    let queryType: String
    let mutationType: String?

    subscript(name: String) -> NamedType {
        types[name]!
    }

    /// Types a fragment inside a selection on `type` may be conditioned on: those sharing a
    /// possible type with it (spec §5.5.2.3 "Fragment Spread Is Possible").
    func fragmentConditions(on type: String) -> [String] {
        let possible = self[type].possibleTypes
        return types.values
            .filter { $0.kind == .object || $0.kind == .interface || $0.kind == .union }
            .filter { !$0.possibleTypes.isDisjoint(with: possible) }
            .map(\.name)
            .sorted()
    }

    init(_ schema: GraphQLSchema) throws {
        var types: [String: NamedType] = [:]
        for (name, type) in schema.typeMap {
            switch type {
            case let object as GraphQLObjectType:
                types[name] = NamedType(
                    name: name, kind: .object, fields: try Self.fields(object.fields()), possibleTypes: [name])
            case let interface as GraphQLInterfaceType:
                types[name] = NamedType(
                    name: name, kind: .interface, fields: try Self.fields(interface.fields()),
                    possibleTypes: Set(schema.getPossibleTypes(abstractType: interface).map(\.name)))
            case let union as GraphQLUnionType:
                types[name] = NamedType(
                    name: name, kind: .union, possibleTypes: Set(schema.getPossibleTypes(abstractType: union).map(\.name)))
            case let enumeration as GraphQLEnumType:
                types[name] = NamedType(name: name, kind: .enumeration, enumValues: enumeration.values.map(\.name))
            case let input as GraphQLInputObjectType:
                types[name] = NamedType(
                    name: name, kind: .inputObject,
                    inputFields: try input.fields().map { InputValue(name: $0.key, type: Self.ref($0.value.type), hasDefault: $0.value.defaultValue != nil) })
            default:
                types[name] = NamedType(name: name, kind: .scalar)
            }
        }
        queryType = schema.queryType!.name
        mutationType = schema.mutationType?.name
        types[queryType]!.fields += [
            Field(name: "__schema", type: .nonNull(.named("__Schema")), arguments: []),
            Field(name: "__type", type: .named("__Type"), arguments: [InputValue(name: "name", type: .nonNull(.named("String")), hasDefault: false)]),
        ]
        self.types = types
    }

    private static func fields(_ map: GraphQLFieldMap) -> [Field] {
        map.map { name, field in
            Field(
                name: name, type: ref(field.type),
                arguments: field.args.map { InputValue(name: $0.key, type: ref($0.value.type), hasDefault: $0.value.defaultValue != nil) })
        }
    }

    private static func ref(_ type: any GraphQLType) -> TypeRef {
        switch type {
        case let nonNull as GraphQLNonNull: .nonNull(ref(nonNull.ofType))
        case let list as GraphQLList: .list(ref(list.ofType))
        case let named as any GraphQLNamedType: .named(named.name)
        default: fatalError("unexpected type \(type)")
        }
    }

    func isComposite(_ name: String) -> Bool {
        let kind = self[name].kind
        return kind == .object || kind == .interface || kind == .union
    }
}
