import GraphQL

/// Result coercion of leaf values (spec 3.5 "Result Coercion"): the common cases — the resolver
/// answered the very type the field declares — are checked here without boxing; anything else
/// goes through the scalar's own `serialize`, which coerces or refuses as GraphQLSwift does.
enum LeafSerialization {
    static func serialize(_ value: OutputValue, as kind: LeafKind) throws -> ResultTree.Slot {
        switch (kind, value) {
        case (.string, .string(let text)), (.id, .string(let text)):
            return .string(text)
        case (.id, .int(let number)):
            return .string(String(number))
        case (.int, .int(let number)) where number >= Int(Int32.min) && number <= Int(Int32.max):
            return .int(number)
        case (.float, .double(let number)) where number.isFinite:
            return .double(number)
        case (.float, .int(let number)):
            return .double(Double(number))
        case (.boolean, .bool(let flag)):
            return .bool(flag)
        case (.enumeration(let type, let names), .string(let name)):
            guard names.contains(name) else { throw GraphQLError(message: "Enum \"\(type.name)\" cannot represent value: \"\(name)\".") }
            return .string(name)
        case (.custom, .string(let text)):
            return .string(text)
        case (.custom, .int(let number)):
            return .int(number)
        case (.custom, .double(let number)):
            return .double(number)
        case (.custom, .bool(let flag)):
            return .bool(flag)
        default:
            return try coerceOtherwise(value, as: kind)
        }
    }

    private static func coerceOtherwise(_ value: OutputValue, as kind: LeafKind) throws -> ResultTree.Slot {
        let scalar: any GraphQLLeafType = switch kind {
        case .int: GraphQLInt
        case .float: GraphQLFloat
        case .string: GraphQLString
        case .boolean: GraphQLBoolean
        case .id: GraphQLID
        case .enumeration(let type, _): type
        case .custom(let type): type
        }
        let swiftValue: Any
        switch value {
        case .bool(let flag): swiftValue = flag
        case .int(let number): swiftValue = number
        case .double(let number): swiftValue = number
        case .string(let text): swiftValue = text
        default:
            throw GraphQLError(message: "\(scalar.name) cannot represent a non-leaf value")
        }
        switch try scalar.serialize(value: swiftValue) {
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .number(let number):
            if number.storageType == .double { return .double(number.doubleValue) }
            return .int(number.intValue)
        case .null, .undefined: return .null
        default: throw GraphQLError(message: "\(scalar.name) cannot represent a non-leaf value")
        }
    }
}
