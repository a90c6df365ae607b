import NIOCore

/// What the connection writes into the channel: one or more encoded commands and the promise for
/// their replies.
struct RedisRequest {
    var encoded: ByteBuffer
    var expectedReplies: Int
    var promise: EventLoopPromise<[RESPValue]>
    var deadline: NIODeadline?
}

/// The only I/O layer of a connection: decodes bytes, feeds the state machine and executes its
/// actions. Everything runs on the channel's event loop.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private var stateMachine: RedisConnectionStateMachine<EventLoopPromise<[RESPValue]>>
    private var decoder = NIOSingleStepByteToMessageProcessor(RESPDecoder(), maximumBufferSize: 1 << 30)
    private let handshakePromise: EventLoopPromise<RedisConnectionStateMachine<EventLoopPromise<[RESPValue]>>.HandshakeResult>
    private var handshakeCompleted = false
    private let onPush: (@Sendable (RESPValue) -> Void)?
    private var context: ChannelHandlerContext?
    private var encodeBuffer: ByteBuffer

    init(
        settings: RedisConnectionStateMachine<EventLoopPromise<[RESPValue]>>.Settings,
        isSubscriber: Bool,
        handshakePromise: EventLoopPromise<RedisConnectionStateMachine<EventLoopPromise<[RESPValue]>>.HandshakeResult>,
        onPush: (@Sendable (RESPValue) -> Void)?
    ) {
        self.stateMachine = RedisConnectionStateMachine(settings: settings)
        self.stateMachine.isSubscriber = isSubscriber
        self.handshakePromise = handshakePromise
        self.onPush = onPush
        self.encodeBuffer = ByteBufferAllocator().buffer(capacity: 256)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive {
            self.run(self.stateMachine.connected(), context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.run(self.stateMachine.closed(), context: context)
    }

    func channelActive(context: ChannelHandlerContext) {
        self.run(self.stateMachine.connected(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.run(self.stateMachine.closed(), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.run(self.stateMachine.errorCaught(error), context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = self.unwrapInboundIn(data)
        do {
            try self.decoder.process(buffer: buffer) { value in
                self.run(self.stateMachine.received(value), context: context)
            }
        } catch {
            self.run(self.stateMachine.errorCaught(error), context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = self.unwrapOutboundIn(data)
        let action = self.stateMachine.write(
            request.promise, encoded: request.encoded, expectedReplies: request.expectedReplies, deadline: request.deadline
        )
        if request.expectedReplies == 0, case .write = action {
            request.promise.succeed([])
        }
        self.run(action, context: context, writePromise: promise)
    }

    private func run(
        _ action: RedisConnectionStateMachine<EventLoopPromise<[RESPValue]>>.Action,
        context: ChannelHandlerContext,
        writePromise: EventLoopPromise<Void>? = nil
    ) {
        switch action {
        case .none:
            writePromise?.succeed()
        case .sendHandshake(let command):
            self.encodeBuffer.clear()
            command.write(to: &self.encodeBuffer)
            context.writeAndFlush(self.wrapOutboundOut(self.encodeBuffer), promise: nil)
        case .handshakeSucceeded(let result):
            self.handshakeCompleted = true
            self.handshakePromise.succeed(result)
        case .write(let bytes):
            context.write(self.wrapOutboundOut(bytes), promise: writePromise)
        case .writeAndScheduleTimeout(let bytes, let deadline):
            context.write(self.wrapOutboundOut(bytes), promise: writePromise)
            self.scheduleTimeout(deadline, context: context)
        case .succeed(let promise, let values):
            promise.succeed(values)
        case .fail(let promise, let error):
            promise.fail(error)
            writePromise?.fail(error)
        case .forwardPush(let value):
            self.onPush?(value)
        case .scheduleTimeout(let deadline):
            self.scheduleTimeout(deadline, context: context)
        case .closeConnection(let error, let requests):
            self.failHandshake(error)
            for promise in requests { promise.fail(error) }
            writePromise?.fail(error)
            context.close(promise: nil)
        case .failAll(let error, let requests):
            self.failHandshake(error)
            for promise in requests { promise.fail(error) }
            writePromise?.fail(error)
        }
    }

    private func failHandshake(_ error: RedisError) {
        guard !self.handshakeCompleted else { return }
        self.handshakeCompleted = true
        self.handshakePromise.fail(error)
    }

    private func scheduleTimeout(_ deadline: NIODeadline, context: ChannelHandlerContext) {
        _ = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            guard let context = self.context else { return }
            self.run(self.stateMachine.timeoutFired(now: context.eventLoop.now), context: context)
        }
    }
}
