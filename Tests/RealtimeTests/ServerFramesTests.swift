import NIOCore
import NIOEmbedded
import NIOWebSocket
@testable import Realtime
import Testing

/// The frames the connection writes as bytes are what NIO's own decoder reads back.
@Suite struct ServerFramesTests {
    /// The payload of one unmasked frame (the tests' reader).
    static func payload(of frame: ByteBuffer) -> ByteBuffer {
        var frame = frame
        _ = frame.readInteger(as: UInt8.self)
        let length = frame.readInteger(as: UInt8.self) ?? 0
        switch length {
        case 126: _ = frame.readInteger(as: UInt16.self)
        case 127: _ = frame.readInteger(as: UInt64.self)
        default: break
        }
        return frame
    }

    func decoded(_ bytes: ByteBuffer) throws -> WebSocketFrame? {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 1 << 20)))
        try channel.writeInbound(bytes)
        return try channel.readInbound(as: WebSocketFrame.self)
    }

    @Test(arguments: [0, 1, 125, 126, 127, 65_535, 65_536, 200_000])
    func framesOfEveryLengthDecode(_ length: Int) throws {
        let payload = ByteBuffer(repeating: UInt8(ascii: "x"), count: length)
        let frame = ServerFrames.frame(.text, allocator: ByteBufferAllocator(), capacity: length) { $0.writeImmutableBuffer(payload) }
        let header = length <= 125 ? 2 : length <= 65_535 ? 4 : 10
        #expect(frame.readableBytes == header + length)
        let read = try #require(try decoded(frame))
        #expect(read.fin && read.opcode == .text && read.maskKey == nil)
        #expect(read.data == payload)
        #expect(Self.payload(of: frame) == payload)
    }

    @Test func oneNextFrameIsTheMessagesJSON() throws {
        let result = ByteBuffer(string: #"{"data":{"a":1}}"#)
        let frame = ServerFrames.text(.next(id: "op\"1", result: result), allocator: ByteBufferAllocator())
        let read = try #require(try decoded(frame))
        #expect(String(buffer: read.data) == #"{"type":"next","id":"op\"1","payload":{"data":{"a":1}}}"#)
    }

    @Test func closeAndPongFramesAreControlFramesWithinTheirBound() throws {
        let close = try #require(try decoded(ServerFrames.close(code: 4403, reason: String(repeating: "é", count: 100), allocator: ByteBufferAllocator())))
        #expect(close.opcode == .connectionClose)
        var data = close.data
        #expect(data.readInteger(as: UInt16.self) == 4403)
        #expect(close.data.readableBytes <= 125)
        let pong = try #require(try decoded(ServerFrames.pong(ByteBuffer(repeating: 1, count: 125), allocator: ByteBufferAllocator())))
        #expect(pong.opcode == .pong && pong.data.readableBytes == 125)
    }
}
