import Contracts
import Database

/// Everything the runtime needs to know about one service, in one value. Each service module
/// exports one (`ServiceDescriptor.catalog`, `.inventory`, …) and the runtime composes a list of
/// them: the single node runs every service in the list, `emporium serve <name>` runs one, and
/// nothing else in the runtime names a service.
///
/// The static parts (name, schema, SDL, topics, cache policy) are read without starting anything:
/// `emporium compose` and `emporium migrate` need no running service. ``start`` builds the parts
/// that run (the GraphQL endpoint, consumers, background loops, HTTP routes) for one process.
///
/// This is an Emporium type, not a GraphQL engine's: the endpoint is any ``GraphQLExecutor``.
public struct ServiceDescriptor: Sendable {
    /// The service's name: its subgraph's name in the supergraph, its consumer group, its
    /// `/subgraphs/<name>/graphql` path and the argument of `emporium serve <name>`.
    public let name: String
    /// Its PostgreSQL schema: its tables, outbox, inbox and dead letters live there.
    public let schema: String
    /// Its versioned migrations (including the messaging tables when it has an outbox or inbox).
    public let migrations: @Sendable () throws -> MigrationSet
    /// Its subgraph SDL, as the gateway composes it (checked against the executable schema in the
    /// service's tests).
    public let sdl: String
    /// The topics its outbox publishes to (created at start when events go through Kafka).
    public let publishes: [String]
    /// The topics its event handlers consume (empty: it runs no consumer and keeps no dead letters).
    public let consumes: [String]
    /// Response-cache policy for the query root fields it owns.
    public let caching: CachePolicy
    /// Its command-line subcommands (`emporium seed`, …), run against the migrated database.
    public let commands: [any ServiceCommand.Type]
    /// Builds what runs of the service in one process.
    public let start: @Sendable (ServiceContext) async throws -> ServiceInstance
    /// What it runs at the public edge, in whichever process serves `/graphql` (nil: nothing).
    public let edge: (@Sendable (EdgeContext) -> any EdgeObserver)?

    public init(
        name: String, schema: String, migrations: @escaping @Sendable () throws -> MigrationSet, sdl: String,
        publishes: [String] = [], consumes: [String] = [], caching: CachePolicy = CachePolicy(),
        commands: [any ServiceCommand.Type] = [], edge: (@Sendable (EdgeContext) -> any EdgeObserver)? = nil,
        start: @escaping @Sendable (ServiceContext) async throws -> ServiceInstance
    ) {
        self.edge = edge
        self.name = name
        self.schema = schema
        self.migrations = migrations
        self.sdl = sdl
        self.publishes = publishes
        self.consumes = consumes
        self.caching = caching
        self.commands = commands
        self.start = start
    }
}

/// Which answers of a service's root fields the edge may keep, and which events end them.
public struct CachePolicy: Sendable {
    /// Longest age of a cached answer, by query root field (absent: never cached).
    public var maxAges: [String: Duration]
    /// The response-cache tags a committed event of this service's outbox invalidates.
    public var invalidatedTags: @Sendable (EventEnvelope) -> [String]

    public init(maxAges: [String: Duration] = [:], invalidatedTags: @escaping @Sendable (EventEnvelope) -> [String] = { _ in [] }) {
        self.maxAges = maxAges
        self.invalidatedTags = invalidatedTags
    }
}
