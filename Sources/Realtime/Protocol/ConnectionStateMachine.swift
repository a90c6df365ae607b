import Foundation
import GraphQL
import Identity
import NIOCore

/// One connection's side of `graphql-transport-ws`, without sockets: it reads what happened
/// (a frame, a timer, an authentication's result) and answers what to do. The NIO handler does
/// the I/O; tests drive this directly.
///
/// Close codes, as the protocol assigns them: 4400 invalid message, 4401 subscribe before the
/// acknowledgement, 4403 authentication refused (or the token expired: the client reconnects
/// with a fresh one — the protocol has no in-band re-authentication), 4408 no `connection_init`
/// in time, 4409 a subscription id already in use, 4429 a second `connection_init`; and 4499,
/// which this server uses for a client too slow to read what it is sent.
public struct ConnectionStateMachine: Sendable {
    public enum CloseCode: UInt16, Sendable {
        case badRequest = 4400
        case unauthorized = 4401
        case forbidden = 4403
        case initTimeout = 4408
        case subscriberExists = 4409
        case tooManyInitRequests = 4429
        case tooSlow = 4499
        /// WebSocket's own "policy violation": more messages than a client needs.
        case policyViolation = 1008
    }

    public enum Action: Sendable, Equatable {
        case send(ServerMessage)
        case close(CloseCode, reason: String)
        /// Check the `connection_init` payload; answer with ``authenticated(_:until:)`` or
        /// ``authenticationFailed(reason:)``.
        case authenticate(payload: Map?)
        /// Start operation `id` as `principal`.
        case start(id: String, payload: ClientMessage.SubscribePayload, principal: Principal?)
        /// Stop operation `id` (the client completed it, or the connection is ending).
        case stop(id: String)
        /// End the connection when the token stops verifying.
        case expire(at: Date)
    }

    enum State: Sendable {
        case awaitingInit
        case authenticating
        case ready(Principal?)
        case closed
    }

    private(set) var state: State = .awaitingInit
    /// Operations running on this connection.
    public private(set) var operations: Set<String> = []
    public let maximumOperations: Int

    public init(maximumOperations: Int = 100) {
        self.maximumOperations = maximumOperations
    }

    public var isClosed: Bool { if case .closed = state { true } else { false } }

    public mutating func received(text bytes: some Collection<UInt8>) -> [Action] {
        guard !isClosed else { return [] }
        let message: ClientMessage
        do {
            message = try ClientMessage(json: bytes)
        } catch {
            return close(.badRequest, error.reason)
        }
        switch message {
        case .ping:
            return [.send(.pong)]
        case .pong:
            return []
        case .connectionInit(let payload):
            guard case .awaitingInit = state else { return close(.tooManyInitRequests, "Too many initialisation requests") }
            state = .authenticating
            return [.authenticate(payload: payload)]
        case .subscribe(let id, let payload):
            guard case .ready(let principal) = state else { return close(.unauthorized, "Unauthorized") }
            guard !operations.contains(id) else { return close(.subscriberExists, "Subscriber for \(id.prefix(64)) already exists") }
            guard operations.count < maximumOperations else {
                return [.send(.error(id: id, errors: Self.errors("at most \(maximumOperations) operations at once on one connection", code: "TOO_MANY_SUBSCRIPTIONS")))]
            }
            operations.insert(id)
            return [.start(id: id, payload: payload, principal: principal)]
        case .complete(let id):
            guard operations.remove(id) != nil else { return [] }
            return [.stop(id: id)]
        }
    }

    /// A binary frame: the protocol is text only.
    public mutating func receivedBinary() -> [Action] {
        guard !isClosed else { return [] }
        return close(.badRequest, "Invalid message: binary frames are not part of the protocol")
    }

    public mutating func initTimedOut() -> [Action] {
        guard case .awaitingInit = state else { return [] }
        return close(.initTimeout, "Connection initialisation timeout")
    }

    /// `principal` nil: an anonymous connection (anonymous subscriptions only). `until`: when
    /// the token stops verifying.
    public mutating func authenticated(_ principal: Principal?, until expiry: Date?) -> [Action] {
        guard case .authenticating = state else { return [] }
        state = .ready(principal)
        var actions: [Action] = [.send(.connectionAck)]
        if let expiry { actions.append(.expire(at: expiry)) }
        return actions
    }

    public mutating func authenticationFailed(reason: String) -> [Action] {
        guard case .authenticating = state else { return [] }
        return close(.forbidden, "Forbidden: \(reason)")
    }

    public mutating func tokenExpired() -> [Action] {
        guard case .ready = state else { return [] }
        return close(.forbidden, "Forbidden: the token expired; reconnect with a fresh one")
    }

    /// The server finished operation `id` (a query's single result, a subscription's source ended).
    public mutating func operationCompleted(_ id: String) -> [Action] {
        guard !isClosed, operations.remove(id) != nil else { return [] }
        return [.send(.complete(id: id))]
    }

    /// Operation `id` could not start (its document or variables are invalid): `errors` is the
    /// JSON array of GraphQL errors.
    public mutating func operationFailed(_ id: String, errors: ByteBuffer) -> [Action] {
        guard !isClosed, operations.remove(id) != nil else { return [] }
        return [.send(.error(id: id, errors: errors))]
    }

    /// The client sends more messages per second than allowed.
    public mutating func clientTooChatty(limit: Int) -> [Action] {
        guard !isClosed else { return [] }
        return close(.policyViolation, "Too many messages: at most \(limit) per second")
    }

    /// The client reads too slowly: its queue is full.
    public mutating func clientTooSlow(pending: Int) -> [Action] {
        guard !isClosed else { return [] }
        return close(.tooSlow, "Terminated: \(pending) messages waiting; the client reads too slowly")
    }

    /// The socket closed: every operation stops.
    public mutating func disconnected() -> [Action] {
        let stopping = operations.sorted().map { Action.stop(id: $0) }
        operations = []
        state = .closed
        return stopping
    }

    private mutating func close(_ code: CloseCode, _ reason: String) -> [Action] {
        let stopping = operations.sorted().map { Action.stop(id: $0) }
        operations = []
        state = .closed
        return stopping + [.close(code, reason: Self.closeReason(reason))]
    }

    /// A close frame's reason holds 123 bytes: cut at a character boundary.
    static func closeReason(_ reason: String) -> String {
        var text = Substring(reason)
        while text.utf8.count > 120 { text = text.dropLast() }
        return String(text)
    }

    static func errors(_ message: String, code: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeString(#"[{"message":"#)
        JSONText.writeString(message, into: &buffer)
        buffer.writeString(#","extensions":{"code":"#)
        JSONText.writeString(code, into: &buffer)
        buffer.writeString("}}]")
        return buffer
    }
}
