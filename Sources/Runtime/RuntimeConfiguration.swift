import Foundation
import GraphQLSupport
import Identity
import Logging

/// Everything `emporium` reads from its environment, with defaults for a developer machine.
///
/// Every key is documented in the README's configuration table; keep the two in step.
public struct RuntimeConfiguration: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// `postgres://user:pass@host:port/db`; nil means a private cluster under `dataDirectory`.
    public var databaseURL: String?
    /// Where the private PostgreSQL cluster and the development JWT secret live.
    public var dataDirectory: String
    public var databasePoolSize: Int
    public var jwtSecret: String?
    public var jwtPublicKey: String?
    public var jwtPrivateKey: String?
    /// Required `iss`/`aud` and the longest token lifetime (`EMPORIUM_JWT_ISSUER`, `EMPORIUM_JWT_AUDIENCE`, `EMPORIUM_JWT_MAX_LIFETIME`).
    public var tokenPolicy = TokenPolicy()
    public var logLevel: Logger.Level
    public var migrateOnStart: Bool
    /// `redis://…`: rate limits, the product cache and response-cache invalidation shared through
    /// Redis; nil keeps them in memory.
    public var redisURL: String?
    /// Product search: at most `limit` requests per `window` per client.
    public var searchRateLimit: (limit: Int, window: Duration)
    /// Deny searches when Redis is unreachable (default: allow, logged and counted).
    public var rateLimitFailClosed: Bool
    /// Proxy addresses whose `X-Forwarded-For` is believed.
    public var trustedProxies: Set<String>
    /// Serve single-product reads through the cache (Redis with `redisURL`, else in memory).
    public var cacheEnabled: Bool = true
    /// Bounds of the in-memory cache (single node).
    public var cacheEntries: Int = 100_000
    public var cacheBytes: Int = 256 * 1024 * 1024
    /// Serve anonymous answers of the public endpoint from the response cache (single node; a
    /// gateway process only with `redisURL`, where the services invalidate).
    public var responseCacheEnabled: Bool = true
    /// Memory for cached answers, per process.
    public var responseCacheBytes: Int = 64 * 1024 * 1024
    /// `host:port` list: events travel through Kafka; nil keeps them in process (single node only).
    public var kafkaBrokers: [String]?
    /// Partitions and replication of the topics `emporium` creates when they are missing.
    public var kafkaTopicPartitions: Int = 6
    public var kafkaReplicationFactor: Int = 1
    /// How long an uncommitted stock reservation holds its units.
    public var reservationTTL: Duration = .seconds(15 * 60)
    /// How long a stop (SIGTERM/SIGINT) may drain requests and background work before what is
    /// left is cancelled; cancellation then gets `shutdownCancellationGrace` before the process
    /// gives up on it. Together within Kubernetes' default 30 s termination grace.
    public var shutdownGracePeriod: Duration = .seconds(20)
    public var shutdownCancellationGrace: Duration = .seconds(5)
    /// Where `emporium serve gateway` finds the subgraphs (`EMPORIUM_SUBGRAPHS`).
    public var subgraphs: [SubgraphLocation] = []
    /// A supergraph written by `emporium compose`; used instead of asking the subgraphs.
    public var supergraphFile: String?
    /// The gateway's credential at subgraph endpoints (`EMPORIUM_INTERNAL_TOKEN`); nil: a
    /// development secret under `dataDirectory`.
    public var internalToken: String?
    /// Whether the public endpoint answers introspection (`EMPORIUM_INTROSPECTION`).
    public var introspectionEnabled: Bool = true
    /// A separate listener for `/metrics` (`EMPORIUM_METRICS_PORT`); nil: on the main port.
    public var metricsPort: Int?

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databaseURL: String? = nil, dataDirectory: String = ".emporium",
        databasePoolSize: Int = 20, jwtSecret: String? = nil, jwtPublicKey: String? = nil, jwtPrivateKey: String? = nil,
        logLevel: Logger.Level = .info, migrateOnStart: Bool = true, redisURL: String? = nil,
        searchRateLimit: (limit: Int, window: Duration) = (30, .seconds(10)), rateLimitFailClosed: Bool = false,
        trustedProxies: Set<String> = []
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.dataDirectory = dataDirectory
        self.databasePoolSize = databasePoolSize
        self.jwtSecret = jwtSecret
        self.jwtPublicKey = jwtPublicKey
        self.jwtPrivateKey = jwtPrivateKey
        self.logLevel = logLevel
        self.migrateOnStart = migrateOnStart
        self.redisURL = redisURL
        self.searchRateLimit = searchRateLimit
        self.rateLimitFailClosed = rateLimitFailClosed
        self.trustedProxies = trustedProxies
    }

    /// Reads `EMPORIUM_*` variables; a malformed value is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RuntimeConfiguration {
        var configuration = RuntimeConfiguration()
        if let host = environment["EMPORIUM_HOST"], !host.isEmpty { configuration.host = host }
        if let port = environment["EMPORIUM_PORT"], !port.isEmpty {
            guard let value = Int(port), (0...65_535).contains(value) else {
                throw ConfigurationError("EMPORIUM_PORT must be a port number 0-65535 (got '\(port)')")
            }
            configuration.port = value
        }
        configuration.databaseURL = environment["EMPORIUM_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let directory = environment["EMPORIUM_DATA_DIR"], !directory.isEmpty { configuration.dataDirectory = directory }
        if let size = environment["EMPORIUM_DB_POOL_SIZE"], !size.isEmpty {
            // Each outbox relay holds a connection while it publishes and each LISTEN holds one,
            // and the consumers and requests need theirs: fewer than 8 could starve them all.
            guard let value = Int(size), (8...500).contains(value) else {
                throw ConfigurationError("EMPORIUM_DB_POOL_SIZE must be an integer 8-500 (got '\(size)'): relays, LISTEN connections, consumers and requests share the pool")
            }
            configuration.databasePoolSize = value
        }
        configuration.jwtSecret = environment["EMPORIUM_JWT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.jwtPublicKey = try environment["EMPORIUM_JWT_PUBLIC_KEY"].flatMap { try pemOrFile($0, variable: "EMPORIUM_JWT_PUBLIC_KEY") }
        configuration.jwtPrivateKey = try environment["EMPORIUM_JWT_PRIVATE_KEY"].flatMap { try pemOrFile($0, variable: "EMPORIUM_JWT_PRIVATE_KEY") }
        configuration.tokenPolicy = try tokenPolicy(from: environment)
        if let level = environment["EMPORIUM_LOG_LEVEL"], !level.isEmpty {
            guard let value = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("EMPORIUM_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical (got '\(level)')")
            }
            configuration.logLevel = value
        }
        configuration.migrateOnStart = try boolean(environment, "EMPORIUM_MIGRATE_ON_START") ?? configuration.migrateOnStart
        configuration.redisURL = environment["EMPORIUM_REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let limit = environment["EMPORIUM_SEARCH_RATE_LIMIT"], !limit.isEmpty {
            configuration.searchRateLimit = try parseRateLimit(limit)
        }
        configuration.rateLimitFailClosed = try boolean(environment, "EMPORIUM_RATE_LIMIT_FAIL_CLOSED") ?? configuration.rateLimitFailClosed
        configuration.cacheEnabled = try boolean(environment, "EMPORIUM_CACHE") ?? configuration.cacheEnabled
        if let megabytes = environment["EMPORIUM_CACHE_MEMORY_MB"], !megabytes.isEmpty {
            guard let value = Int(megabytes), (1...65_536).contains(value) else {
                throw ConfigurationError("EMPORIUM_CACHE_MEMORY_MB must be an integer 1-65536 (got '\(megabytes)')")
            }
            configuration.cacheBytes = value * 1024 * 1024
        }
        configuration.responseCacheEnabled = try boolean(environment, "EMPORIUM_RESPONSE_CACHE") ?? configuration.responseCacheEnabled
        if let megabytes = try integer(environment, "EMPORIUM_RESPONSE_CACHE_MEMORY_MB", in: 1...65_536) {
            configuration.responseCacheBytes = megabytes * 1024 * 1024
        }
        if let seconds = try integer(environment, "EMPORIUM_SHUTDOWN_GRACE_SECONDS", in: 1...3600) {
            configuration.shutdownGracePeriod = .seconds(seconds)
        }
        if let brokers = environment["EMPORIUM_KAFKA_BROKERS"], !brokers.isEmpty {
            let list = brokers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for broker in list where broker.split(separator: ":").count != 2 || !(1...65_535).contains(Int(broker.split(separator: ":")[1]) ?? 0) {
                throw ConfigurationError("EMPORIUM_KAFKA_BROKERS must be a comma-separated host:port list (got '\(broker)')")
            }
            configuration.kafkaBrokers = list
        }
        configuration.kafkaTopicPartitions = try integer(environment, "EMPORIUM_KAFKA_TOPIC_PARTITIONS", in: 1...1000) ?? configuration.kafkaTopicPartitions
        configuration.kafkaReplicationFactor = try integer(environment, "EMPORIUM_KAFKA_REPLICATION_FACTOR", in: 1...10) ?? configuration.kafkaReplicationFactor
        if let ttl = try integer(environment, "EMPORIUM_RESERVATION_TTL_SECONDS", in: 1...604_800) {
            configuration.reservationTTL = .seconds(ttl)
        }
        if let subgraphs = environment["EMPORIUM_SUBGRAPHS"], !subgraphs.isEmpty {
            configuration.subgraphs = try SubgraphLocation.parseList(subgraphs, variable: "EMPORIUM_SUBGRAPHS")
        }
        configuration.supergraphFile = environment["EMPORIUM_SUPERGRAPH"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.internalToken = environment["EMPORIUM_INTERNAL_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let token = configuration.internalToken, token.utf8.count < InternalCredential.minimumTokenBytes {
            throw ConfigurationError("EMPORIUM_INTERNAL_TOKEN must be at least \(InternalCredential.minimumTokenBytes) bytes (e.g. `openssl rand -hex 32`)")
        }
        configuration.introspectionEnabled = try boolean(environment, "EMPORIUM_INTROSPECTION") ?? configuration.introspectionEnabled
        configuration.metricsPort = try integer(environment, "EMPORIUM_METRICS_PORT", in: 0...65_535)
        if let proxies = environment["EMPORIUM_TRUSTED_PROXIES"], !proxies.isEmpty {
            configuration.trustedProxies = Set(proxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        return configuration
    }

    private static func boolean(_ environment: [String: String], _ name: String) throws -> Bool? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Bool(text.lowercased()) else {
            throw ConfigurationError("\(name) must be true or false (got '\(text)')")
        }
        return value
    }

    private static func integer(_ environment: [String: String], _ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError("\(name) must be an integer \(range.lowerBound)-\(range.upperBound) (got '\(text)')")
        }
        return value
    }

    /// "30/10s": a count and a window in s, m or ms.
    static func parseRateLimit(_ text: String) throws -> (limit: Int, window: Duration) {
        let parts = text.split(separator: "/")
        let problem = ConfigurationError("EMPORIUM_SEARCH_RATE_LIMIT must look like 30/10s (1 to 1000000 requests per window of at most a day, in s, m or ms; got '\(text)')")
        // Bounded before any arithmetic: a window of 10^18 minutes must be an error, not a trap.
        guard parts.count == 2, let limit = Int(parts[0]), (1...1_000_000).contains(limit) else { throw problem }
        let window = parts[1]
        let duration: Duration
        if window.hasSuffix("ms"), let value = Int(window.dropLast(2)), (1...86_400_000).contains(value) { duration = .milliseconds(value) }
        else if window.hasSuffix("s"), let value = Int(window.dropLast()), (1...86_400).contains(value) { duration = .seconds(value) }
        else if window.hasSuffix("m"), let value = Int(window.dropLast()), (1...1440).contains(value) { duration = .seconds(value * 60) }
        else { throw problem }
        return (limit, duration)
    }

    /// Secrets are never printed.
    public var description: String {
        let database = databaseURL.map(Self.redactPassword) ?? "private cluster in \(dataDirectory)/postgres"
        let jwt = jwtPublicKey != nil ? "public key" : (jwtSecret != nil ? "HS256 secret (redacted)" : "development secret in \(dataDirectory)/jwt-secret")
        let redis = redisURL.map(Self.redactPassword) ?? "none (in-memory limits)"
        return "host=\(host) port=\(port) database=\(database) pool=\(databasePoolSize) jwt=\(jwt) log=\(logLevel) migrate=\(migrateOnStart) redis=\(redis) search-limit=\(searchRateLimit.limit)/\(searchRateLimit.window) events=\(kafkaBrokers.map { "kafka " + $0.joined(separator: ",") } ?? "in process")"
    }

    /// A URL that cannot be parsed is not shown at all: where its password ends is unknown.
    static func redactPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "(an unparseable URL, not shown)" }
        guard components.password != nil else { return url }
        components.password = "redacted"
        return components.string ?? "(unparseable url)"
    }

    private static func pemOrFile(_ value: String, variable: String) throws -> String? {
        guard !value.isEmpty else { return nil }
        if value.contains("-----BEGIN") { return value }
        guard let text = try? String(contentsOfFile: value, encoding: .utf8) else {
            throw ConfigurationError("\(variable) must be a PEM key or the path of a readable PEM file (could not read '\(value)')")
        }
        return text
    }
}

/// A subgraph the gateway calls: its name in the supergraph and its GraphQL URL.
public struct SubgraphLocation: Sendable, Hashable {
    public var name: String
    public var url: String

    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }

    /// `catalog=http://catalog:8080/graphql,inventory=http://…`
    public static func parseList(_ text: String, variable: String) throws -> [SubgraphLocation] {
        try text.split(separator: ",").map { item in
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let url = URL(string: parts[1]), url.scheme == "http" || url.scheme == "https" else {
                throw ConfigurationError("\(variable) must look like catalog=http://host:port/graphql,inventory=http://… (got '\(item)')")
            }
            return SubgraphLocation(name: parts[0], url: parts[1])
        }
    }
}

/// A configuration mistake: the message names the setting and what it should be.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
