import Foundation
import GraphQL
import GraphQLSupport
import Identity
import CoreMetrics
import Logging
import NIOCore
import NIOWebSocket
import OrderedCollections

/// One WebSocket connection speaking `graphql-transport-ws`: frames in, the state machine
/// decides, frames out. A plain NIO handler, a few hundred bytes per connection; Swift tasks run
/// only while something is being set up (authentication, a new subscription's check) or
/// resolved, never per idle connection.
///
/// Back-pressure: while the socket does not take more (NIO's outbound buffer is above its high
/// water mark, 64 KiB), each message written counts as waiting; a client with more than
/// `maximumPendingMessages` waiting is closed (4499), so one slow reader cannot grow the server's
/// memory. Counting at writability changes rather than per write keeps a write free of promises.
final class GraphQLWebSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    /// Frames written as bytes here (``ServerFrames``): the pipeline has no frame encoder.
    typealias OutboundOut = ByteBuffer

    private let gateway: RealtimeGateway
    private var machine: ConnectionStateMachine
    private var subscribers: [String: LiveSubscriber] = [:]
    private var context: ChannelHandlerContext?
    private var sink: ConnectionSink?
    private var initTimer: Scheduled<Void>?
    private var expiryTimer: Scheduled<Void>?
    private var pending = 0
    /// A message arriving in several frames, until its last one.
    private var fragments: ByteBuffer?
    private var fragmentsAreText = true
    private var isActive = false
    /// The channel's writability as its last change told it: read on every write, where asking
    /// the channel (an atomic behind the pipeline) was about 7 % of a broadcast's samples.
    private var isWritable = true
    /// Messages received in the current one-second window.
    private var windowStart = NIODeadline.now()
    private var messagesInWindow = 0

    init(gateway: RealtimeGateway) {
        self.gateway = gateway
        machine = ConnectionStateMachine(maximumOperations: gateway.configuration.maximumOperations)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        isActive = true
        isWritable = context.channel.isWritable
        gateway.hub.metrics.connections.increment()
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        sink = ConnectionSink(eventLoop: context.eventLoop, handler: bound)
        initTimer = context.eventLoop.scheduleTask(in: .nanoseconds(gateway.configuration.initTimeout.wholeNanoseconds)) {
            bound.value.perform(bound.value.machine.initTimedOut())
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) { finish() }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    private func finish() {
        guard isActive else { return }
        isActive = false
        initTimer?.cancel()
        expiryTimer?.cancel()
        perform(machine.disconnected())
        gateway.hub.metrics.connections.decrement()
        context = nil
        // The sink holds this handler: let both go.
        sink = nil
    }

    /// The server allows half-closed connections (HTTP needs them), so a client that goes away
    /// only closes its input: close ours too, or the socket would stay open for ever.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // The socket took what was waiting (below the low water mark): nothing waits any more.
        isWritable = context.channel.isWritable
        if isWritable { pending = 0 }
        context.fireChannelWritabilityChanged()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        // RFC 6455 §5.1: a client masks every frame, and a server closes on one that is not.
        guard frame.maskKey != nil else { return closeWith(code: 1002, reason: "client frames must be masked", context: context) }
        switch frame.opcode {
        case .text, .binary:
            guard frame.fin else {
                fragments = frame.unmaskedData
                fragmentsAreText = frame.opcode == .text
                return
            }
            message(frame.unmaskedData, isText: frame.opcode == .text)
        case .continuation:
            guard var buffer = fragments else { return perform(machine.receivedBinary()) }
            var data = frame.unmaskedData
            guard buffer.readableBytes + data.readableBytes <= gateway.configuration.maximumFrameBytes else {
                fragments = nil
                return perform([.close(.badRequest, reason: "Invalid message: longer than \(gateway.configuration.maximumFrameBytes) bytes")])
            }
            buffer.writeBuffer(&data)
            if frame.fin {
                fragments = nil
                message(buffer, isText: fragmentsAreText)
            } else {
                fragments = buffer
            }
        case .ping:
            write(ServerFrames.pong(frame.unmaskedData, allocator: context.channel.allocator))
        case .connectionClose:
            // Answer the close and hang up, echoing the client's code when it is one a close
            // may carry (RFC 6455 §7.4); a one-byte or invalid code is a protocol error.
            var data = frame.unmaskedData
            let code: UInt16 = switch data.readableBytes {
            case 0: 1000
            case 1: 1002
            default: data.readInteger(as: UInt16.self).flatMap { Self.closeCodeToEcho($0) } ?? 1002
            }
            closeWith(code: code, reason: "", context: context)
        default:
            break
        }
    }

    private func message(_ buffer: ByteBuffer, isText: Bool) {
        let now = NIODeadline.now()
        if now - windowStart >= .seconds(1) {
            windowStart = now
            messagesInWindow = 0
        }
        messagesInWindow += 1
        guard messagesInWindow <= gateway.configuration.maximumMessagesPerSecond else {
            return perform(machine.clientTooChatty(limit: gateway.configuration.maximumMessagesPerSecond))
        }
        guard isText else { return perform(machine.receivedBinary()) }
        perform(machine.received(text: buffer.readableBytesView))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        gateway.logger.debug("websocket connection error", metadata: ["error": "\(error)"])
        // A frame the decoder refused: say why (RFC 6455 §7.4.1), as NIO's own error handler would.
        if let error = error as? NIOWebSocketError {
            let code: UInt16 = if case .invalidFrameLength = error { 1009 } else { 1002 }
            return closeWith(code: code, reason: "", context: context)
        }
        context.close(promise: nil)
    }

    /// `code` when a close frame may carry it: 1000–1003, 1007–1011, and 3000–4999 (registered
    /// and private codes); nil otherwise.
    static func closeCodeToEcho(_ code: UInt16) -> UInt16? {
        switch code {
        case 1000...1003, 1007...1011, 3000...4999: code
        default: nil
        }
    }

    /// Sends a close frame, then closes the connection once it is written (or failed).
    private func closeWith(code: UInt16, reason: String, context: ChannelHandlerContext) {
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(ServerFrames.close(code: code, reason: reason, allocator: channel.allocator))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    // MARK: Actions

    fileprivate func perform(_ actions: [ConnectionStateMachine.Action]) {
        for action in actions { perform(action) }
    }

    private func perform(_ action: ConnectionStateMachine.Action) {
        guard let context else { return }
        switch action {
        case .send(let message):
            send(message)
        case .close(let code, let reason):
            if code == .tooSlow { gateway.hub.metrics.slowClientsClosed.increment() }
            closeWith(code: code.rawValue, reason: reason, context: context)
            // A slow reader may never take the close frame: do not wait for it.
            if code == .tooSlow { context.close(promise: nil) }
        case .authenticate(let payload):
            initTimer?.cancel()
            // Let go of the timer's promise: an idle connection should hold as little as possible.
            initTimer = nil
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            let gateway = gateway
            let promise = context.eventLoop.makePromise(of: (principal: Principal, refusedFrom: Date)?.self)
            promise.completeWithTask { try await gateway.authenticate(payload) }
            promise.futureResult.whenComplete { result in
                let handler = bound.value
                switch result {
                case .success(let verified):
                    handler.perform(handler.machine.authenticated(verified?.principal, until: verified?.refusedFrom))
                case .failure(let error):
                    handler.perform(handler.machine.authenticationFailed(reason: String(describing: error)))
                }
            }
        case .start(let id, let payload, let principal):
            start(id, payload: payload, principal: principal, context: context)
        case .stop(let id):
            if let subscriber = subscribers.removeValue(forKey: id) { gateway.hub.remove(subscriber) }
        case .expire(let date):
            let delay = max(0, date.timeIntervalSinceNow)
            let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
            expiryTimer = context.eventLoop.scheduleTask(in: .milliseconds(Int64(min(delay, 86_400 * 365) * 1000))) {
                bound.value.perform(bound.value.machine.tokenExpired())
            }
        }
    }

    private func start(_ id: String, payload: ClientMessage.SubscribePayload, principal: Principal?, context: ChannelHandlerContext) {
        let planned: PlannedOperation
        do {
            planned = try gateway.planner.plan(payload, principal: principal)
        } catch {
            return perform(machine.operationFailed(id, errors: ConnectionStateMachine.errors(error.message, code: error.code)))
        }
        let bound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let gateway = gateway
        switch planned {
        case .single(let request):
            let promise = context.eventLoop.makePromise(of: ByteBuffer.self)
            promise.completeWithTask { await gateway.hub.resolve(request, as: principal) }
            promise.futureResult.whenSuccess { result in
                let handler = bound.value
                guard handler.machine.operations.contains(id) else { return }
                handler.send(.next(id: id, result: result))
                handler.perform(handler.machine.operationCompleted(id))
            }
        case .live(let plan):
            guard let sink else { return }
            let promise = context.eventLoop.makePromise(of: ByteBuffer?.self)
            promise.completeWithTask { await gateway.hub.check(plan, principal: principal) }
            promise.futureResult.whenSuccess { errors in
                let handler = bound.value
                // The client may have completed it, or gone, while it was checked.
                guard handler.machine.operations.contains(id) else { return }
                if let errors { return handler.perform(handler.machine.operationFailed(id, errors: errors)) }
                let subscriber = LiveSubscriber(id: id, plan: gateway.hub.shared(plan), principal: principal, sink: sink)
                handler.subscribers[id] = subscriber
                gateway.hub.add(subscriber)
                // Reasoned: a replay reads the database once per connection that asks for it.
                if plan.since != nil { Task { await gateway.hub.replay(subscriber) } }
            }
        }
    }

    // MARK: Writing

    /// A hub's frame for operation `id`: sent only while the operation runs (a replay may still
    /// be finishing after the client completed it).
    fileprivate func deliver(_ frame: ByteBuffer, operation id: String) {
        guard machine.operations.contains(id) else { return }
        write(frame)
    }

    fileprivate func send(_ message: ServerMessage) {
        guard let context else { return }
        write(ServerFrames.text(message, allocator: context.channel.allocator))
    }

    private func write(_ frame: ByteBuffer) {
        guard let context else { return }
        if !isWritable {
            pending += 1
            guard pending <= gateway.configuration.maximumPendingMessages else {
                return perform(machine.clientTooSlow(pending: pending))
            }
        }
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }
}

/// A connection as the hub sees it.
final class ConnectionSink: LiveSink {
    let eventLoop: any EventLoop
    private let handler: NIOLoopBound<GraphQLWebSocketHandler>

    init(eventLoop: any EventLoop, handler: NIOLoopBound<GraphQLWebSocketHandler>) {
        self.eventLoop = eventLoop
        self.handler = handler
    }

    func deliverOnLoop(_ frame: ByteBuffer, operation id: String) {
        handler.value.deliver(frame, operation: id)
    }
}

extension Duration {
    /// The duration in nanoseconds, saturating at Int64's bounds.
    var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
