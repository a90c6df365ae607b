import HummingbirdCore
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// Hummingbird's HTTP/1.1 connection with one addition: `GET /graphql` asking to upgrade to a
/// WebSocket with the `graphql-transport-ws` subprotocol becomes a realtime connection, handled
/// by ``GraphQLWebSocketHandler`` from then on (no task stays behind for it). Everything else is
/// ordinary HTTP for the router.
public struct WebSocketUpgradeChannel: ServerChildChannel, HTTPChannelHandler {
    public static let subprotocol = "graphql-transport-ws"

    enum Negotiated: Sendable {
        case webSocket
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
    }

    public struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        public let channel: any Channel
    }

    public let responder: HTTPChannelHandler.Responder
    let gateway: RealtimeGateway
    let path: String
    let idleTimeout: Duration?
    /// Handlers for an HTTP connection between the HTTP codec and Hummingbird, as Hummingbird's
    /// own `additionalChannelHandlers` (the single node's cached answers).
    let additionalHTTPHandlers: @Sendable () -> [any RemovableChannelHandler]

    public init(
        responder: @escaping HTTPChannelHandler.Responder, gateway: RealtimeGateway, path: String = "/graphql", idleTimeout: Duration? = nil,
        additionalHTTPHandlers: @escaping @Sendable () -> [any RemovableChannelHandler] = { [] }
    ) {
        self.responder = responder
        self.gateway = gateway
        self.path = path
        self.idleTimeout = idleTimeout
        self.additionalHTTPHandlers = additionalHTTPHandlers
    }

    /// Reads start with 512-byte buffers instead of NIO's 2 KiB, growing when a read fills one:
    /// every connection keeps its largest receive buffer for reuse, so an idle WebSocket
    /// subscriber keeps a quarter of what it would (docs/realtime.md, "Memory per connection").
    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65_536)

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.syncOptions?.setOption(ChannelOptions.recvAllocator, value: Self.receiveBuffers)
            let gateway = gateway
            let path = path
            let idleTimeout = idleTimeout
            let additionalHTTPHandlers = additionalHTTPHandlers
            let upgrader = GraphQLWebSocketUpgrader(
                handshake: NIOTypedWebSocketServerUpgrader<Negotiated>(
                    maxFrameSize: gateway.configuration.maximumFrameBytes,
                    shouldUpgrade: { channel, head in
                        // Only the GraphQL path, and only for a client that speaks the protocol.
                        let requestPath = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
                        let offered = head.headers["Sec-WebSocket-Protocol"].flatMap { $0.split(separator: ",") }
                            .map { $0.trimmingCharacters(in: .whitespaces) }
                        guard requestPath == path, offered.contains(Self.subprotocol) else {
                            return channel.eventLoop.makeSucceededFuture(nil)
                        }
                        return channel.eventLoop.makeSucceededFuture(HTTPHeaders([("Sec-WebSocket-Protocol", Self.subprotocol)]))
                    },
                    // Never called: GraphQLWebSocketUpgrader sets the pipeline up itself.
                    upgradePipelineHandler: { channel, _ in channel.eventLoop.makeSucceededFuture(Negotiated.webSocket) }
                ),
                gateway: gateway)
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration<Negotiated>(
                upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                    upgraders: [upgrader],
                    notUpgradingCompletionHandler: { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                            try channel.pipeline.syncOperations.addHandlers(additionalHTTPHandlers())
                            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
                            return Negotiated.http(try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true)))
                        }
                    }
                )
            )
            // As Hummingbird's own HTTP/1 channel: the async channel pipelines, HTTP types
            // validate headers. But NIO answers a request that does not parse (400, then close):
            // one can fail while the upgrade is still being decided, before Hummingbird has the
            // connection, and nobody would answer it (the fuzzer's header with a DEL byte hung).
            configuration.enablePipelining = false
            configuration.enableErrorHandling = true
            configuration.enableResponseHeaderValidation = false
            let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(configuration: configuration)
            return Value(negotiated: negotiated, channel: channel)
        }
    }

    public func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .webSocket:
                // The handler in the pipeline owns the connection now.
                return
            case .http(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            }
        } catch {
            logger.debug("connection ended before its protocol was settled", metadata: ["error": "\(error)"])
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with the GraphQL WebSocket upgrade on `path`.
    public static func graphQLWebSocket(
        _ gateway: RealtimeGateway, path: String = "/graphql",
        additionalHTTPHandlers: @escaping @Sendable () -> [any RemovableChannelHandler] = { [] }
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            WebSocketUpgradeChannel(responder: responder, gateway: gateway, path: path, additionalHTTPHandlers: additionalHTTPHandlers)
        }
    }
}

/// NIO's WebSocket upgrader for the handshake (the key, the version, `Sec-WebSocket-Accept`);
/// the pipeline after it is ours: NIO's frame decoder, then the connection's handler, which
/// writes its frames as bytes itself (``ServerFrames``) — no frame encoder, no error handler
/// writing frames of its own (the connection answers decoding errors with a close frame).
struct GraphQLWebSocketUpgrader: NIOTypedHTTPServerProtocolUpgrader {
    typealias UpgradeResult = WebSocketUpgradeChannel.Negotiated

    let handshake: NIOTypedWebSocketServerUpgrader<UpgradeResult>
    let gateway: RealtimeGateway

    var supportedProtocol: String { handshake.supportedProtocol }
    var requiredUpgradeHeaders: [String] { handshake.requiredUpgradeHeaders }

    func buildUpgradeResponse(channel: any Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders) -> EventLoopFuture<HTTPHeaders> {
        handshake.buildUpgradeResponse(channel: channel, upgradeRequest: upgradeRequest, initialResponseHeaders: initialResponseHeaders)
    }

    func upgrade(channel: any Channel, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<UpgradeResult> {
        let gateway = gateway
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: gateway.configuration.maximumFrameBytes)))
            try channel.pipeline.syncOperations.addHandler(GraphQLWebSocketHandler(gateway: gateway))
            return .webSocket
        }
    }
}
