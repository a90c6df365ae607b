/// What a resolver answers, before the executor completes it against the field's GraphQL type.
///
/// Resolvers are typed (they return `String`, `Int`, `Product?`, `[Category]`…); the schema's
/// builder turns their answers into this through ``OutputValueConvertible``, so the executor
/// never casts `Any` to find out what it got.
public enum OutputValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    /// A value of an object type, resolved further by that type's field resolvers. `type` names
    /// the GraphQL object type when the Swift type alone does not say it (the same Swift type
    /// backing several GraphQL types); otherwise it is looked up from the Swift type.
    case object(any Sendable, type: String? = nil)
    case list([OutputValue])
    /// A field error for this one value (a batch resolver that could answer the others).
    case failure(any Error)
}

/// A Swift value a resolver may return for a GraphQL field.
public protocol OutputValueConvertible: Sendable {
    var outputValue: OutputValue { get }
}

/// A Swift type registered as a GraphQL object type: its values are resolved further.
public protocol GraphQLObject: OutputValueConvertible {}

extension GraphQLObject {
    public var outputValue: OutputValue { .object(self) }
}

/// A Swift enumeration whose raw values are the GraphQL enum's value names.
public protocol GraphQLEnum: OutputValueConvertible, RawRepresentable<String> {}

extension GraphQLEnum {
    public var outputValue: OutputValue { .string(rawValue) }
}

extension OutputValue: OutputValueConvertible {
    public var outputValue: OutputValue { self }
}

extension String: OutputValueConvertible {
    public var outputValue: OutputValue { .string(self) }
}

extension Int: OutputValueConvertible {
    public var outputValue: OutputValue { .int(self) }
}

extension Int32: OutputValueConvertible {
    public var outputValue: OutputValue { .int(Int(self)) }
}

extension Int64: OutputValueConvertible {
    public var outputValue: OutputValue { .int(Int(self)) }
}

extension Double: OutputValueConvertible {
    public var outputValue: OutputValue { .double(self) }
}

extension Bool: OutputValueConvertible {
    public var outputValue: OutputValue { .bool(self) }
}

extension Optional: OutputValueConvertible where Wrapped: OutputValueConvertible {
    public var outputValue: OutputValue {
        switch self {
        case .none: .null
        case .some(let value): value.outputValue
        }
    }
}

extension Array: OutputValueConvertible where Element: OutputValueConvertible {
    public var outputValue: OutputValue { .list(map { $0.outputValue }) }
}
