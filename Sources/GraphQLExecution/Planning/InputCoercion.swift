import GraphQL
import OrderedCollections

/// Input coercion of the spec (sections 5.8 and 6.1.2 / 6.4.1 "CoerceVariableValues",
/// "CoerceArgumentValues"): variables from the request's JSON and argument literals from the
/// document become values of their input types — defaults filled in, a single value wrapped into
/// a one-item list, enums as their names, `Int` within 32 bits. Nothing here trusts the client:
/// numbers are range-checked before any conversion, so no value can trap.
enum InputCoercion {
    static let int32Range = Double(Int32.min)...Double(Int32.max)

    // MARK: Variables

    /// The operation's variables, coerced; a request error names the first variable that is wrong.
    static func variableValues(
        _ definitions: [VariableDefinition], inputs: [String: Map], schema: GraphQLSchema, plans: PlanStore? = nil
    ) -> Result<[String: Map], GraphQLError> {
        var values: [String: Map] = [:]
        for definition in definitions {
            let name = definition.variable.name.value
            let type = plans?.inputType(of: definition) { inputType(definition.type, schema: schema) } ?? inputType(definition.type, schema: schema)
            guard let type else {
                return .failure(GraphQLError(message: "Variable \"$\(name)\" has an unknown type.", nodes: [definition]))
            }
            let input = inputs[name] ?? .undefined
            do {
                if input.isUndefined {
                    if let defaultValue = definition.defaultValue {
                        values[name] = try valueFromAST(defaultValue, type: type, variables: [:])
                    } else if type is GraphQLNonNull {
                        throw CoercionError("Variable \"$\(name)\" of required type \"\(definition.type.printed)\" was not provided.")
                    }
                    continue
                }
                values[name] = try coerce(input, to: type, at: "$\(name)")
            } catch let error as CoercionError {
                let message = error.message.hasPrefix("Variable") ? error.message : "Variable \"$\(name)\" got invalid value: \(error.message)"
                return .failure(GraphQLError(message: message, nodes: [definition]))
            } catch {
                return .failure(GraphQLError(message: "Variable \"$\(name)\" got invalid value: \(error)", nodes: [definition]))
            }
        }
        return .success(values)
    }

    /// A JSON input value as a value of `type`.
    static func coerce(_ value: Map, to type: any GraphQLInputType, at path: String) throws -> Map {
        if let nonNull = type as? GraphQLNonNull {
            if value.isNull || value.isUndefined { throw CoercionError("\(path) must not be null (\(type)).") }
            return try coerce(value, to: try inputType(wrappedBy: nonNull), at: path)
        }
        if value.isNull { return .null }
        switch type {
        case let list as GraphQLList:
            let itemType = try inputType(wrappedBy: list)
            if case .array(let items) = value {
                return .array(try items.enumerated().map { try coerce($1, to: itemType, at: "\(path)[\($0)]") })
            }
            return .array([try coerce(value, to: itemType, at: path)])
        case let object as GraphQLInputObjectType:
            guard case .dictionary(let given) = value else { throw CoercionError("\(path) must be an input object \(object.name).") }
            let fields = try object.fields()
            for key in given.keys where fields[key] == nil {
                throw CoercionError("\(path) has field \"\(key)\", which \(object.name) does not define.")
            }
            var result = OrderedDictionary<String, Map>()
            for (name, field) in fields {
                if let fieldValue = given[name], !fieldValue.isUndefined {
                    result[name] = try coerce(fieldValue, to: field.type, at: "\(path).\(name)")
                } else if let defaultValue = field.defaultValue {
                    result[name] = defaultValue
                } else if field.type is GraphQLNonNull {
                    throw CoercionError("\(path).\(name) of required type \(field.type) was not provided.")
                }
            }
            return .dictionary(result)
        case let enumeration as GraphQLEnumType:
            guard let name = value.string, enumeration.values.contains(where: { $0.name == name }) else {
                throw CoercionError("\(path): \(enumeration.name) has no value \(value.description.prefix(80)).")
            }
            return .string(name)
        case let scalar as GraphQLScalarType:
            return try coerceScalar(value, scalar, at: path)
        default:
            throw CoercionError("\(path) has a type that is not an input type.")
        }
    }

    private static func coerceScalar(_ value: Map, _ scalar: GraphQLScalarType, at path: String) throws -> Map {
        switch scalar.name {
        case "Int":
            guard case .number(let number) = value, int32Range.contains(number.doubleValue),
                  number.doubleValue.rounded(.towardZero) == number.doubleValue
            else { throw CoercionError("\(path) must be an Int (a whole number from \(Int32.min) to \(Int32.max)).") }
            return .int(Int(number.doubleValue))
        case "Float":
            guard case .number(let number) = value, number.doubleValue.isFinite else { throw CoercionError("\(path) must be a Float.") }
            return .number(number)
        case "String":
            guard case .string = value else { throw CoercionError("\(path) must be a String.") }
            return value
        case "Boolean":
            guard case .bool = value else { throw CoercionError("\(path) must be a Boolean.") }
            return value
        case "ID":
            if case .string = value { return value }
            if case .number(let number) = value, abs(number.doubleValue) < 9.0e15,
               number.doubleValue.rounded(.towardZero) == number.doubleValue {
                return .string(String(Int(number.doubleValue)))
            }
            throw CoercionError("\(path) must be an ID (a string or a whole number).")
        default:
            return try scalar.parseValue(value: value)
        }
    }

    // MARK: Arguments

    /// A field's arguments from its nodes in the document and the request's variables.
    static func argumentValues(
        _ definitions: [ArgumentDefinition], _ nodes: [Argument], variables: [String: Map]
    ) -> Result<FieldArguments, GraphQLError> {
        var values = OrderedDictionary<String, Map>()
        for definition in definitions {
            let node = nodes.first { $0.name.value == definition.name }
            do {
                var value: Map = .undefined
                if let node {
                    if let variable = node.value as? Variable {
                        value = variables[variable.name.value] ?? .undefined
                    } else {
                        value = try valueFromAST(node.value, type: definition.type, variables: variables)
                    }
                }
                if value.isUndefined, let defaultValue = definition.defaultValue { value = defaultValue }
                if value.isUndefined {
                    if definition.type is GraphQLNonNull {
                        throw CoercionError("Argument \"\(definition.name)\" of required type \"\(definition.type)\" was not provided.")
                    }
                    continue
                }
                if value.isNull, definition.type is GraphQLNonNull {
                    throw CoercionError("Argument \"\(definition.name)\" of non-null type \"\(definition.type)\" must not be null.")
                }
                values[definition.name] = value
            } catch let error as CoercionError {
                return .failure(GraphQLError(message: error.message, nodes: node.map { [$0] } ?? []))
            } catch {
                return .failure(GraphQLError(message: "Argument \"\(definition.name)\" has an invalid value: \(error)", nodes: node.map { [$0] } ?? []))
            }
        }
        return .success(FieldArguments(values))
    }

    /// A literal (possibly holding variables) as a value of `type`; `.undefined` for a variable
    /// the request did not give.
    static func valueFromAST(_ node: any Value, type: any GraphQLInputType, variables: [String: Map]) throws -> Map {
        if let variable = node as? Variable {
            return variables[variable.name.value] ?? .undefined
        }
        if let nonNull = type as? GraphQLNonNull {
            let value = try valueFromAST(node, type: try inputType(wrappedBy: nonNull), variables: variables)
            if value.isNull { throw CoercionError("Expected a non-null \(type), found null.") }
            return value
        }
        if node is NullValue { return .null }
        switch type {
        case let list as GraphQLList:
            let itemType = try inputType(wrappedBy: list)
            if let listNode = node as? ListValue {
                var items: [Map] = []
                for item in listNode.values {
                    let value = try valueFromAST(item, type: itemType, variables: variables)
                    // A variable the request did not give becomes null inside a list.
                    items.append(value.isUndefined ? .null : value)
                }
                return .array(items)
            }
            return .array([try valueFromAST(node, type: itemType, variables: variables)])
        case let object as GraphQLInputObjectType:
            guard let objectNode = node as? ObjectValue else { throw CoercionError("Expected an input object \(object.name).") }
            var result = OrderedDictionary<String, Map>()
            for (name, field) in try object.fields() {
                let value = try objectNode.fields.first { $0.name.value == name }
                    .map { try valueFromAST($0.value, type: field.type, variables: variables) } ?? .undefined
                if !value.isUndefined {
                    result[name] = value
                } else if let defaultValue = field.defaultValue {
                    result[name] = defaultValue
                } else if field.type is GraphQLNonNull {
                    throw CoercionError("Field \(object.name).\(name) of required type \(field.type) was not provided.")
                }
            }
            return .dictionary(result)
        case let enumeration as GraphQLEnumType:
            guard let enumNode = node as? EnumValue, enumeration.values.contains(where: { $0.name == enumNode.value }) else {
                throw CoercionError("Enum \"\(enumeration.name)\" cannot represent \(print(ast: node)).")
            }
            return .string(enumNode.value)
        case let scalar as GraphQLScalarType:
            return try scalarFromAST(node, scalar, variables: variables)
        default:
            throw CoercionError("\(type) is not an input type.")
        }
    }

    private static func scalarFromAST(_ node: any Value, _ scalar: GraphQLScalarType, variables: [String: Map]) throws -> Map {
        switch (scalar.name, node) {
        case ("Int", let int as IntValue):
            guard let value = Int(int.value), value >= Int(Int32.min), value <= Int(Int32.max) else {
                throw CoercionError("Int cannot represent non 32-bit signed integer value: \(int.value.prefix(40))")
            }
            return .int(value)
        case ("Float", let int as IntValue):
            guard let value = Double(int.value), value.isFinite else { throw CoercionError("Float cannot represent \(int.value.prefix(40))") }
            return .double(value)
        case ("Float", let float as FloatValue):
            guard let value = Double(float.value), value.isFinite else { throw CoercionError("Float cannot represent \(float.value.prefix(40))") }
            return .double(value)
        case ("String", let string as StringValue):
            return .string(string.value)
        case ("Boolean", let bool as BooleanValue):
            return .bool(bool.value)
        case ("ID", let string as StringValue):
            return .string(string.value)
        case ("ID", let int as IntValue):
            return .string(int.value)
        case ("Int", _), ("Float", _), ("String", _), ("Boolean", _), ("ID", _):
            throw CoercionError("\(scalar.name) cannot represent \(print(ast: node)).")
        default:
            // A custom scalar's literal may hold variables (`{id: $id}` for `_Any`): as
            // graphql-js does, they are read untyped with the variables put in, then parsed as a
            // value. GraphQLSwift's parseLiteral cannot see variables.
            if usesVariables(node) { return try scalar.parseValue(value: try untypedValue(node, variables: variables)) }
            return try scalar.parseLiteral(valueAST: node)
        }
    }

    /// A literal as a plain value, variables replaced (a variable the request did not give is null).
    static func untypedValue(_ node: any Value, variables: [String: Map]) throws -> Map {
        switch node {
        case let variable as Variable:
            let value = variables[variable.name.value] ?? .null
            return value.isUndefined ? .null : value
        case let list as ListValue:
            return .array(try list.values.map { try untypedValue($0, variables: variables) })
        case let object as ObjectValue:
            var fields = OrderedDictionary<String, Map>()
            for field in object.fields { fields[field.name.value] = try untypedValue(field.value, variables: variables) }
            return .dictionary(fields)
        case is NullValue:
            return .null
        case let string as StringValue:
            return .string(string.value)
        case let bool as BooleanValue:
            return .bool(bool.value)
        case let enumValue as EnumValue:
            return .string(enumValue.value)
        case let int as IntValue:
            guard let value = Int(int.value) else { throw CoercionError("\(int.value.prefix(40)) is not a representable integer") }
            return .int(value)
        case let float as FloatValue:
            guard let value = Double(float.value), value.isFinite else { throw CoercionError("\(float.value.prefix(40)) is not a representable number") }
            return .double(value)
        default:
            throw CoercionError("\(print(ast: node)) is not a value")
        }
    }

    /// The type a list or non-null input type wraps. A schema built from SDL only wraps input
    /// types in input positions; anything else is refused as a coercion error, never a trap.
    private static func inputType(wrappedBy wrapper: GraphQLList) throws -> any GraphQLInputType {
        guard let inner = wrapper.ofType as? any GraphQLInputType else { throw CoercionError("\(wrapper) does not wrap an input type.") }
        return inner
    }

    private static func inputType(wrappedBy wrapper: GraphQLNonNull) throws -> any GraphQLInputType {
        guard let inner = wrapper.ofType as? any GraphQLInputType else { throw CoercionError("\(wrapper) does not wrap an input type.") }
        return inner
    }

    /// Whether a literal refers to a variable anywhere inside.
    static func usesVariables(_ node: any Value) -> Bool {
        switch node {
        case is Variable: true
        case let list as ListValue: list.values.contains(where: usesVariables)
        case let object as ObjectValue: object.fields.contains { usesVariables($0.value) }
        default: false
        }
    }

    /// The schema type a variable declaration names.
    static func inputType(_ node: any GraphQL.`Type`, schema: GraphQLSchema) -> (any GraphQLInputType)? {
        switch node {
        case let nonNull as NonNullType:
            guard let inner = inputType(nonNull.type, schema: schema) as? any GraphQLNullableType else { return nil }
            return GraphQLNonNull(inner)
        case let list as ListType:
            guard let inner = inputType(list.type, schema: schema) else { return nil }
            return GraphQLList(inner)
        case let named as NamedType:
            return schema.getType(name: named.name.value) as? any GraphQLInputType
        default:
            return nil
        }
    }
}

struct CoercionError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension GraphQL.`Type` {
    /// As written in the document (`[ID!]!`).
    var printed: String { print(ast: self) }
}
