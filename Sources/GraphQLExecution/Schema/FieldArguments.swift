public import GraphQL
public import OrderedCollections

/// A field's arguments, already coerced to the argument types (defaults filled in, variables
/// substituted, enums as their names, input objects as dictionaries). Made once per field of a
/// plan — at compile time when the arguments are literals, once per request when they use
/// variables — never once per item of a list.
public struct FieldArguments: Sendable {
    public let values: OrderedDictionary<String, Map>

    public init(_ values: OrderedDictionary<String, Map> = [:]) {
        self.values = values
    }

    public static let none = FieldArguments()

    /// The argument's value; `.undefined` when it was not given and has no default.
    public subscript(name: String) -> Map {
        values[name] ?? .undefined
    }

    /// nil when absent or null.
    public func string(_ name: String) -> String? {
        self[name].string
    }

    /// nil when absent, null, or not a whole number that fits (an `Int` argument always does after
    /// coercion; the check keeps a `Float` or a custom scalar's number from trapping).
    public func int(_ name: String) -> Int? {
        guard case .number(let number) = self[name] else { return nil }
        let value = number.doubleValue
        guard value.isFinite, value.rounded(.towardZero) == value, abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }

    public func bool(_ name: String) -> Bool? {
        self[name].bool
    }

    public func double(_ name: String) -> Double? {
        guard case .number(let number) = self[name] else { return nil }
        return number.doubleValue
    }

    /// A required argument (non-null in the schema, so coercion guarantees it).
    public func required(_ name: String) throws -> Map {
        let value = self[name]
        guard !value.isNull, !value.isUndefined else { throw FieldArgumentError(argument: name) }
        return value
    }

    /// A required `String` or `ID` argument (non-null in the schema, so coercion guarantees it).
    public func requiredString(_ name: String) throws -> String {
        guard let value = string(name) else { throw FieldArgumentError(argument: name) }
        return value
    }

    /// A required `Int` argument.
    public func requiredInt(_ name: String) throws -> Int {
        guard let value = int(name) else { throw FieldArgumentError(argument: name) }
        return value
    }

    /// Decodes an argument (typically an input object) into a `Decodable` type; nil when absent
    /// or null.
    public func decode<Value: Decodable>(_ type: Value.Type, _ name: String) throws -> Value? {
        let value = self[name]
        if value.isNull || value.isUndefined { return nil }
        return try MapDecoder().decode(type, from: value)
    }
}

/// A resolver asked for an argument the schema makes required but the request did not have:
/// the schema and the resolver disagree.
public struct FieldArgumentError: Error, CustomStringConvertible {
    public let argument: String

    public init(argument: String) {
        self.argument = argument
    }

    public var description: String { "argument '\(argument)' is missing" }
}
