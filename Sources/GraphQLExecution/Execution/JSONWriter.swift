public import GraphQL
import OrderedCollections

/// JSON text for GraphQL responses: strings escaped per RFC 8259, numbers as JSON allows
/// (a non-finite double, which JSON cannot carry, is written as null), errors in the
/// response format of the spec (message, locations, path, extensions).
public enum JSONWriter {
    public static func writeRaw(_ text: StaticString, into out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    public static func writeString(_ value: String, into out: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            out.append(UInt8(ascii: "\""))
            var start = 0
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if start < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index])) }
                writeEscape(byte, into: &out)
                start = index + 1
            }
            if start < bytes.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...])) }
            out.append(UInt8(ascii: "\""))
        }
    }

    private static func writeEscape(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): writeRaw("\\\"", into: &out)
        case UInt8(ascii: "\\"): writeRaw("\\\\", into: &out)
        case UInt8(ascii: "\n"): writeRaw("\\n", into: &out)
        case UInt8(ascii: "\r"): writeRaw("\\r", into: &out)
        case UInt8(ascii: "\t"): writeRaw("\\t", into: &out)
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            for escaped in [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]] {
                out.append(escaped)
            }
        }
    }

    public static func writeInt(_ value: Int, into out: inout [UInt8]) {
        var text = String(value)
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    public static func writeDouble(_ value: Double, into out: inout [UInt8]) {
        guard value.isFinite else { return writeRaw("null", into: &out) }
        var text = value.description
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    /// A `Map` as JSON, dictionaries in their order.
    public static func write(_ map: Map, into out: inout [UInt8]) {
        switch map {
        case .undefined, .null: writeRaw("null", into: &out)
        case .bool(let value): writeRaw(value ? "true" : "false", into: &out)
        case .number(let number):
            switch number.storageType {
            case .double: writeDouble(number.doubleValue, into: &out)
            case .bool: writeRaw(number.boolValue ? "true" : "false", into: &out)
            default: writeInt(number.intValue, into: &out)
            }
        case .string(let value): writeString(value, into: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(value, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .dictionary(let values):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in values {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// One error of the response's `errors` list; extensions with their keys sorted, for a stable
    /// output.
    public static func write(error: GraphQLError, into out: inout [UInt8]) {
        writeRaw("{\"message\":", into: &out)
        writeString(error.message, into: &out)
        if !error.locations.isEmpty {
            writeRaw(",\"locations\":[", into: &out)
            for (index, location) in error.locations.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeRaw("{\"line\":", into: &out)
                writeInt(location.line, into: &out)
                writeRaw(",\"column\":", into: &out)
                writeInt(location.column, into: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        if !error.path.elements.isEmpty {
            writeRaw(",\"path\":[", into: &out)
            for (index, element) in error.path.elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                switch element {
                case .index(let value): writeInt(value, into: &out)
                case .key(let value): writeString(value, into: &out)
                }
            }
            out.append(UInt8(ascii: "]"))
        }
        if !error.extensions.isEmpty {
            writeRaw(",\"extensions\":{", into: &out)
            for (index, key) in error.extensions.keys.sorted().enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(error.extensions[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "}"))
    }

    /// `{"errors":[…],"data":…}` — errors first (the spec suggests it, so a reader sees them),
    /// each part only when present.
    public static func writeResponse(errors: [GraphQLError], into out: inout [UInt8], data: ((inout [UInt8]) -> Void)?) {
        out.append(UInt8(ascii: "{"))
        if !errors.isEmpty {
            writeRaw("\"errors\":[", into: &out)
            for (index, error) in errors.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                write(error: error, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        }
        if let data {
            if !errors.isEmpty { out.append(UInt8(ascii: ",")) }
            writeRaw("\"data\":", into: &out)
            data(&out)
        }
        out.append(UInt8(ascii: "}"))
    }
}
