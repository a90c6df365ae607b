import Foundation
import GraphQL

/// Serializes a GraphQL result with its fields in selection order (the spec asks for that, and
/// `JSONEncoder` does not keep dictionary order). Writes bytes: appending to a `String` updated
/// its UTF-8 bookkeeping on every append (about 5 % of the gateway's CPU per request).
enum ResponseJSON {
    static func encode(_ result: GraphQLResult) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        out += "{"
        var first = true
        if !result.errors.isEmpty {
            out += "\"errors\":["
            for (index, error) in result.errors.enumerated() {
                if index > 0 { out += "," }
                write(error: error, into: &out)
            }
            out += "]"
            first = false
        }
        if let data = result.data {
            if !first { out += "," }
            out += "\"data\":"
            write(data, into: &out)
        }
        out += "}"
        return Data(out)
    }

    static func write(error: GraphQLError, into out: inout [UInt8]) {
        out += "{\"message\":"
        writeString(error.message, into: &out)
        if !error.locations.isEmpty {
            out += ",\"locations\":["
            out += error.locations.map { "{\"line\":\($0.line),\"column\":\($0.column)}" }.joined(separator: ",").utf8
            out += "]"
        }
        if !error.path.elements.isEmpty {
            out += ",\"path\":["
            for (index, element) in error.path.elements.enumerated() {
                if index > 0 { out += "," }
                switch element {
                case .index(let value): out += String(value).utf8
                case .key(let value): writeString(value, into: &out)
                }
            }
            out += "]"
        }
        if !error.extensions.isEmpty {
            out += ",\"extensions\":"
            write(.dictionary(OrderedDictionaryBridge.make(error.extensions)), into: &out)
        }
        out += "}"
    }

    static func write(_ map: Map, into out: inout [UInt8]) {
        switch map {
        case .undefined, .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let number):
            switch number.storageType {
            case .double:
                let value = number.doubleValue
                out += value.isFinite ? "\(value)".utf8 : "null".utf8
            case .bool: out += number.boolValue ? "true" : "false"
            default: out += String(number.intValue).utf8
            }
        case .string(let value): writeString(value, into: &out)
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                write(value, into: &out)
            }
            out += "]"
        case .dictionary(let values):
            out += "{"
            var first = true
            for (key, value) in values {
                if !first { out += "," }
                first = false
                writeString(key, into: &out)
                out += ":"
                write(value, into: &out)
            }
            out += "}"
        }
    }

    static func writeString(_ value: String, into out: inout [UInt8]) {
        // Most strings need no escaping: scan their UTF-8 in place and append it whole
        // (per-scalar appends dominated the gateway's serialization time).
        var value = value
        let plain = value.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if plain { return }
        out += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value).utf8
            default: out += String(scalar).utf8
            }
        }
        out += "\""
    }
}

import OrderedCollections

extension [UInt8] {
    /// JSON punctuation and escapes, appended as their UTF-8 bytes.
    static func += (bytes: inout [UInt8], text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }
}

enum OrderedDictionaryBridge {
    /// Extensions are a plain dictionary; sort them for a stable output.
    static func make(_ values: [String: Map]) -> OrderedDictionary<String, Map> {
        var ordered = OrderedDictionary<String, Map>()
        for key in values.keys.sorted() { ordered[key] = values[key] }
        return ordered
    }
}
