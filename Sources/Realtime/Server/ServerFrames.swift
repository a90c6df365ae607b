import NIOCore
import NIOWebSocket

/// WebSocket frames from the server, written as bytes by the connection itself (RFC 6455 §5.2):
/// final, unmasked (a server never masks). Writing them here instead of through NIO's frame
/// encoder lets one event's frame be built once per event loop and the same bytes be written to
/// every socket that wants them — no allocation, copy or separate header per subscriber — and
/// saves each connection the encoder's handler and header buffer.
enum ServerFrames {
    /// The longest header: two bytes, then a 64-bit length.
    static let maximumHeader = 10

    /// A frame of `opcode` whose payload `writePayload` writes; the header goes into room left
    /// before it, so the frame is one buffer.
    static func frame(
        _ opcode: WebSocketOpcode, allocator: ByteBufferAllocator, capacity: Int, _ writePayload: (inout ByteBuffer) -> Void
    ) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: maximumHeader + capacity)
        buffer.moveWriterIndex(forwardBy: maximumHeader)
        buffer.moveReaderIndex(forwardBy: maximumHeader)
        writePayload(&buffer)
        let length = buffer.readableBytes
        let header = length <= 125 ? 2 : length <= Int(UInt16.max) ? 4 : 10
        var index = maximumHeader - header
        buffer.setInteger(0x80 | UInt8(webSocketOpcode: opcode), at: index)
        index += 1
        switch header {
        case 2:
            buffer.setInteger(UInt8(length), at: index)
        case 4:
            buffer.setInteger(UInt8(126), at: index)
            buffer.setInteger(UInt16(length), at: index + 1)
        default:
            buffer.setInteger(UInt8(127), at: index)
            buffer.setInteger(UInt64(length), at: index + 1)
        }
        buffer.moveReaderIndex(to: maximumHeader - header)
        return buffer
    }

    /// A text frame holding `message`.
    static func text(_ message: ServerMessage, allocator: ByteBufferAllocator) -> ByteBuffer {
        frame(.text, allocator: allocator, capacity: message.estimatedBytes) { message.write(into: &$0) }
    }

    /// A close frame: the code, then the reason (at most 123 bytes: control frames carry 125).
    static func close(code: UInt16, reason: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        frame(.connectionClose, allocator: allocator, capacity: 2 + reason.utf8.count) { buffer in
            buffer.writeInteger(code)
            buffer.writeBytes(reason.utf8.prefix(123))
        }
    }

    /// A pong echoing a ping's payload (control frames carry at most 125 bytes).
    static func pong(_ payload: ByteBuffer, allocator: ByteBufferAllocator) -> ByteBuffer {
        frame(.pong, allocator: allocator, capacity: min(payload.readableBytes, 125)) { buffer in
            buffer.writeBytes(payload.readableBytesView.prefix(125))
        }
    }
}

extension ServerMessage {
    /// Enough room for the message, so that writing it allocates once.
    var estimatedBytes: Int {
        switch self {
        case .connectionAck, .ping, .pong: 32
        case .next(let id, let payload), .error(let id, let payload): 40 + id.utf8.count * 6 + payload.readableBytes
        case .complete(let id): 32 + id.utf8.count * 6
        }
    }
}
