public import NIOCore

/// A value of the Redis serialization protocol, RESP2 or RESP3.
///
/// RESP2 nulls (`$-1`, `*-1`) and the RESP3 null (`_`) all decode to ``null``, so callers need not
/// care which protocol the connection negotiated. Attributes (`|`) are dropped by the decoder.
public enum RESPValue: Sendable, Hashable {
    case simpleString(ByteBuffer)
    case bulkString(ByteBuffer)
    case simpleError(ByteBuffer)
    case bulkError(ByteBuffer)
    case verbatimString(format: String, ByteBuffer)
    case integer(Int64)
    case double(Double)
    case boolean(Bool)
    case bigNumber(String)
    case null
    case array([RESPValue])
    case set([RESPValue])
    case map([RESPValue: RESPValue])
    /// An out-of-band RESP3 push (`>`): pub/sub messages and invalidations.
    case push([RESPValue])
}

extension RESPValue {
    /// The text of a string-like value (simple, bulk, verbatim string, big number), else `nil`.
    public var string: String? {
        switch self {
        case .simpleString(let buffer), .bulkString(let buffer), .verbatimString(_, let buffer):
            return String(buffer: buffer)
        case .bigNumber(let digits):
            return digits
        case .integer(let value):
            return String(value)
        case .double(let value):
            return String(value)
        default:
            return nil
        }
    }

    /// The bytes of a string-like value, else `nil`.
    public var buffer: ByteBuffer? {
        switch self {
        case .simpleString(let buffer), .bulkString(let buffer), .verbatimString(_, let buffer):
            return buffer
        default:
            return nil
        }
    }

    /// An integer reply, or a string reply holding an integer.
    public var int: Int? {
        switch self {
        case .integer(let value):
            return Int(exactly: value)
        case .simpleString, .bulkString:
            return string.flatMap { Int($0) }
        case .double(let value):
            return Int(exactly: value)
        default:
            return nil
        }
    }

    /// The elements of an array, set or push.
    public var array: [RESPValue]? {
        switch self {
        case .array(let values), .set(let values), .push(let values):
            return values
        default:
            return nil
        }
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The error text of an error reply, else `nil`.
    public var errorMessage: String? {
        switch self {
        case .simpleError(let buffer), .bulkError(let buffer):
            return String(buffer: buffer)
        default:
            return nil
        }
    }
}

extension RESPValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .simpleString(let buffer): return "+\(String(buffer: buffer))"
        case .bulkString(let buffer): return "\"\(String(buffer: buffer))\""
        case .simpleError(let buffer), .bulkError(let buffer): return "(error) \(String(buffer: buffer))"
        case .verbatimString(let format, let buffer): return "\(format):\(String(buffer: buffer))"
        case .integer(let value): return "(integer) \(value)"
        case .double(let value): return "(double) \(value)"
        case .boolean(let value): return value ? "(true)" : "(false)"
        case .bigNumber(let digits): return "(big number) \(digits)"
        case .null: return "(nil)"
        case .array(let values): return "[\(values.map(\.description).joined(separator: ", "))]"
        case .set(let values): return "~{\(values.map(\.description).joined(separator: ", "))}"
        case .push(let values): return ">[\(values.map(\.description).joined(separator: ", "))]"
        case .map(let entries):
            return "{\(entries.map { "\($0.key.description): \($0.value.description)" }.joined(separator: ", "))}"
        }
    }
}
