public import NIOSSL

/// How to reach a Redis server and how the client behaves towards it.
public struct RedisConfiguration: Sendable {
    public enum ProtocolVersion: Int, Sendable {
        /// Try `HELLO 3`; fall back to RESP2 when the server does not know HELLO (Redis < 6).
        case resp3 = 3
        /// Never send HELLO: AUTH and SELECT only.
        case resp2 = 2
    }

    public struct TLS: Sendable {
        enum Mode: Sendable {
            case disable
            case require(TLSConfiguration)
        }

        let mode: Mode
        public static let disable = TLS(mode: .disable)
        public static func require(_ configuration: TLSConfiguration) -> TLS { TLS(mode: .require(configuration)) }
        /// TLS with the system's trust roots.
        public static var prefer: TLS { .require(.makeClientConfiguration()) }
    }

    /// Reconnect delays: exponential from `initial` up to `maximum`, each with ±`jitter` spread so
    /// that many nodes do not reconnect in lockstep.
    public struct Backoff: Sendable {
        public var initial: Duration
        public var maximum: Duration
        public var multiplier: Double
        public var jitter: Double

        public init(initial: Duration = .milliseconds(50), maximum: Duration = .seconds(5), multiplier: Double = 2, jitter: Double = 0.2) {
            self.initial = initial
            self.maximum = maximum
            self.multiplier = multiplier
            self.jitter = jitter
        }

        /// The delay before reconnect attempt `attempt` (0-based).
        public func delay(attempt: Int) -> Duration {
            let base = self.initial * pow2(self.multiplier, attempt)
            let capped = min(base, self.maximum)
            let factor = 1 + Double.random(in: -self.jitter...self.jitter)
            return capped * factor
        }

        private func pow2(_ base: Double, _ exponent: Int) -> Double {
            var result = 1.0
            for _ in 0..<min(exponent, 64) { result *= base }
            return result
        }
    }

    public var host: String
    public var port: Int
    /// ACL user; `nil` authenticates as `default` when a password is set.
    public var username: String?
    public var password: String?
    public var database: Int
    public var tls: TLS
    /// Server name for TLS SNI and certificate verification; defaults to `host`.
    public var tlsServerName: String?
    public var protocolVersion: ProtocolVersion
    /// Sent with HELLO … SETNAME (or CLIENT SETNAME) so the connection shows in CLIENT LIST.
    public var clientName: String?
    /// Connections in the pool. Each multiplexes any number of pipelined commands, so a few suffice.
    public var connectionCount: Int
    public var connectTimeout: Duration
    /// A command without a reply in this time fails with `.timeout` and closes its connection
    /// (replies are ordered: after a lost reply nothing on that connection can be trusted).
    public var commandTimeout: Duration?
    public var reconnectBackoff: Backoff

    public init(
        host: String = "127.0.0.1",
        port: Int = 6379,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        tls: TLS = .disable,
        protocolVersion: ProtocolVersion = .resp3,
        clientName: String? = nil,
        connectionCount: Int = 4,
        connectTimeout: Duration = .seconds(5),
        commandTimeout: Duration? = .seconds(5),
        reconnectBackoff: Backoff = Backoff()
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.protocolVersion = protocolVersion
        self.clientName = clientName
        self.connectionCount = max(1, connectionCount)
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.reconnectBackoff = reconnectBackoff
    }

    /// Parses `redis://[user[:password]@]host[:port][/database]`; `rediss://` turns TLS on.
    public init(url: String) throws {
        let invalid = RedisError(code: .connectionFailed, details: "invalid Redis URL")
        var rest: Substring
        var tls = TLS.disable
        if url.hasPrefix("redis://") {
            rest = url.dropFirst("redis://".count)
        } else if url.hasPrefix("rediss://") {
            rest = url.dropFirst("rediss://".count)
            tls = .prefer
        } else {
            throw invalid
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                username = String(userInfo[..<colon]).removingPercentEncodingIfPossible
                password = String(userInfo[userInfo.index(after: colon)...]).removingPercentEncodingIfPossible
            } else {
                password = String(userInfo).removingPercentEncodingIfPossible
            }
            if username?.isEmpty == true { username = nil }
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
            if !path.isEmpty {
                guard let number = Int(path), number >= 0 else { throw invalid }
                database = number
            }
        }
        var host = String(rest)
        var port = 6379
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            host = String(rest[..<colon])
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65535).contains(number) else { throw invalid }
            port = number
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw invalid }
        self.init(host: host, port: port, username: username, password: password, database: database, tls: tls)
    }
}

extension String {
    fileprivate var removingPercentEncodingIfPossible: String {
        guard self.contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = self.utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
