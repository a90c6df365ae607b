import NIOCore

/// Splits the inbound byte stream into Kafka frames (4-byte big-endian size prefix).
struct KafkaFrameDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    /// Larger frames are refused rather than buffered (protects against a bad peer or a TLS mismatch).
    var maxFrameSize: Int = 256 << 20

    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return nil }
        guard size >= 4, Int(size) <= maxFrameSize else {
            throw KafkaError(.malformedResponse, detail: "frame size \(size)")
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(size))
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }
}

/// An encoded request frame waiting for its correlation id, and where its response goes.
struct KafkaOutboundRequest {
    /// The whole frame with a placeholder correlation id at byte 8.
    var frame: ByteBuffer
    var promise: EventLoopPromise<ByteBuffer>
    var timeout: TimeAmount
}

/// Matches responses to requests. Kafka answers requests on one connection in order, so the
/// in-flight requests form a queue; the correlation id of each response is checked against it.
/// A request timeout closes the connection (as the Java client does): a late answer could
/// otherwise not be told apart, and the caller reconnects.
final class KafkaChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = KafkaOutboundRequest
    typealias OutboundOut = ByteBuffer

    private struct InFlight {
        var correlationID: Int32
        var promise: EventLoopPromise<ByteBuffer>
        var timeoutTask: Scheduled<Void>?
    }

    private var inFlight = CircularBuffer<InFlight>(initialCapacity: 16)
    private var nextCorrelationID: Int32 = 1
    private var closedError: KafkaError?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var request = unwrapOutboundIn(data)
        if let closedError {
            request.promise.fail(closedError)
            promise?.fail(closedError)
            return
        }
        let id = nextCorrelationID
        nextCorrelationID = nextCorrelationID == .max ? 1 : nextCorrelationID + 1
        request.frame.setInteger(id, at: request.frame.readerIndex + 8)
        var timeoutTask: Scheduled<Void>?
        if request.timeout > .zero {
            let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            timeoutTask = context.eventLoop.scheduleTask(in: request.timeout) { [timeout = request.timeout] in
                let (handler, context) = loopBound.value
                handler.failAll(KafkaError(.requestTimedOut, detail: "no answer within \(timeout.nanoseconds / 1_000_000) ms"))
                context.close(promise: nil)
            }
        }
        inFlight.append(InFlight(correlationID: id, promise: request.promise, timeoutTask: timeoutTask))
        context.write(wrapOutboundOut(request.frame), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        guard let correlationID = frame.readInteger(as: Int32.self), let first = inFlight.first else {
            protocolViolation(context: context, "unexpected response")
            return
        }
        guard first.correlationID == correlationID else {
            protocolViolation(context: context, "correlation id \(correlationID), expected \(first.correlationID)")
            return
        }
        inFlight.removeFirst()
        first.timeoutTask?.cancel()
        first.promise.succeed(frame)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(KafkaError(.connectionClosed))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error as? KafkaError ?? KafkaError(.connectionClosed, detail: "\(error)"))
        context.close(promise: nil)
    }

    private func protocolViolation(context: ChannelHandlerContext, _ detail: String) {
        failAll(KafkaError(.malformedResponse, detail: detail))
        context.close(promise: nil)
    }

    private func failAll(_ error: KafkaError) {
        if closedError == nil { closedError = error }
        while let entry = inFlight.popFirst() {
            entry.timeoutTask?.cancel()
            entry.promise.fail(error)
        }
    }
}
