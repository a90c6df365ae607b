import Contracts
import GraphQLSupport
import Logging
import ServiceLifecycle

/// Something a service runs at the public edge (the gateway's `/graphql`, wherever it runs):
/// told about every answered request, and a `Service` for its own loop (the catalog counts
/// product views and publishes them in batches).
public protocol EdgeObserver: GraphQLRequestObserver, Service {}

/// What the runtime gives an edge observer: where to publish events directly (the process's
/// event bus: in process on the single node, Kafka elsewhere — never an outbox).
public struct EdgeContext: Sendable {
    public let publish: @Sendable ([EventEnvelope]) async throws -> Void
    public let logger: Logger

    public init(publish: @escaping @Sendable ([EventEnvelope]) async throws -> Void, logger: Logger) {
        self.publish = publish
        self.logger = logger
    }
}
