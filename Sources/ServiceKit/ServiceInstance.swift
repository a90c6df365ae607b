import GraphQLSupport
import Identity
import Messaging
import ServiceLifecycle

/// The running parts of one service in one process, built by ``ServiceDescriptor/start``.
public struct ServiceInstance: Sendable {
    /// Its GraphQL subgraph.
    public var endpoint: any GraphQLExecutor
    /// Its event handlers (the topics they name are the descriptor's `consumes`); nil when it
    /// consumes nothing.
    public var eventHandlers: EventHandlers?
    /// Long-running loops (expiry sweeps, …); started after migrations, stopped before the stores.
    public var background: [any Service]
    /// HTTP routes of its own beside GraphQL.
    public var routes: [ServiceRoute]
    /// The keys of the access tokens it signs, for every verifier in the process (users).
    public var jwks: (any JWKSSource)?

    public init(
        endpoint: any GraphQLExecutor, eventHandlers: EventHandlers? = nil, background: [any Service] = [], routes: [ServiceRoute] = [],
        jwks: (any JWKSSource)? = nil
    ) {
        self.endpoint = endpoint
        self.eventHandlers = eventHandlers
        self.background = background
        self.routes = routes
        self.jwks = jwks
    }
}
