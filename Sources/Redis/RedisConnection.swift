public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL

/// One connection to Redis after a successful handshake. Any number of commands may be in
/// flight at once (pipelining); replies come back in order.
///
/// Pool connections are shared: do not use MULTI/EXEC or blocking commands on them. For those,
/// use ``RedisClient/withDedicatedConnection(_:)``.
public final class RedisConnection: Sendable {
    let channel: any Channel
    /// The protocol the handshake settled on (RESP3 unless the server is older than Redis 6).
    public let protocolVersion: RedisConfiguration.ProtocolVersion
    /// The server's version as reported by HELLO (`nil` on RESP2).
    public let serverVersion: String?
    private let commandTimeout: TimeAmount?

    private init(channel: any Channel, protocolVersion: RedisConfiguration.ProtocolVersion, serverVersion: String?, commandTimeout: TimeAmount?) {
        self.channel = channel
        self.protocolVersion = protocolVersion
        self.serverVersion = serverVersion
        self.commandTimeout = commandTimeout
    }

    /// Opens a connection and completes the handshake (HELLO 3 or AUTH, SELECT, client name).
    public static func connect(
        configuration: RedisConfiguration,
        eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any(),
        logger: Logger = Logger(label: "redis")
    ) async throws -> RedisConnection {
        try await self.connect(configuration: configuration, eventLoop: eventLoop, logger: logger, isSubscriber: false, onPush: nil)
    }

    static func connect(
        configuration: RedisConfiguration,
        eventLoop: any EventLoop,
        logger: Logger,
        isSubscriber: Bool,
        onPush: (@Sendable (RESPValue) -> Void)?
    ) async throws -> RedisConnection {
        let settings = RedisConnectionStateMachine<EventLoopPromise<[RESPValue]>>.Settings(
            protocolVersion: configuration.protocolVersion,
            username: configuration.username,
            password: configuration.password,
            database: configuration.database,
            clientName: configuration.clientName
        )
        let sslContext: NIOSSLContext?
        switch configuration.tls.mode {
        case .disable:
            sslContext = nil
        case .require(let tlsConfiguration):
            do {
                sslContext = try NIOSSLContext(configuration: tlsConfiguration)
            } catch {
                throw RedisError(code: .connectionFailed, details: "invalid TLS configuration", underlying: error)
            }
        }
        let serverName = configuration.tlsServerName ?? configuration.host
        let handshakePromise = eventLoop.makePromise(of: RedisConnectionStateMachine<EventLoopPromise<[RESPValue]>>.HandshakeResult.self)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Best effort: some sandboxed network stacks (gVisor's, behind a container
                    // bridge) refuse these options, and a connection without them still works.
                    try? channel.syncOptions?.setOption(.socketOption(.tcp_nodelay), value: 1)
                    // Lets the kernel notice a peer that vanished without closing (half-open connections).
                    try? channel.syncOptions?.setOption(.socketOption(.so_keepalive), value: 1)
                    if let sslContext {
                        let hostname = serverName.isIPAddress ? nil : serverName
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: hostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        RedisChannelHandler(settings: settings, isSubscriber: isSubscriber, handshakePromise: handshakePromise, onPush: onPush)
                    )
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
        } catch {
            handshakePromise.fail(RedisError(code: .connectionFailed, underlying: error))
            throw RedisError(code: .connectionFailed, details: "connect to \(configuration.host):\(configuration.port)", underlying: error)
        }
        // The handshake needs a few round trips; bound it by the connect timeout as well.
        let timeout = eventLoop.scheduleTask(in: TimeAmount(configuration.connectTimeout)) {
            handshakePromise.fail(RedisError(code: .timeout, details: "handshake timed out"))
        }
        do {
            let result = try await handshakePromise.futureResult.get()
            timeout.cancel()
            logger.debug("redis connection ready", metadata: [
                "redis.protocol": "\(result.protocolVersion.rawValue)",
                "redis.server.version": "\(result.serverVersion ?? "unknown")",
            ])
            return RedisConnection(
                channel: channel,
                protocolVersion: result.protocolVersion,
                serverVersion: result.serverVersion,
                commandTimeout: configuration.commandTimeout.map(TimeAmount.init)
            )
        } catch {
            timeout.cancel()
            channel.close(promise: nil)
            throw error
        }
    }

    /// Whether the connection is still open.
    public var isActive: Bool { self.channel.isActive }

    /// Sends one command. An error reply throws a `.server` ``RedisError`` (or `.noScript`, …).
    @discardableResult
    public func send(_ command: RESPCommand) async throws -> RESPValue {
        var buffer = self.channel.allocator.buffer(capacity: 64)
        command.write(to: &buffer)
        let reply = try await self.write(buffer, expectedReplies: 1)[0]
        if let message = reply.errorMessage { throw RedisError.server(message: message) }
        return reply
    }

    /// Sends several commands in one write and returns their replies in order. Error replies are
    /// returned as values (`.simpleError`), so one failing command does not hide the others.
    public func pipeline(_ commands: [RESPCommand]) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        var buffer = self.channel.allocator.buffer(capacity: 64 * commands.count)
        for command in commands { command.write(to: &buffer) }
        return try await self.write(buffer, expectedReplies: commands.count)
    }

    /// Writes commands whose confirmations arrive as pushes (SUBSCRIBE on a subscriber connection).
    func sendWithoutReply(_ commands: [RESPCommand]) async throws {
        var buffer = self.channel.allocator.buffer(capacity: 64)
        for command in commands { command.write(to: &buffer) }
        _ = try await self.write(buffer, expectedReplies: 0)
    }

    /// Enqueues commands whose confirmations arrive as pushes, without waiting. Calls made in some
    /// order (e.g. under a lock) reach the server in that order.
    func enqueueWithoutReply(_ commands: [RESPCommand]) {
        var buffer = self.channel.allocator.buffer(capacity: 64)
        for command in commands { command.write(to: &buffer) }
        let promise = self.channel.eventLoop.makePromise(of: [RESPValue].self)
        self.channel.writeAndFlush(RedisRequest(encoded: buffer, expectedReplies: 0, promise: promise, deadline: nil)).whenFailure { error in
            promise.fail(error)
        }
    }

    private func write(_ buffer: ByteBuffer, expectedReplies: Int) async throws -> [RESPValue] {
        let promise = self.channel.eventLoop.makePromise(of: [RESPValue].self)
        let request = RedisRequest(
            encoded: buffer,
            expectedReplies: expectedReplies,
            promise: promise,
            deadline: self.commandTimeout.map { self.channel.eventLoop.now + $0 }
        )
        self.channel.writeAndFlush(request).whenFailure { error in
            promise.fail(error as? RedisError ?? RedisError(code: .connectionClosed, underlying: error))
        }
        return try await promise.futureResult.get()
    }

    /// Closes the connection; in-flight commands fail with `.connectionClosed`.
    public func close() async {
        try? await self.channel.close()
    }

    /// Completes when the connection has closed, for whatever reason.
    func waitUntilClosed() async {
        try? await self.channel.closeFuture.get()
    }
}

extension String {
    var isIPAddress: Bool {
        (try? SocketAddress(ipAddress: self, port: 0)) != nil
    }
}
