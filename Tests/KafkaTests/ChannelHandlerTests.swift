import NIOCore
import NIOEmbedded
import Testing

@testable import Kafka

@Suite struct ChannelHandlerTests {
    private func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(KafkaChannelHandler())
        return channel
    }

    private func request(_ channel: EmbeddedChannel, timeout: TimeAmount = .seconds(30)) -> EventLoopFuture<ByteBuffer> {
        var frame = ByteBuffer()
        KafkaFraming.encodeRequest(ApiVersionsRequest(), correlationID: 0, clientID: "c", into: &frame)
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        channel.writeAndFlush(KafkaOutboundRequest(frame: frame, promise: promise, timeout: timeout), promise: nil)
        return promise.futureResult
    }

    private func response(correlationID: Int32, body: [UInt8]) -> ByteBuffer {
        var b = ByteBuffer()
        b.writeInteger(Int32(4 + body.count))
        b.writeInteger(correlationID)
        b.writeBytes(body)
        return b
    }

    @Test func pipelinedRequestsGetTheirOwnAnswers() throws {
        let channel = try channel()
        let first = request(channel)
        let second = request(channel)
        let out1 = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let out2 = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(out1.getInteger(at: 8, as: Int32.self) == 1)
        #expect(out2.getInteger(at: 8, as: Int32.self) == 2)
        // Both answers arrive in one TCP read, split across frames.
        var both = response(correlationID: 1, body: [0xA])
        both.writeImmutableBuffer(response(correlationID: 2, body: [0xB, 0xC]))
        try channel.writeInbound(both.getSlice(at: 0, length: 5)!)
        try channel.writeInbound(both.getSlice(at: 5, length: both.readableBytes - 5)!)
        #expect(try first.wait() == ByteBuffer(bytes: [0xA]))
        #expect(try second.wait() == ByteBuffer(bytes: [0xB, 0xC]))
        #expect(try channel.finish().isClean)
    }

    @Test func wrongCorrelationIDClosesTheConnection() throws {
        let channel = try channel()
        let pending = request(channel)
        _ = try channel.readOutbound(as: ByteBuffer.self)
        try channel.writeInbound(response(correlationID: 99, body: []))
        #expect { try pending.wait() } throws: { ($0 as? KafkaError)?.code == .malformedResponse }
        #expect(!channel.isActive)
    }

    @Test func timeoutFailsEveryInFlightRequestAndCloses() throws {
        let channel = try channel()
        let slow = request(channel, timeout: .seconds(1))
        let other = request(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect { try slow.wait() } throws: { ($0 as? KafkaError)?.code == .requestTimedOut }
        #expect { try other.wait() } throws: { ($0 as? KafkaError)?.code == .requestTimedOut }
        #expect(!channel.isActive)
    }

    @Test func closeFailsPendingRequests() throws {
        let channel = try channel()
        let pending = request(channel)
        _ = try channel.finish()
        #expect { try pending.wait() } throws: { ($0 as? KafkaError)?.code == .connectionClosed }
    }

    @Test func oversizedFrameIsRejected() throws {
        let channel = try channel()
        let pending = request(channel)
        var b = ByteBuffer()
        b.writeInteger(Int32.max)
        try channel.writeInbound(b)  // the decoder error reaches the handler, which closes
        #expect { try pending.wait() } throws: { ($0 as? KafkaError)?.code == .malformedResponse }
        #expect(!channel.isActive)
    }
}
