import NIOCore

/// The protocol logic of one Redis connection: handshake (HELLO/AUTH/SELECT), the FIFO of
/// in-flight requests, push messages and timeouts. A plain value: events in, actions out, no I/O.
///
/// `Request` is opaque to the machine (the channel handler uses reply promises; tests use numbers).
struct RedisConnectionStateMachine<Request> {
    struct Settings: Sendable {
        var protocolVersion: RedisConfiguration.ProtocolVersion
        var username: String?
        var password: String?
        var database: Int
        var clientName: String?
    }

    enum HandshakeStep: Equatable {
        case hello
        case auth
        case select
        case setName

        func command(_ settings: Settings) -> RESPCommand {
            switch self {
            case .hello:
                var arguments: [RESPArgument] = ["3"]
                if let password = settings.password {
                    arguments += ["AUTH", RESPArgument(settings.username ?? "default"), RESPArgument(password)]
                }
                if let name = settings.clientName { arguments += ["SETNAME", RESPArgument(name)] }
                return RESPCommand("HELLO", arguments)
            case .auth:
                if let username = settings.username {
                    return RESPCommand("AUTH", RESPArgument(username), RESPArgument(settings.password ?? ""))
                }
                return RESPCommand("AUTH", RESPArgument(settings.password ?? ""))
            case .select:
                return RESPCommand("SELECT", RESPArgument(settings.database))
            case .setName:
                return RESPCommand("CLIENT", "SETNAME", RESPArgument(settings.clientName ?? ""))
            }
        }
    }

    /// What the connection learned during the handshake.
    struct HandshakeResult: Equatable, Sendable {
        var protocolVersion: RedisConfiguration.ProtocolVersion
        var serverVersion: String?
    }

    struct Pending {
        var request: Request
        var expectedReplies: Int
        var replies: [RESPValue]
        var deadline: NIODeadline?
    }

    enum State {
        case initialized
        case handshaking(remaining: [HandshakeStep], result: HandshakeResult)
        case ready(HandshakeResult)
        case closed
    }

    enum Action {
        case none
        case sendHandshake(RESPCommand)
        case handshakeSucceeded(HandshakeResult)
        case write(ByteBuffer)
        case writeAndScheduleTimeout(ByteBuffer, NIODeadline)
        /// All replies for a request arrived (error replies included, as values).
        case succeed(Request, [RESPValue])
        case fail(Request, RedisError)
        case forwardPush(RESPValue)
        case scheduleTimeout(NIODeadline)
        /// Close the channel; fail the handshake (if pending) and these requests with the error.
        case closeConnection(RedisError, failing: [Request])
        /// The channel closed: fail the handshake (if pending) and these requests.
        case failAll(RedisError, [Request])
    }

    private(set) var state: State = .initialized
    private var pending = CircularBuffer<Pending>(initialCapacity: 16)
    private var timerScheduled = false
    private let settings: Settings
    /// On a dedicated subscriber connection, RESP2 pub/sub replies are arrays, not pushes.
    var isSubscriber = false

    init(settings: Settings) {
        self.settings = settings
    }

    var inFlightCount: Int { self.pending.count }

    mutating func connected() -> Action {
        guard case .initialized = self.state else { return .none }
        var steps: [HandshakeStep] = []
        if self.settings.protocolVersion == .resp3 {
            steps.append(.hello)
        } else {
            if self.settings.password != nil { steps.append(.auth) }
            if self.settings.clientName != nil { steps.append(.setName) }
        }
        if self.settings.database != 0 { steps.append(.select) }
        let result = HandshakeResult(protocolVersion: self.settings.protocolVersion, serverVersion: nil)
        guard let first = steps.first else {
            self.state = .ready(result)
            return .handshakeSucceeded(result)
        }
        self.state = .handshaking(remaining: steps, result: result)
        return .sendHandshake(first.command(self.settings))
    }

    mutating func write(_ request: Request, encoded: ByteBuffer, expectedReplies: Int, deadline: NIODeadline?) -> Action {
        guard case .ready = self.state else {
            return .fail(request, RedisError(code: .connectionUnavailable, details: "connection is not ready"))
        }
        guard expectedReplies > 0 else {
            // Fire-and-forget (SUBSCRIBE on RESP3, whose confirmations arrive as pushes).
            return .write(encoded)
        }
        self.pending.append(Pending(request: request, expectedReplies: expectedReplies, replies: [], deadline: deadline))
        if let deadline, !self.timerScheduled {
            self.timerScheduled = true
            return .writeAndScheduleTimeout(encoded, deadline)
        }
        return .write(encoded)
    }

    mutating func received(_ value: RESPValue) -> Action {
        switch self.state {
        case .initialized, .closed:
            return .none
        case .handshaking(var remaining, var result):
            let step = remaining.removeFirst()
            if let message = value.errorMessage {
                let error = RedisError.server(message: message)
                if step == .hello, error.code != .authenticationFailed,
                   message.hasPrefix("NOPROTO") || message.lowercased().contains("unknown command") {
                    // Redis < 6 (or HELLO disabled): speak RESP2.
                    result.protocolVersion = .resp2
                    var fallback: [HandshakeStep] = []
                    if self.settings.password != nil { fallback.append(.auth) }
                    if self.settings.clientName != nil { fallback.append(.setName) }
                    remaining = fallback + remaining
                } else {
                    self.state = .closed
                    var failure = RedisError(code: error.code == .authenticationFailed ? .authenticationFailed : .connectionFailed,
                                             serverErrorPrefix: error.serverErrorPrefix, details: "\(step) failed: \(message)")
                    failure.underlying = error
                    return .closeConnection(failure, failing: self.drainPending())
                }
            } else if step == .hello, case .map(let map) = value {
                result.serverVersion = map[.bulkString(ByteBuffer(string: "version"))]?.string
                    ?? map[.simpleString(ByteBuffer(string: "version"))]?.string
            }
            if let next = remaining.first {
                self.state = .handshaking(remaining: remaining, result: result)
                return .sendHandshake(next.command(self.settings))
            }
            self.state = .ready(result)
            return .handshakeSucceeded(result)
        case .ready(let result):
            if case .push = value { return .forwardPush(value) }
            if self.isSubscriber, result.protocolVersion == .resp2, Self.isPubSubReply(value) {
                return .forwardPush(value)
            }
            guard var head = self.pending.popFirst() else {
                self.state = .closed
                return .closeConnection(.protocolViolation("reply without a request"), failing: [])
            }
            head.replies.append(value)
            if head.replies.count < head.expectedReplies {
                self.pending.prepend(head)
                return .none
            }
            return .succeed(head.request, head.replies)
        }
    }

    /// The timer for the oldest in-flight request fired.
    mutating func timeoutFired(now: NIODeadline) -> Action {
        self.timerScheduled = false
        guard case .ready = self.state else { return .none }
        guard let deadline = self.pending.first(where: { $0.deadline != nil })?.deadline else { return .none }
        if deadline <= now {
            self.state = .closed
            return .closeConnection(RedisError(code: .timeout, details: "no reply within the command timeout"), failing: self.drainPending())
        }
        self.timerScheduled = true
        return .scheduleTimeout(deadline)
    }

    /// Failures before the handshake completed are connect failures (TLS, refused AUTH, …).
    private var failureCode: RedisError.Code {
        if case .ready = self.state { return .connectionClosed }
        return .connectionFailed
    }

    mutating func errorCaught(_ error: any Error) -> Action {
        if case .closed = self.state { return .none }
        let redisError = (error as? RedisError) ?? RedisError(code: self.failureCode, underlying: error)
        self.state = .closed
        return .closeConnection(redisError, failing: self.drainPending())
    }

    mutating func closed() -> Action {
        let wasClosed: Bool
        if case .closed = self.state { wasClosed = true } else { wasClosed = false }
        let code = self.failureCode
        self.state = .closed
        let requests = self.drainPending()
        if wasClosed && requests.isEmpty { return .none }
        return .failAll(RedisError(code: code, details: "connection closed"), requests)
    }

    private mutating func drainPending() -> [Request] {
        var requests: [Request] = []
        requests.reserveCapacity(self.pending.count)
        while let next = self.pending.popFirst() { requests.append(next.request) }
        return requests
    }

    private static func isPubSubReply(_ value: RESPValue) -> Bool {
        guard case .array(let elements) = value, let kind = elements.first?.string?.lowercased() else { return false }
        switch kind {
        case "message", "pmessage", "subscribe", "psubscribe", "unsubscribe", "punsubscribe", "pong":
            return true
        default:
            return false
        }
    }
}
