import Foundation
import GraphQLSupport
import Identity
import Logging
import ServiceKit

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
    /// The `/.well-known/jwks.json` of the service that signs access tokens, for processes that
    /// do not run it (`EMPORIUM_JWKS_URL`): their tokens are verified against it.
    public var jwksURL: String?
    /// Required `iss`/`aud` and the longest token lifetime (`EMPORIUM_JWT_ISSUER`, `EMPORIUM_JWT_AUDIENCE`, `EMPORIUM_JWT_MAX_LIFETIME`).
    public var tokenPolicy = TokenPolicy()
    public var logLevel: Logger.Level
    public var migrateOnStart: Bool
    /// `redis://…`: rate limits, the product cache and response-cache invalidation shared through
    /// Redis; nil keeps them in memory.
    public var redisURL: String?
    /// Deny searches when Redis is unreachable (default: allow, logged and counted).
    public var rateLimitFailClosed: Bool
    /// Proxy addresses whose `X-Forwarded-For` is believed.
    public var trustedProxies: Set<String>
    /// Serve single-product reads through the cache (Redis with `redisURL`, else in memory).
    public var cacheEnabled: Bool = true
    /// Bounds of the in-memory cache (single node).
    /// Two generations keep between half and all of this when full: room for 100,000 hot entries.
    public var cacheEntries: Int = 200_000
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
    /// The longest a consumer's fetch waits for records. Each event hop can cost up to this on
    /// a broker that holds a fetch after records arrive (Tansu, the test broker, does).
    public var kafkaFetchWait: Duration = .milliseconds(100)
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
    /// Operations the public endpoint executes at once before others wait, and the longest a
    /// request may wait (`EMPORIUM_MAX_IN_FLIGHT`, `EMPORIUM_MAX_QUEUE_WAIT_MS`; `OverloadGate`).
    /// nil: half the database pool on a node or a service's process (`OverloadGate.defaultLimit`), 256 on a gateway
    /// process; 0 switches the gate off.
    public var maximumInFlight: Int?
    public var maximumQueueWait: Duration = .seconds(1)
    /// Whether the public endpoint answers introspection (`EMPORIUM_INTROSPECTION`).
    public var introspectionEnabled: Bool = true
    /// A separate listener for `/metrics` (`EMPORIUM_METRICS_PORT`); nil: on the main port.
    public var metricsPort: Int?
    /// The whole environment: each service reads and checks its own variables from it
    /// (`ServiceContext.settings`), such as `EMPORIUM_SEARCH_RATE_LIMIT`.
    public var environment: [String: String] = [:]

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databaseURL: String? = nil, dataDirectory: String = ".emporium",
        databasePoolSize: Int = 20, jwtSecret: String? = nil, jwtPublicKey: String? = nil, jwtPrivateKey: String? = nil,
        logLevel: Logger.Level = .info, migrateOnStart: Bool = true, redisURL: String? = nil, rateLimitFailClosed: Bool = false,
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
        self.rateLimitFailClosed = rateLimitFailClosed
        self.trustedProxies = trustedProxies
    }

    /// Reads `EMPORIUM_*` variables; a malformed value is an error naming the variable. Services'
    /// own variables are checked when they start (`ServiceDescriptor.start`).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RuntimeConfiguration {
        let settings = EnvironmentSettings(environment)
        var configuration = RuntimeConfiguration()
        configuration.environment = environment
        try configuration.readServer(settings)
        try configuration.readDatabase(settings)
        try configuration.readTokens(settings)
        try configuration.readSharedState(settings)
        try configuration.readEvents(settings)
        try configuration.readGateway(settings)
        return configuration
    }

    private mutating func readServer(_ settings: EnvironmentSettings) throws {
        host = settings.string("EMPORIUM_HOST") ?? host
        port = try settings.integer("EMPORIUM_PORT", in: 0...65_535) ?? port
        if let level = settings.string("EMPORIUM_LOG_LEVEL") {
            guard let value = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("EMPORIUM_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical (got '\(level)')")
            }
            logLevel = value
        }
        if let seconds = try settings.integer("EMPORIUM_SHUTDOWN_GRACE_SECONDS", in: 1...3600) {
            shutdownGracePeriod = .seconds(seconds)
        }
        metricsPort = try settings.integer("EMPORIUM_METRICS_PORT", in: 0...65_535)
        if let proxies = settings.string("EMPORIUM_TRUSTED_PROXIES") {
            trustedProxies = Set(proxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            if let wrong = trustedProxies.first(where: { AddressRange($0) == nil }) {
                throw ConfigurationError("EMPORIUM_TRUSTED_PROXIES takes IP addresses and CIDR ranges (10.0.0.0/8); '\(wrong.prefix(64))' is neither")
            }
        }
    }

    private mutating func readDatabase(_ settings: EnvironmentSettings) throws {
        databaseURL = settings.string("EMPORIUM_DATABASE_URL")
        dataDirectory = settings.string("EMPORIUM_DATA_DIR") ?? dataDirectory
        if let size = settings.string("EMPORIUM_DB_POOL_SIZE") {
            // Each outbox relay holds a connection while it publishes and each LISTEN holds one,
            // and the consumers and requests need theirs: fewer than 8 could starve them all.
            guard let value = Int(size), (8...500).contains(value) else {
                throw ConfigurationError("EMPORIUM_DB_POOL_SIZE must be an integer 8-500 (got '\(size)'): relays, LISTEN connections, consumers and requests share the pool")
            }
            databasePoolSize = value
        }
        migrateOnStart = try settings.boolean("EMPORIUM_MIGRATE_ON_START") ?? migrateOnStart
    }

    private mutating func readTokens(_ settings: EnvironmentSettings) throws {
        jwtSecret = settings.string("EMPORIUM_JWT_SECRET")
        jwtPublicKey = try settings.string("EMPORIUM_JWT_PUBLIC_KEY").flatMap { try Self.pemOrFile($0, variable: "EMPORIUM_JWT_PUBLIC_KEY") }
        jwtPrivateKey = try settings.string("EMPORIUM_JWT_PRIVATE_KEY").flatMap { try Self.pemOrFile($0, variable: "EMPORIUM_JWT_PRIVATE_KEY") }
        tokenPolicy = try Self.tokenPolicy(from: settings)
        jwksURL = settings.string("EMPORIUM_JWKS_URL")
        if let jwksURL, URL(string: jwksURL)?.scheme.map({ ["http", "https"].contains($0.lowercased()) }) != true {
            throw ConfigurationError("EMPORIUM_JWKS_URL must be an http(s) URL, e.g. http://HOST:8080/.well-known/jwks.json (got '\(jwksURL)')")
        }
        internalToken = settings.string("EMPORIUM_INTERNAL_TOKEN")
        if let token = internalToken, token.utf8.count < InternalCredential.minimumTokenBytes {
            throw ConfigurationError("EMPORIUM_INTERNAL_TOKEN must be at least \(InternalCredential.minimumTokenBytes) bytes (e.g. `openssl rand -hex 32`)")
        }
    }

    private mutating func readSharedState(_ settings: EnvironmentSettings) throws {
        redisURL = settings.string("EMPORIUM_REDIS_URL")
        rateLimitFailClosed = try settings.boolean("EMPORIUM_RATE_LIMIT_FAIL_CLOSED") ?? rateLimitFailClosed
        cacheEnabled = try settings.boolean("EMPORIUM_CACHE") ?? cacheEnabled
        if let megabytes = try settings.integer("EMPORIUM_CACHE_MEMORY_MB", in: 1...65_536) {
            cacheBytes = megabytes * 1024 * 1024
        }
        responseCacheEnabled = try settings.boolean("EMPORIUM_RESPONSE_CACHE") ?? responseCacheEnabled
        if let megabytes = try settings.integer("EMPORIUM_RESPONSE_CACHE_MEMORY_MB", in: 1...65_536) {
            responseCacheBytes = megabytes * 1024 * 1024
        }
    }

    private mutating func readEvents(_ settings: EnvironmentSettings) throws {
        if let brokers = settings.string("EMPORIUM_KAFKA_BROKERS") {
            let list = brokers.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for broker in list where broker.split(separator: ":").count != 2 || !(1...65_535).contains(Int(broker.split(separator: ":")[1]) ?? 0) {
                throw ConfigurationError("EMPORIUM_KAFKA_BROKERS must be a comma-separated host:port list (got '\(broker)')")
            }
            kafkaBrokers = list
        }
        kafkaTopicPartitions = try settings.integer("EMPORIUM_KAFKA_TOPIC_PARTITIONS", in: 1...1000) ?? kafkaTopicPartitions
        kafkaReplicationFactor = try settings.integer("EMPORIUM_KAFKA_REPLICATION_FACTOR", in: 1...10) ?? kafkaReplicationFactor
        if let wait = try settings.integer("EMPORIUM_KAFKA_FETCH_WAIT_MS", in: 1...10_000) { kafkaFetchWait = .milliseconds(wait) }
    }

    private mutating func readGateway(_ settings: EnvironmentSettings) throws {
        if let list = settings.string("EMPORIUM_SUBGRAPHS") {
            subgraphs = try SubgraphLocation.parseList(list, variable: "EMPORIUM_SUBGRAPHS")
        }
        supergraphFile = settings.string("EMPORIUM_SUPERGRAPH")
        introspectionEnabled = try settings.boolean("EMPORIUM_INTROSPECTION") ?? introspectionEnabled
        maximumInFlight = try settings.integer("EMPORIUM_MAX_IN_FLIGHT", in: 0...100_000) ?? maximumInFlight
        if let wait = try settings.integer("EMPORIUM_MAX_QUEUE_WAIT_MS", in: 1...60_000) { maximumQueueWait = .milliseconds(wait) }
    }

    /// The public endpoint's overload gate; nil when switched off. `defaultLimit`: for this
    /// process (see `maximumInFlight`).
    public func overloadGate(defaultLimit: Int, logger: Logger) -> OverloadGate? {
        let limit = maximumInFlight ?? defaultLimit
        guard limit > 0 else { return nil }
        return OverloadGate(OverloadGate.Configuration(limit: limit, maximumWait: maximumQueueWait), logger: logger)
    }

    /// Secrets are never printed.
    public var description: String {
        let database = databaseURL.map(Self.redactPassword) ?? "private cluster in \(dataDirectory)/postgres"
        let jwt = jwtPublicKey != nil ? "public key" : (jwtSecret != nil ? "HS256 secret (redacted)" : "development secret in \(dataDirectory)/jwt-secret")
        let redis = redisURL.map(Self.redactPassword) ?? "none (in-memory limits)"
        return "host=\(host) port=\(port) database=\(database) pool=\(databasePoolSize) jwt=\(jwt) log=\(logLevel) migrate=\(migrateOnStart) redis=\(redis) events=\(kafkaBrokers.map { "kafka " + $0.joined(separator: ",") } ?? "in process")"
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

    /// `name=http://host:8080/graphql,…`, one per subgraph.
    public static func parseList(_ text: String, variable: String) throws -> [SubgraphLocation] {
        try text.split(separator: ",").map { item in
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let url = URL(string: parts[1]), url.scheme == "http" || url.scheme == "https" else {
                throw ConfigurationError("\(variable) must look like name=http://host:port/graphql,… (got '\(item)')")
            }
            return SubgraphLocation(name: parts[0], url: parts[1])
        }
    }
}
