// realtime-load: holds many WebSocket subscribers cheaply (plain NIO handlers, one event loop) for
// scripts/bench-realtime (docs/BENCHMARKS.md, #16). Two modes over the same sockets:
//   graphql  graphql-transport-ws at /graphql: connection_init, then subscribe to
//            productChanged(id) of one of the channels
//   nchan    nginx's nchan module: a WebSocket subscriber of /sub/<channel>
// Every received event is recorded as (channel index, arrival time in ns since the epoch) and
// written to --report when the run ends, for the script to match against publication times.
//   realtime-load --mode graphql|nchan --targets 127.0.0.1:8081,… --connections N --channels a,b,…
//                 --source 127.0.3 --duration S --report FILE
// With EMPORIUM_JWT_SECRET set (the realtime nodes' HS256 secret), every graphql connection
// authenticates in connection_init as its own user (bench-<source>-<n>), as signed-in buyers do.
import Foundation
import EmporiumCore
import Identity
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

struct Options {
    var mode = "graphql"
    var targets: [(String, Int)] = []
    var connections = 1000
    var channels: [String] = []
    var source = "127.0.1"
    var duration = 30
    var report = "/dev/null"
    var rate = 2000

    init() {
        var arguments = CommandLine.arguments.dropFirst()
        while let name = arguments.popFirst() {
            guard let value = arguments.popFirst() else { fail("\(name) needs a value") }
            switch name {
            case "--mode": mode = value
            case "--targets":
                targets = value.split(separator: ",").compactMap { item in
                    let parts = item.split(separator: ":")
                    guard parts.count == 2, let port = Int(parts[1]) else { return nil }
                    return (String(parts[0]), port)
                }
            case "--connections": connections = Int(value) ?? 0
            case "--channels": channels = value.split(separator: ",").map(String.init)
            case "--source": source = value
            case "--duration": duration = Int(value) ?? 0
            case "--report": report = value
            case "--rate": rate = Int(value) ?? 0
            default: fail("unknown option \(name)")
            }
        }
        guard ["graphql", "nchan"].contains(mode), !targets.isEmpty, (1...60_000).contains(connections), !channels.isEmpty,
              (1...3600).contains(duration), (1...100_000).contains(rate) else {
            fail("usage: realtime-load --mode graphql|nchan --targets host:port,… --connections 1…60000 --channels a,b,… [--source 127.0.1] [--duration S] [--report FILE] [--rate connects/s]")
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

func nowNanoseconds() -> Int64 {
    Int64((Date().timeIntervalSince1970 * 1e9).rounded())
}

/// Everything happens on one event loop: plain state, no locks.
final class Tally: @unchecked Sendable {
    var established = 0
    var subscribed = 0
    var failed = 0
    var closed = 0
    /// (channel, target node, arrival).
    var events: [(Int32, Int32, Int64)] = []
    init() { events.reserveCapacity(1 << 20) }
}

final class SubscriberHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let graphql: Bool
    let channelIndex: Int32
    let node: Int32
    let product: String
    let token: String?
    let tally: Tally

    init(graphql: Bool, channelIndex: Int32, node: Int32, product: String, token: String?, tally: Tally) {
        self.graphql = graphql
        self.channelIndex = channelIndex
        self.node = node
        self.product = product
        self.token = token
        self.tally = tally
    }

    func handlerAdded(context: ChannelHandlerContext) {
        tally.established += 1
        if graphql {
            // On the next tick: the upgrade is still removing the HTTP handlers now.
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            let message = token.map { #"{"type":"connection_init","payload":{"authorization":"Bearer \#($0)"}}"# } ?? #"{"type":"connection_init"}"#
            context.eventLoop.execute { bound.value.0.send(message, context: bound.value.1) }
        } else {
            tally.subscribed += 1
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        tally.closed += 1
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            let arrival = nowNanoseconds()
            let text = frame.unmaskedData.readableBytesView
            if graphql, text.count < 64, String(decoding: text, as: UTF8.self).contains("connection_ack") {
                send(#"{"type":"subscribe","id":"1","payload":{"query":"subscription($p: ID!) { productChanged(id: $p) { id } }","variables":{"p":"\#(product)"}}}"#, context: context)
                tally.subscribed += 1
            } else {
                tally.events.append((channelIndex, node, arrival))
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
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

let options = Options()
/// One token per connection, signed before any connects (nil: anonymous connections).
let tokens: [String]? = await {
    guard options.mode == "graphql", let secret = ProcessInfo.processInfo.environment["EMPORIUM_JWT_SECRET"] else { return nil }
    do {
        let service = try await TokenService(keys: .hmacSHA256(secret: secret))
        var tokens: [String] = []
        tokens.reserveCapacity(options.connections)
        for index in 0..<options.connections {
            tokens.append(try await service.issue(userID: UserID("bench-\(options.source)-\(index)"), roles: [.buyer], validFor: .seconds(3600)))
        }
        return tokens
    } catch {
        fail("signing tokens: \(error)")
    }
}()
let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let loop = group.next()
let tally = Tally()
let started = Date()

/// One connection: from 127.x.y.z (spread so that no source address runs out of ports), through
/// the HTTP upgrade, then the subscriber handler.
func connect(_ index: Int) -> EventLoopFuture<Void> {
    let (host, port) = options.targets[index % options.targets.count]
    let channelIndex = index % options.channels.count
    let product = options.channels[channelIndex]
    let graphql = options.mode == "graphql"
    let token = tokens?[index]
    let path = graphql ? "/graphql" : "/sub/\(product)"
    let source: SocketAddress
    do {
        source = try SocketAddress(ipAddress: "\(options.source).\(1 + (index / 20_000) % 250)", port: 0)
    } catch {
        return loop.makeFailedFuture(error)
    }
    return ClientBootstrap(group: loop)
        .bind(to: source)
        .channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(maxFrameSize: 1 << 16, upgradePipelineHandler: { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            SubscriberHandler(
                                graphql: graphql, channelIndex: Int32(channelIndex), node: Int32(index % options.targets.count), product: product,
                                token: token, tally: tally))
                        return true
                    }
                })
                var headers = HTTPHeaders([("Host", "\(host):\(port)"), ("Content-Length", "0")])
                if graphql { headers.add(name: "Sec-WebSocket-Protocol", value: "graphql-transport-ws") }
                let configuration = NIOTypedHTTPClientUpgradeConfiguration<Bool>(
                    upgradeRequestHead: HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers),
                    upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(false) })
                _ = try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(configuration: .init(upgradeConfiguration: configuration))
            }
        }
        .connect(host: host, port: port)
        .map { _ in }
}

/// Opens every connection at up to --rate per second, 200 in flight at most.
func openAll() async {
    let inFlight = 200
    var next = 0
    var pending: [EventLoopFuture<Void>] = []
    let interval = 1.0 / Double(options.rate)
    let begin = Date()
    while next < options.connections {
        while pending.count < inFlight, next < options.connections {
            let due = begin.addingTimeInterval(Double(next) * interval)
            let wait = due.timeIntervalSinceNow
            if wait > 0 { try? await Task.sleep(for: .milliseconds(Int(wait * 1000))) }
            pending.append(connect(next).flatMapErrorThrowing { _ in loop.execute { tally.failed += 1 } })
            next += 1
        }
        _ = try? await pending.removeFirst().get()
    }
    for future in pending { _ = try? await future.get() }
}

await openAll()
// Wait until every upgraded connection has subscribed (or a minute passed).
for _ in 0..<600 {
    let (subscribed, failed, established) = try! await loop.submit { (tally.subscribed, tally.failed, tally.established) }.get()
    if ProcessInfo.processInfo.environment["REALTIME_LOAD_DEBUG"] != nil { print("established=\(established) subscribed=\(subscribed) failed=\(failed)") }
    if subscribed + failed >= options.connections || (established + failed >= options.connections && subscribed >= established) { break }
    try? await Task.sleep(for: .milliseconds(100))
}
let setup = Date().timeIntervalSince(started)
let (subscribed, failed) = try! await loop.submit { (tally.subscribed, tally.failed) }.get()
print(String(format: "READY subscribed=%d failed=%d seconds=%.2f rate=%.0f/s", subscribed, failed, setup, Double(subscribed) / setup))
fflush(nil)

try? await Task.sleep(for: .seconds(options.duration))
let (events, closed) = try! await loop.submit { (tally.events, tally.closed) }.get()
var text = ""
text.reserveCapacity(events.count * 28)
for (channel, node, arrival) in events { text += "\(channel) \(arrival) \(node)\n" }
try? text.write(toFile: options.report, atomically: true, encoding: .utf8)
print("DONE events=\(events.count) closed=\(closed)")
fflush(nil)
exit(0)
