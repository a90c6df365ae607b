public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A Redis client: a small pool of multiplexed, pipelining connections that reconnect with
/// backoff, plus dedicated connections for pub/sub.
///
/// Like `PostgresClient`, it is a `Service`: `run()` owns the pool. Commands wait for `run()` to
/// connect; while the server is unreachable they fail fast with `.connectionUnavailable`, so
/// callers (caches, rate limiters) can fall back instead of queueing.
public final class RedisClient: Service, Sendable {
    public let configuration: RedisConfiguration
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    private let pool: Mutex<PoolState>

    struct PoolState {
        enum Slot {
            case connecting
            case connected(RedisConnection)
        }

        var slots: [Slot]
        var isRunning = false
        var isShutDown = false
        /// The last connect failure since the last successful connect.
        var lastError: RedisError?
        var waiters: [Int: CheckedContinuation<RedisConnection, any Error>] = [:]
        var nextWaiterID = 0
        var roundRobin = 0

        mutating func nextConnected() -> RedisConnection? {
            let count = self.slots.count
            for offset in 0..<count {
                let index = (self.roundRobin &+ offset) % count
                if case .connected(let connection) = self.slots[index], connection.isActive {
                    self.roundRobin = index &+ 1
                    return connection
                }
            }
            return nil
        }
    }

    public init(
        configuration: RedisConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "redis")
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.pool = Mutex(PoolState(slots: Array(repeating: .connecting, count: configuration.connectionCount)))
    }

    /// Keeps the pool connected until cancelled (or graceful shutdown), then closes it.
    public func run() async throws {
        let alreadyRunning = self.pool.withLock { state in
            defer { state.isRunning = true }
            return state.isRunning
        }
        precondition(!alreadyRunning, "RedisClient.run() called twice")
        // Services stop in reverse order, so whatever uses the client has stopped by now.
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<self.configuration.connectionCount {
                    group.addTask { await self.maintainSlot(index) }
                }
            }
        }
        let (waiters, connections) = self.pool.withLock { state in
            state.isShutDown = true
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            let connections = state.slots.compactMap { slot -> RedisConnection? in
                if case .connected(let connection) = slot { return connection }
                return nil
            }
            state.slots = state.slots.map { _ in .connecting }
            return (waiters, connections)
        }
        for waiter in waiters { waiter.resume(throwing: RedisError(code: .clientShutDown)) }
        for connection in connections { await connection.close() }
    }

    private func maintainSlot(_ index: Int) async {
        var attempt = 0
        var first = true
        while !Task.isCancelled {
            if !first {
                do {
                    try await Task.sleep(for: self.configuration.reconnectBackoff.delay(attempt: attempt))
                } catch {
                    return
                }
            }
            first = false
            do {
                let connection = try await RedisConnection.connect(
                    configuration: self.configuration,
                    eventLoop: self.eventLoopGroup.any(),
                    logger: self.logger,
                    isSubscriber: false,
                    onPush: nil
                )
                if attempt > 0 {
                    self.logger.info("redis reconnected", metadata: ["redis.slot": "\(index)", "redis.attempts": "\(attempt)"])
                }
                attempt = 0
                let waiters = self.pool.withLock { state in
                    state.slots[index] = .connected(connection)
                    state.lastError = nil
                    let waiters = Array(state.waiters.values)
                    state.waiters = [:]
                    return waiters
                }
                for waiter in waiters { waiter.resume(returning: connection) }
                await withTaskCancellationHandler {
                    await connection.waitUntilClosed()
                } onCancel: {
                    connection.channel.close(promise: nil)
                }
                self.pool.withLock { $0.slots[index] = .connecting }
                if !Task.isCancelled {
                    self.logger.warning("redis connection lost", metadata: ["redis.slot": "\(index)"])
                }
            } catch {
                let redisError = error as? RedisError ?? RedisError(code: .connectionFailed, underlying: error)
                let waiters = self.pool.withLock { state in
                    state.lastError = redisError
                    if state.nextConnected() != nil { return [CheckedContinuation<RedisConnection, any Error>]() }
                    let waiters = Array(state.waiters.values)
                    state.waiters = [:]
                    return waiters
                }
                let unavailable = RedisError(code: .connectionUnavailable, details: "cannot connect", underlying: redisError)
                for waiter in waiters { waiter.resume(throwing: unavailable) }
                if attempt == 0 || attempt % 20 == 0 {
                    self.logger.warning("redis connect failed", metadata: [
                        "redis.slot": "\(index)", "redis.attempt": "\(attempt)", "error": "\(String(reflecting: redisError))",
                    ])
                }
                attempt += 1
            }
        }
    }

    /// A connection from the pool: waits while the pool is (re)connecting for the first time, fails
    /// fast once a connect attempt has failed and no connection is up.
    func leaseConnection() async throws -> RedisConnection {
        enum Decision {
            case use(RedisConnection)
            case fail(RedisError)
            case wait
        }
        let decision: Decision = self.pool.withLock { state in
            if state.isShutDown { return .fail(RedisError(code: .clientShutDown)) }
            if let connection = state.nextConnected() { return .use(connection) }
            if let lastError = state.lastError {
                return .fail(RedisError(code: .connectionUnavailable, details: "reconnecting", underlying: lastError))
            }
            return .wait
        }
        switch decision {
        case .use(let connection): return connection
        case .fail(let error): throw error
        case .wait: break
        }
        let id = self.pool.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<RedisConnection, any Error>) in
                let immediate: Result<RedisConnection, any Error>? = self.pool.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.isShutDown { return .failure(RedisError(code: .clientShutDown)) }
                    if let connection = state.nextConnected() { return .success(connection) }
                    if let lastError = state.lastError {
                        return .failure(RedisError(code: .connectionUnavailable, details: "reconnecting", underlying: lastError))
                    }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = self.pool.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Sends one command on a pooled connection. Error replies throw.
    @discardableResult
    public func send(_ command: RESPCommand) async throws -> RESPValue {
        try await self.leaseConnection().send(command)
    }

    /// Sends any command: `send(command: "OBJECT", arguments: ["ENCODING", "key"])`.
    @discardableResult
    public func send(command: String, arguments: [RESPArgument] = []) async throws -> RESPValue {
        try await self.send(RESPCommand(command, arguments))
    }

    /// Sends commands in one write on one connection; replies in order, error replies as values.
    public func pipeline(_ commands: [RESPCommand]) async throws -> [RESPValue] {
        try await self.leaseConnection().pipeline(commands)
    }

    /// Runs `body` on a fresh connection of its own, closed afterwards: for MULTI/EXEC, WATCH and
    /// blocking commands, which must not share a pooled connection.
    public func withDedicatedConnection<T: Sendable>(_ body: (RedisConnection) async throws -> T) async throws -> T {
        let connection = try await RedisConnection.connect(
            configuration: self.configuration, eventLoop: self.eventLoopGroup.any(), logger: self.logger, isSubscriber: false, onPush: nil
        )
        do {
            let result = try await body(connection)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}
