/// The one error type of the Redis module.
///
/// `description` is safe to show to a user or log at info level: it names the kind of failure
/// only. Server messages, addresses and underlying errors are in `debugDescription`.
public struct RedisError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// An extensible error code: new codes can be added without breaking `switch`es that use `default`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connectionFailed
            case connectionClosed
            case connectionUnavailable
            case timeout
            case protocolViolation
            case server
            case authenticationFailed
            case noScript
            case unexpectedReply
            case clientShutDown
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The TCP/TLS connection or the handshake (HELLO, AUTH, SELECT) could not be completed.
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection closed while the command was in flight; it may or may not have run.
        public static let connectionClosed = Code(.connectionClosed)
        /// No connection to the server exists right now (the client is reconnecting).
        public static let connectionUnavailable = Code(.connectionUnavailable)
        /// No reply within the configured command timeout; the connection was closed.
        public static let timeout = Code(.timeout)
        /// The server sent bytes that are not valid RESP.
        public static let protocolViolation = Code(.protocolViolation)
        /// The server answered with an error reply (`-ERR …`, `-WRONGTYPE …`).
        public static let server = Code(.server)
        /// AUTH or HELLO … AUTH was rejected.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// EVALSHA named a script the server does not know.
        public static let noScript = Code(.noScript)
        /// The reply had a type the command does not produce.
        public static let unexpectedReply = Code(.unexpectedReply)
        /// The client was shut down.
        public static let clientShutDown = Code(.clientShutDown)

        public var description: String { self.base.rawValue }
    }

    public var code: Code
    /// For `.server` errors: the error prefix, e.g. `ERR`, `WRONGTYPE`, `NOSCRIPT`.
    public var serverErrorPrefix: String?
    /// Details that may contain server messages or addresses: shown only in `debugDescription`.
    public var details: String?
    public var underlying: (any Error)?

    public init(code: Code, serverErrorPrefix: String? = nil, details: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.serverErrorPrefix = serverErrorPrefix
        self.details = details
        self.underlying = underlying
    }

    public var description: String {
        if let serverErrorPrefix { return "Redis error: \(self.code) (\(serverErrorPrefix))" }
        return "Redis error: \(self.code)"
    }

    public var debugDescription: String {
        var text = self.description
        if let details { text += ": \(details)" }
        if let underlying { text += " [underlying: \(String(reflecting: underlying))]" }
        return text
    }

    static func protocolViolation(_ details: String) -> RedisError {
        RedisError(code: .protocolViolation, details: details)
    }

    /// Builds the error for a server error reply such as `WRONGTYPE Operation against a key…`.
    static func server(message: String) -> RedisError {
        let prefix = message.prefix { $0 != " " }
        let code: Code
        switch prefix {
        case "NOSCRIPT": code = .noScript
        case "WRONGPASS", "NOAUTH", "NOPERM": code = .authenticationFailed
        default: code = .server
        }
        return RedisError(code: code, serverErrorPrefix: String(prefix), details: message)
    }
}

extension RedisError: Equatable {
    /// Errors are equal when their codes and server prefixes are (details and causes are ignored).
    public static func == (lhs: RedisError, rhs: RedisError) -> Bool {
        lhs.code == rhs.code && lhs.serverErrorPrefix == rhs.serverErrorPrefix
    }
}
