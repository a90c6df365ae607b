public import NIOSSL

/// The address of a broker.
public struct KafkaBrokerAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (the port defaults to 9092).
    public init?(_ string: String) {
        let trimmed = string.trimmingPrefix("tcp://")
        guard let colon = trimmed.lastIndex(of: ":") else {
            guard !trimmed.isEmpty else { return nil }
            self.init(host: String(trimmed), port: 9092)
            return
        }
        guard let port = Int(trimmed[trimmed.index(after: colon)...]), port > 0, port < 65536 else { return nil }
        let host = trimmed[..<colon]
        guard !host.isEmpty else { return nil }
        self.init(host: String(host), port: port)
    }

    public var description: String { "\(host):\(port)" }
}

/// Connection settings shared by producer, consumer and admin.
public struct KafkaConfiguration: Sendable {
    public enum SASLMechanism: Sendable, Hashable {
        /// SASL/PLAIN; only use it over TLS.
        case plain(username: String, password: String)
    }

    /// Brokers to ask for cluster metadata; the rest of the cluster is discovered from them.
    public var bootstrapServers: [KafkaBrokerAddress]
    public var clientID: String = "emporium"
    /// How long to wait for any one answer; a timeout closes that connection.
    public var requestTimeout: Duration = .seconds(30)
    public var connectTimeout: Duration = .seconds(10)
    /// First delay before reconnecting to a broker that failed; doubles up to `reconnectBackoffMax`.
    public var reconnectBackoff: Duration = .milliseconds(50)
    public var reconnectBackoffMax: Duration = .seconds(5)
    /// TLS for every broker connection (nil = plaintext).
    public var tls: TLSConfiguration?
    public var sasl: SASLMechanism?

    public init(bootstrapServers: [KafkaBrokerAddress]) {
        self.bootstrapServers = bootstrapServers
    }

    /// - Parameter bootstrapServers: `host:port` strings; invalid entries are an error.
    public init(bootstrapServers: [String]) throws(KafkaError) {
        var parsed: [KafkaBrokerAddress] = []
        for s in bootstrapServers {
            guard let a = KafkaBrokerAddress(s) else { throw KafkaError(.invalidArgument, detail: "bad broker address '\(s)'") }
            parsed.append(a)
        }
        guard !parsed.isEmpty else { throw KafkaError(.invalidArgument, detail: "no bootstrap servers") }
        self.init(bootstrapServers: parsed)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (s, atto) = components
        return s * 1_000_000_000 + atto / 1_000_000_000
    }
    var milliseconds: Int64 { nanoseconds / 1_000_000 }
}
