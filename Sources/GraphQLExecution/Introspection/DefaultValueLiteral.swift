import GraphQL
import OrderedCollections

/// `__InputValue.defaultValue`: a default value (a `Map`, as GraphQLSwift coerced it from the SDL)
/// printed back as a GraphQL literal of its input type.
///
/// GraphQLSwift does this with `astFromValue` and `print(ast:)`, which are internal; this prints the
/// same text in the same layout (so clients see what they saw before): enums bare, `ID`s that are
/// integers bare, lists `[a, b]`, input objects `{ a: 1, b: 2 }` in the type's field order, and a
/// list or object longer than 80 characters one entry per line, indented by two spaces. Floats are
/// Swift's `description` of the double (`2.0`, `1e-05`), as GraphQLSwift prints them.
///
/// Where GraphQLSwift's output is not a correct literal, this follows the spec (graphql-js) instead:
/// strings are escaped once with GraphQL's escapes (GraphQLSwift JSON-escapes and then escapes the
/// result again, so `"a/b"` came out as `"a\\/b"`); `null` is printed as `null` rather than
/// dropped; input-object fields the value does not have are left out rather than failing; an `ID`
/// is printed bare only when it has the IntValue syntax (GraphQLSwift printed `"007"` as `007`);
/// and a custom scalar's list or object value is printed as an untyped literal rather than failing.
enum DefaultValueLiteral {
    /// GraphQLSwift's printer puts a list or object on several lines past this length.
    static let maximumLineLength = 80

    /// The literal of `value` as a value of `type`; nil for "no default" (`.undefined`).
    static func print(_ value: Map, as type: any GraphQLInputType) throws -> String? {
        if case .undefined = value { return nil }
        guard let literal = try self.literal(value, as: type) else {
            throw GraphQLError(message: "Invalid default value")
        }
        return literal
    }

    /// nil when the value is to be left out (an absent input-object field).
    private static func literal(_ value: Map, as type: any GraphQLType) throws -> String? {
        if let nonNull = type as? GraphQLNonNull {
            return try literal(value, as: nonNull.ofType)
        }
        switch value {
        case .undefined: return nil
        case .null: return "null"
        default: break
        }
        switch type {
        case let list as GraphQLList:
            // A single value stands for a list of one (input coercion of lists).
            guard case .array(let items) = value else { return try literal(value, as: list.ofType) }
            return listLiteral(try items.compactMap { try literal($0, as: list.ofType) })
        case let inputObject as GraphQLInputObjectType:
            guard case .dictionary(let values) = value else { return nil }
            var fields: [String] = []
            for (name, field) in try inputObject.fields() {
                guard let fieldValue = values[name], let printed = try literal(fieldValue, as: field.type) else { continue }
                fields.append(name + ": " + printed)
            }
            return objectLiteral(fields)
        case let leaf as any GraphQLLeafType:
            return try leafLiteral(leaf.serialize(value: value), of: leaf)
        default:
            throw GraphQLError(message: "\(type) is not an input type")
        }
    }

    /// A scalar or enum value as its type serialized it.
    private static func leafLiteral(_ serialized: Map, of type: any GraphQLLeafType) throws -> String? {
        switch serialized {
        case .undefined: return nil
        case .null: return "null"
        case .string(let text):
            if type is GraphQLEnumType { return text }
            if type.name == "ID", isIntegerLiteral(text) { return text }
            return stringLiteral(text)
        default:
            return try untypedLiteral(serialized)
        }
    }

    /// A value with no GraphQL type to follow (what a custom scalar serialized to).
    private static func untypedLiteral(_ value: Map) throws -> String {
        switch value {
        case .undefined, .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number):
            switch number.storageType {
            case .bool: return number.boolValue ? "true" : "false"
            case .int: return String(number.intValue)
            case .double: return String(number.doubleValue)
            case .unknown: throw GraphQLError(message: "Cannot convert value to AST: \(value)")
            }
        case .string(let text): return stringLiteral(text)
        case .array(let items): return listLiteral(try items.map(untypedLiteral))
        case .dictionary(let values):
            return objectLiteral(try values.map { name, value in name + ": " + (try untypedLiteral(value)) })
        }
    }

    // MARK: Layout (as GraphQLSwift's printer)

    private static func listLiteral(_ items: [String]) -> String {
        let line = "[" + items.joined(separator: ", ") + "]"
        guard line.count > maximumLineLength else { return line }
        return "[\n" + indented(items.joined(separator: "\n")) + "\n]"
    }

    private static func objectLiteral(_ fields: [String]) -> String {
        let line = "{ " + fields.joined(separator: ", ") + " }"
        guard line.count > maximumLineLength else { return line }
        return "{\n" + indented(fields.joined(separator: "\n")) + "\n}"
    }

    private static func indented(_ text: String) -> String {
        text.isEmpty ? "" : "  " + text.replacing("\n", with: "\n  ")
    }

    /// `-?(0|[1-9][0-9]*)`: the IntValue syntax, for an `ID` that may be printed bare.
    private static func isIntegerLiteral(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "-" { digits = digits.dropFirst() }
        guard let first = digits.first, first.isASCII, first.isNumber else { return false }
        if first == "0" { return digits.count == 1 }
        return digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A StringValue: `"` and `\` escaped, control characters (and U+007F–U+009F) as escapes.
    static func stringLiteral(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: result += "\\\""
            case 0x5C: result += "\\\\"
            case 0x08: result += "\\b"
            case 0x09: result += "\\t"
            case 0x0A: result += "\\n"
            case 0x0C: result += "\\f"
            case 0x0D: result += "\\r"
            case 0x00...0x1F, 0x7F...0x9F:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
