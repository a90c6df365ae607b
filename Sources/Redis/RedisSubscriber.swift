public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// Many subscriptions over one dedicated connection, with channels reference-counted: the first
/// local subscriber of a channel sends SUBSCRIBE, the last one to leave sends UNSUBSCRIBE. For a
/// node that follows whichever channels its clients use (the realtime gateway).
///
/// A `Service`: `run()` keeps the connection up and, after every reconnect, subscribes to all
/// channels in use again and yields `.subscribed(isResubscription: true)` to every subscription.
/// A subscription ends when its consumer stops iterating (or its task is cancelled).
public final class RedisSubscriber: Service, Sendable {
    public let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var channels: [String: [Int: AsyncStream<RedisPubSubEvent>.Continuation]] = [:]
        var connection: RedisConnection?
        var nextID = 0
        var isShutDown = false
    }

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "redis.subscriber")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Channels with at least one local subscriber.
    public var channels: Set<String> { self.state.withLock { Set($0.channels.keys) } }

    /// Events of `channel` until the consumer stops iterating. Messages published before the
    /// server confirmed the subscription (`.subscribed`) are not delivered.
    public func subscribe(
        to channel: String,
        bufferingPolicy: AsyncStream<RedisPubSubEvent>.Continuation.BufferingPolicy = .unbounded
    ) -> RedisSubscription {
        let (stream, continuation) = AsyncStream<RedisPubSubEvent>.makeStream(bufferingPolicy: bufferingPolicy)
        let id: Int? = self.state.withLock { state in
            guard !state.isShutDown else { return nil }
            let id = state.nextID
            state.nextID += 1
            let isFirst = state.channels[channel] == nil
            state.channels[channel, default: [:]][id] = continuation
            if isFirst, let connection = state.connection {
                // Under the lock, so SUBSCRIBE and UNSUBSCRIBE of one channel keep their order.
                connection.enqueueWithoutReply([RESPCommand("SUBSCRIBE", RESPArgument(channel))])
            } else if !isFirst, state.connection != nil {
                continuation.yield(.subscribed(isResubscription: false))
            }
            return id
        }
        guard let id else {
            continuation.finish()
            return RedisSubscription(stream: stream)
        }
        continuation.onTermination = { _ in
            self.state.withLock { state in
                state.channels[channel]?[id] = nil
                if state.channels[channel]?.isEmpty == true {
                    state.channels[channel] = nil
                    state.connection?.enqueueWithoutReply([RESPCommand("UNSUBSCRIBE", RESPArgument(channel))])
                }
            }
        }
        return RedisSubscription(stream: stream)
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.maintainConnection()
        }
        let continuations = self.state.withLock { state in
            state.isShutDown = true
            let all = state.channels.values.flatMap(\.values)
            state.channels = [:]
            return all
        }
        for continuation in continuations { continuation.finish() }
    }

    private func maintainConnection() async {
        var attempt = 0
        var hasConnected = false
        while !Task.isCancelled {
            if attempt > 0 {
                do {
                    try await Task.sleep(for: self.configuration.reconnectBackoff.delay(attempt: attempt - 1))
                } catch {
                    return
                }
            }
            let isResubscription = hasConnected
            do {
                let connection = try await RedisConnection.connect(
                    configuration: self.configuration, eventLoop: self.eventLoopGroup.any(), logger: self.logger,
                    isSubscriber: true, onPush: { [weak self] value in self?.handlePush(value, isResubscription: isResubscription) }
                )
                self.state.withLock { state in
                    state.connection = connection
                    if !state.channels.isEmpty {
                        connection.enqueueWithoutReply([RESPCommand("SUBSCRIBE", state.channels.keys.map { RESPArgument($0) })])
                    }
                }
                hasConnected = true
                attempt = 0
                await withTaskCancellationHandler {
                    await connection.waitUntilClosed()
                } onCancel: {
                    connection.channel.close(promise: nil)
                }
                self.state.withLock { $0.connection = nil }
                if !Task.isCancelled { self.logger.warning("redis subscriber connection lost; resubscribing") }
                attempt = 1
            } catch {
                if attempt % 20 == 0 {
                    self.logger.warning("redis subscriber connect failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                attempt += 1
            }
        }
    }

    private func handlePush(_ value: RESPValue, isResubscription: Bool) {
        guard let elements = value.array, elements.count == 3, let kind = elements.first?.string?.lowercased(),
              let channel = elements[1].string else { return }
        let event: RedisPubSubEvent
        switch kind {
        case "message":
            guard let payload = elements[2].buffer else { return }
            event = .message(channel: channel, payload: payload)
        case "subscribe":
            event = .subscribed(isResubscription: isResubscription)
        default:
            return
        }
        let continuations = self.state.withLock { state in state.channels[channel].map { Array($0.values) } ?? [] }
        for continuation in continuations { continuation.yield(event) }
    }
}
