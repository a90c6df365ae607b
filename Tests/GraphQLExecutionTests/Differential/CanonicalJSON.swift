import GraphQL
import OrderedCollections

/// JSON text of a `Map`, written the same way for both executors' answers so that comparing the
/// text compares the values.
///
/// Object keys stay in the order given: the spec orders a response's fields as the selection set
/// requests them (§7.2.2 "Serialized Map Ordering"), so key order is part of what is compared.
/// Numbers keep their kind: an `Int` prints as an integer, a `Float` as Swift prints a `Double`
/// (`2.0`, not `2`), so an integer where a float belongs shows up as a difference in a response.
enum CanonicalJSON {
    static func encode(_ map: Map) -> String {
        var out = ""
        write(map, sortingKeys: false, into: &out)
        return out
    }

    /// The coerced arguments a field received, as the echo fields answer them: keys sorted (the
    /// order of coerced arguments is not something the spec defines), absent values left out and
    /// an absent list item written as null.
    static func echo(_ arguments: OrderedDictionary<String, Map>) -> String {
        var out = ""
        write(.dictionary(arguments), sortingKeys: true, into: &out)
        return out
    }

    private static func write(_ map: Map, sortingKeys: Bool, into out: inout String) {
        switch map {
        case .undefined:
            // Never in a response; in an echo only as a list item (objects drop it below).
            out += sortingKeys ? "null" : "undefined"
        case .null:
            out += "null"
        case .bool(let value):
            out += value ? "true" : "false"
        case .number(let number):
            switch number.storageType {
            case .int: out += String(number.intValue)
            case .bool: out += number.boolValue ? "true" : "false"
            case .double, .unknown:
                let value = number.doubleValue
                // A resolver cannot tell the Float 2 from the Float 2.0 (GraphQLSwift keeps an
                // integer variable for a Float as an integer, the spec says it is a Float): the
                // echo writes both as 2. Responses keep the kind.
                if sortingKeys, value == value.rounded(), abs(value) < 1e15 {
                    out += String(Int(value))
                } else {
                    out += value.description
                }
            }
        case .string(let value):
            writeString(value, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                write(item, sortingKeys: sortingKeys, into: &out)
            }
            out += "]"
        case .dictionary(let members):
            out += "{"
            var first = true
            let ordered = sortingKeys ? members.elements.sorted { $0.key < $1.key } : Array(members.elements)
            for (key, value) in ordered {
                if sortingKeys, case .undefined = value { continue }
                if !first { out += "," }
                first = false
                writeString(key, into: &out)
                out += ":"
                write(value, sortingKeys: sortingKeys, into: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ value: String, into out: inout String) {
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
