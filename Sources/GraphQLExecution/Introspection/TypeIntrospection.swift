import GraphQL
import OrderedCollections

/// The value behind a `__Type`: any type of the schema, named or wrapped (`[T]`, `T!`), with the
/// schema it belongs to (`possibleTypes` asks the schema, and every type it hands out needs it).
///
/// Answers as GraphQLSwift 4.3's introspection does, so a client sees the same schema as before:
/// `fields` and `inputFields` sorted by name, `enumValues` in definition order, and each field
/// null for the kinds it does not apply to. Two spec rules GraphQLSwift does not keep are kept
/// here: `inputFields(includeDeprecated:)` leaves deprecated fields out unless asked (GraphQLSwift
/// ignores the argument), and `isOneOf` is null for every kind but `INPUT_OBJECT` (GraphQLSwift
/// answers false).
struct TypeIntrospection: OutputValueConvertible {
    let type: any GraphQLType
    let schema: GraphQLSchema

    /// Spelled out: the same Swift type must always be completed as `__Type`.
    var outputValue: OutputValue { .object(self, type: "__Type") }

    /// The `__TypeKind` value.
    func kind() throws -> String {
        let kind: TypeKind
        switch type {
        case is GraphQLScalarType: kind = .scalar
        case is GraphQLObjectType: kind = .object
        case is GraphQLInterfaceType: kind = .interface
        case is GraphQLUnionType: kind = .union
        case is GraphQLEnumType: kind = .enum
        case is GraphQLInputObjectType: kind = .inputObject
        case is GraphQLList: kind = .list
        case is GraphQLNonNull: kind = .nonNull
        default: throw GraphQLError(message: "Unknown kind of type: \(type)")
        }
        return kind.rawValue
    }

    /// nil for a list or non-null type.
    var name: String? {
        (type as? any GraphQLNamedType)?.name
    }

    var description: String? {
        switch type {
        case let scalar as GraphQLScalarType: scalar.description
        case let object as GraphQLObjectType: object.description
        case let interface as GraphQLInterfaceType: interface.description
        case let union as GraphQLUnionType: union.description
        case let enumeration as GraphQLEnumType: enumeration.description
        case let inputObject as GraphQLInputObjectType: inputObject.description
        default: nil
        }
    }

    var specifiedByURL: String? {
        (type as? GraphQLScalarType)?.specifiedByURL
    }

    /// Objects and interfaces only.
    func fields(includeDeprecated: Bool) throws -> [FieldIntrospection]? {
        let fields: GraphQLFieldMap
        switch type {
        case let object as GraphQLObjectType: fields = try object.fields()
        case let interface as GraphQLInterfaceType: fields = try interface.fields()
        default: return nil
        }
        return fields
            .filter { includeDeprecated || $0.value.deprecationReason == nil }
            .sorted { $0.key < $1.key }
            .map { FieldIntrospection(name: $0.key, field: $0.value, schema: schema) }
    }

    /// Objects and interfaces only.
    func interfaces() throws -> [TypeIntrospection]? {
        let interfaces: [GraphQLInterfaceType]
        switch type {
        case let object as GraphQLObjectType: interfaces = try object.interfaces()
        case let interface as GraphQLInterfaceType: interfaces = try interface.interfaces()
        default: return nil
        }
        return interfaces.map { TypeIntrospection(type: $0, schema: schema) }
    }

    /// Interfaces and unions only: the object types a value may be.
    var possibleTypes: [TypeIntrospection]? {
        guard let abstract = type as? any GraphQLAbstractType else { return nil }
        return schema.getPossibleTypes(abstractType: abstract).map { TypeIntrospection(type: $0, schema: schema) }
    }

    /// Enums only.
    func enumValues(includeDeprecated: Bool) -> [EnumValueIntrospection]? {
        guard let enumeration = type as? GraphQLEnumType else { return nil }
        return enumeration.values
            .filter { includeDeprecated || !$0.isDeprecated }
            .map(EnumValueIntrospection.init)
    }

    /// Input objects only.
    func inputFields(includeDeprecated: Bool) throws -> [InputValueIntrospection]? {
        guard let inputObject = type as? GraphQLInputObjectType else { return nil }
        return try inputObject.fields()
            .filter { includeDeprecated || $0.value.deprecationReason == nil }
            .sorted { $0.key < $1.key }
            .map { name, field in
                InputValueIntrospection(
                    name: name, description: field.description, type: field.type, defaultValue: field.defaultValue,
                    deprecationReason: field.deprecationReason, schema: schema)
            }
    }

    /// Lists and non-null types only: the type they wrap.
    var ofType: TypeIntrospection? {
        switch type {
        case let list as GraphQLList: TypeIntrospection(type: list.ofType, schema: schema)
        case let nonNull as GraphQLNonNull: TypeIntrospection(type: nonNull.ofType, schema: schema)
        default: nil
        }
    }

    /// Input objects only.
    var isOneOf: Bool? {
        (type as? GraphQLInputObjectType)?.isOneOf
    }
}
