import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One TCP (or TLS) connection to one broker. Requests may be pipelined: each `send` writes its
/// frame at once and awaits its own answer. Encoding and decoding run on the caller's thread.
final class BrokerConnection: Sendable {
    let channel: any Channel
    let address: KafkaBrokerAddress
    let requestTimeout: TimeAmount
    let clientID: String

    private init(channel: any Channel, address: KafkaBrokerAddress, requestTimeout: TimeAmount, clientID: String) {
        self.channel = channel
        self.address = address
        self.requestTimeout = requestTimeout
        self.clientID = clientID
    }

    var isActive: Bool { channel.isActive }

    /// Connects, checks the broker's API versions, and authenticates when SASL is configured.
    static func connect(
        to address: KafkaBrokerAddress,
        configuration: KafkaConfiguration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) async throws -> BrokerConnection {
        let sslContext: NIOSSLContext?
        if let tls = configuration.tls {
            do { sslContext = try NIOSSLContext(configuration: tls) } catch {
                throw KafkaError(.invalidArgument, detail: "TLS configuration: \(error)")
            }
        } else {
            sslContext = nil
        }
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(.nanoseconds(configuration.connectTimeout.nanoseconds))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Best effort: some sandboxed network stacks (gVisor's, behind a container
                    // bridge) refuse these options, and a connection without them still works.
                    try? channel.syncOptions?.setOption(.socketOption(.tcp_nodelay), value: 1)
                    if let sslContext {
                        let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: address.host.isIPAddress ? nil : address.host)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(KafkaChannelHandler())
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: address.host, port: address.port).get()
        } catch {
            throw KafkaError(.connectionFailed, detail: "\(address): \(error)")
        }
        let connection = BrokerConnection(
            channel: channel, address: address,
            requestTimeout: .nanoseconds(configuration.requestTimeout.nanoseconds), clientID: configuration.clientID
        )
        do {
            let versions = try await connection.send(ApiVersionsRequest())
            try KafkaError.check(versions.errorCode, "ApiVersions from \(address)")
            try versions.checkSupported()
            if let sasl = configuration.sasl {
                try await connection.authenticate(sasl)
            }
        } catch {
            connection.close()
            throw error
        }
        logger.debug("kafka connected", metadata: ["kafka.broker": "\(address)"])
        return connection
    }

    private func authenticate(_ mechanism: KafkaConfiguration.SASLMechanism) async throws {
        switch mechanism {
        case .plain(let username, let password):
            let handshake = try await send(SaslHandshakeRequest(mechanism: "PLAIN"))
            try KafkaError.check(handshake.errorCode, "SASL mechanisms offered: \(handshake.mechanisms)")
            let auth = try await send(SaslAuthenticateRequest.plain(username: username, password: password))
            try KafkaError.check(auth.errorCode, auth.errorMessage)
        }
    }

    func send<R: KafkaRequest>(_ request: R, timeout: TimeAmount? = nil) async throws -> R.Response {
        var frame = channel.allocator.buffer(capacity: 64)
        KafkaFraming.encodeRequest(request, correlationID: 0, clientID: clientID, into: &frame)
        var response = try await sendFrame(frame, timeout: timeout ?? requestTimeout)
        do {
            return try R.decodeResponse(from: &response)
        } catch {
            close()  // the stream can no longer be trusted
            throw error
        }
    }

    /// Writes an encoded frame and returns the response body (after the response header).
    func sendFrame(_ frame: ByteBuffer, timeout: TimeAmount) async throws -> ByteBuffer {
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        channel.writeAndFlush(KafkaOutboundRequest(frame: frame, promise: promise, timeout: timeout)).whenFailure { error in
            promise.fail(error as? KafkaError ?? KafkaError(.connectionClosed, detail: "\(error)"))
        }
        return try await promise.futureResult.get()
    }

    func close() {
        channel.close(promise: nil)
    }
}

extension String {
    var isIPAddress: Bool {
        (try? SocketAddress(ipAddress: self, port: 0)) != nil
    }
}
