// How a buyer's app learns that its order moved on: the `orderUpdated(id)` subscription over the
// node's WebSocket gateway (graphql-transport-ws on /graphql), as a real client would, instead of
// asking again and again. One connection per buyer, opened before the checkout.
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
import Synchronization

/// The statuses one order was seen in, and one waiter for the next wanted one.
final class OrderWatch: Sendable {
    struct Sighting: Sendable {
        let at: ContinuousClock.Instant
        let confirmationURL: String?
        let reason: String?
    }

    private struct State {
        var seen: [String: Sighting] = [:]
        var waiter: (wanted: String, number: Int, continuation: CheckedContinuation<Bool, Never>)?
        /// Numbers the waits, so that a finished wait's timer cannot wake a later one.
        var waits = 0
        var closed: String?
    }

    private let state = Mutex(State())

    /// Records `status` (from an event or a poll) and wakes a waiter that wanted it. A status
    /// seen without a payment page is seen again when the page comes.
    func saw(_ status: String, confirmationURL: String?, reason: String?, at instant: ContinuousClock.Instant) {
        let woken = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if let known = state.seen[status], known.confirmationURL != nil || confirmationURL == nil { return nil }
            state.seen[status] = Sighting(at: instant, confirmationURL: confirmationURL, reason: reason)
            guard let waiter = state.waiter, Self.satisfies(state.seen, waiter.wanted) else { return nil }
            state.waiter = nil
            return waiter.continuation
        }
        woken?.resume(returning: true)
    }

    /// The connection ended: a waiter falls back to polling.
    func close(_ why: String) {
        let woken = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            state.closed = why
            defer { state.waiter = nil }
            return state.waiter?.continuation
        }
        woken?.resume(returning: false)
    }

    var closedReason: String? { state.withLock { $0.closed } }

    func sighting(_ status: String) -> Sighting? { state.withLock { $0.seen[status] } }

    /// A final status the buyer cannot get past, if one was seen.
    func failure() -> (String, Sighting)? {
        state.withLock { state in
            for status in ["REJECTED", "CANCELLED"] {
                if let sighting = state.seen[status] { return (status, sighting) }
            }
            return nil
        }
    }

    /// Waits until `wanted` (or a final failure) was seen, or `timeout` passed on `loop`;
    /// answers whether it was seen.
    func wait(for wanted: String, timeout: TimeAmount, on loop: any EventLoop) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            // The wait's number; nil when there is nothing to wait for.
            let waiting = state.withLock { state -> Int? in
                if Self.satisfies(state.seen, wanted) || state.closed != nil { return nil }
                state.waits += 1
                state.waiter = (wanted, state.waits, continuation)
                return state.waits
            }
            guard let number = waiting else {
                continuation.resume(returning: sighting(wanted) != nil)
                return
            }
            loop.scheduleTask(in: timeout) { [self] in
                let woken = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                    guard let waiter = state.waiter, waiter.number == number else { return nil }
                    state.waiter = nil
                    return waiter.continuation
                }
                woken?.resume(returning: false)
            }
        }
    }

    private static func satisfies(_ seen: [String: Sighting], _ wanted: String) -> Bool {
        if seen["REJECTED"] != nil || seen["CANCELLED"] != nil { return true }
        guard let sighting = seen[wanted] else { return false }
        return wanted != "AWAITING_PAYMENT" || sighting.confirmationURL != nil
    }
}

/// One buyer's WebSocket: connection_init with the token, then `orderUpdated` for one order.
final class LiveOrderHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let token: String
    let watch: OrderWatch
    let acknowledged: EventLoopPromise<Void>

    init(token: String, watch: OrderWatch, acknowledged: EventLoopPromise<Void>) {
        self.token = token
        self.watch = watch
        self.acknowledged = acknowledged
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // On the next tick: the upgrade is still removing the HTTP handlers now.
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            bound.value.0.send(#"{"type":"connection_init","payload":{"authorization":"Bearer \#(bound.value.0.token)"}}"#, context: bound.value.1)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        acknowledged.fail(BenchError("the WebSocket closed before connection_ack"))
        watch.close("the WebSocket closed")
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            let arrival = clock.now
            guard let message = try? JSONSerialization.jsonObject(with: Data(frame.unmaskedData.readableBytesView)) as? [String: Any] else { return }
            switch message["type"] as? String {
            case "connection_ack":
                acknowledged.succeed()
            case "ping":
                send(#"{"type":"pong"}"#, context: context)
            case "next":
                let payload = message["payload"] as? [String: Any]
                guard let order = (payload?["data"] as? [String: Any])?["orderUpdated"] as? [String: Any],
                      let status = order["status"] as? String else {
                    return watch.close("the subscription answered without a status: \(String(decoding: frame.unmaskedData.readableBytesView, as: UTF8.self).prefix(300))")
                }
                let page = (order["payment"] as? [String: Any])?["confirmationUrl"] as? String
                watch.saw(status, confirmationURL: page, reason: order["reason"] as? String, at: arrival)
            case "error":
                watch.close("the subscription was refused: \(message["payload"] ?? "")")
            case "complete":
                watch.close("the node completed the subscription")
            default:
                break
            }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            watch.close("the node closed the WebSocket")
            context.close(promise: nil)
        default:
            break
        }
    }

    func send(_ text: String, context: ChannelHandlerContext) {
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: context.channel.allocator.buffer(string: text))
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }
}

/// A buyer's open WebSocket to the node.
struct LiveConnection: Sendable {
    let channel: any Channel
    let watch: OrderWatch

    /// Connects to `host:port`'s /graphql and waits for connection_ack.
    static func open(host: String, port: Int, token: String, on loop: any EventLoop) async throws -> LiveConnection {
        let watch = OrderWatch()
        let acknowledged = loop.makePromise(of: Void.self)
        let (channel, upgrading) = try await ClientBootstrap(group: loop)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(maxFrameSize: 1 << 20, upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(LiveOrderHandler(token: token, watch: watch, acknowledged: acknowledged))
                            return true
                        }
                    })
                    let headers = HTTPHeaders([("Host", "\(host):\(port)"), ("Content-Length", "0"), ("Sec-WebSocket-Protocol", "graphql-transport-ws")])
                    let configuration = NIOTypedHTTPClientUpgradeConfiguration<Bool>(
                        upgradeRequestHead: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/graphql", headers: headers),
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(false) })
                    let upgrading = try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: .init(upgradeConfiguration: configuration))
                    return (channel as any Channel, upgrading)
                }
            }
        let upgrade = (try? await upgrading.get()) ?? false
        guard upgrade else {
            acknowledged.fail(BenchError("/graphql did not upgrade to a WebSocket"))
            try? await channel.close()
            throw BenchError("/graphql did not upgrade to a WebSocket")
        }
        do {
            try await acknowledged.futureResult.get()
        } catch {
            try? await channel.close()
            throw error
        }
        return LiveConnection(channel: channel, watch: watch)
    }

    /// Subscribes to `orderUpdated(id)` with the fields the buyer acts on.
    func subscribe(order id: String) {
        let message = #"{"type":"subscribe","id":"1","payload":{"query":"subscription($id: ID!) { orderUpdated(id: $id) { status reason payment { confirmationUrl } } }","variables":{"id":"\#(id)"}}}"#
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: channel.allocator.buffer(string: message))
        channel.writeAndFlush(frame, promise: nil)
    }

    func close() {
        channel.close(promise: nil)
    }
}
