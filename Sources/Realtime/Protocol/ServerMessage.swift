import NIOCore

/// Messages the server sends, written straight to bytes: a `next` wraps a result that is
/// already JSON, which is shared by every subscriber of a fan-out and never re-encoded.
public enum ServerMessage: Sendable, Equatable {
    case connectionAck
    case ping
    case pong
    /// `result` is a GraphQL response object (`{"data":…}` with `errors` when any), as JSON.
    case next(id: String, result: ByteBuffer)
    /// `errors` is a JSON array of GraphQL errors: the operation did not run.
    case error(id: String, errors: ByteBuffer)
    case complete(id: String)

    public func write(into buffer: inout ByteBuffer) {
        switch self {
        case .connectionAck: buffer.writeString(#"{"type":"connection_ack"}"#)
        case .ping: buffer.writeString(#"{"type":"ping"}"#)
        case .pong: buffer.writeString(#"{"type":"pong"}"#)
        case .next(let id, let result): Self.write("next", id: id, payload: result, into: &buffer)
        case .error(let id, let errors): Self.write("error", id: id, payload: errors, into: &buffer)
        case .complete(let id):
            buffer.writeString(#"{"type":"complete","id":"#)
            JSONText.writeString(id, into: &buffer)
            buffer.writeString("}")
        }
    }

    public func encoded(allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 64)
        write(into: &buffer)
        return buffer
    }

    private static func write(_ type: String, id: String, payload: ByteBuffer, into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: payload.readableBytes + id.utf8.count + 40)
        buffer.writeString(#"{"type":""#)
        buffer.writeString(type)
        buffer.writeString(#"","id":"#)
        JSONText.writeString(id, into: &buffer)
        buffer.writeString(#","payload":"#)
        buffer.writeImmutableBuffer(payload)
        buffer.writeString("}")
    }
}

/// JSON string literals written to a buffer.
enum JSONText {
    static func writeString(_ text: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): buffer.writeString("\\\"")
            case UInt8(ascii: "\\"): buffer.writeString("\\\\")
            case 0x0A: buffer.writeString("\\n")
            case 0x0D: buffer.writeString("\\r")
            case 0x09: buffer.writeString("\\t")
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                buffer.writeString("\\u00")
                buffer.writeInteger(hex[Int(byte >> 4)])
                buffer.writeInteger(hex[Int(byte & 0x0F)])
            default: buffer.writeInteger(byte)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
