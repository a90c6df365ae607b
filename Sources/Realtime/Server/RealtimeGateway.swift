import GraphQL
import GraphQLSupport
import Identity
import Logging
import Foundation

/// What every connection of a realtime node shares: token checks, the planner, the hub and the
/// gateway that resolves operations. Built once per process; a class, so that each of 100,000
/// connections holds one reference to it rather than a copy.
public final class RealtimeGateway: Sendable {
    public struct Configuration: Sendable {
        /// How long a client has to send `connection_init`.
        public var initTimeout: Duration = .seconds(10)
        /// Messages waiting to be written to one client before it is closed as too slow (4499).
        public var maximumPendingMessages = 256
        /// Operations one connection may run at once.
        public var maximumOperations = 100
        /// Largest frame (and message) accepted from a client.
        public var maximumFrameBytes = 64 * 1024
        /// Messages a client may send per second (each subscribe is parsed and planned).
        public var maximumMessagesPerSecond = 250

        public init() {}
    }

    public let tokens: TokenService
    public let hub: LiveHub
    public let executor: any GraphQLExecutor
    public let planner: LivePlanner
    public let configuration: Configuration
    public let logger: Logger

    /// - Parameter subscriptions: the subscription fields the supergraph declares; only those of
    ///   ``LiveField/all`` among them are served (a field whose service is not deployed is not).
    public init(
        tokens: TokenService, hub: LiveHub, executor: any GraphQLExecutor, subscriptions: Set<String>, configuration: Configuration = Configuration(),
        logger: Logger
    ) {
        self.tokens = tokens
        self.hub = hub
        self.executor = executor
        self.planner = LivePlanner(fields: LiveField.all.filter { subscriptions.contains($0.name) })
        self.configuration = configuration
        self.logger = logger
    }

    /// The caller named by a `connection_init` payload: `{"authorization": "Bearer <jwt>"}`
    /// (also `Authorization`, or `{"token": "<jwt>"}`); nobody (anonymous) without one.
    public func authenticate(_ payload: Map?) async throws -> (principal: Principal, refusedFrom: Date)? {
        let header = payload?["authorization"].string ?? payload?["Authorization"].string
        let token: String?
        if let header {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw ProtocolViolation("the authorization must be 'Bearer <jwt>'")
            }
            token = String(parts[1])
        } else {
            token = payload?["token"].string
        }
        guard let token, !token.isEmpty else { return nil }
        // Verified once per connection: not kept for a next request that never comes. Only the
        // principal is kept (no token): resolutions over HTTP assert it beside the internal
        // credential (`InternalCredential.principalHeader`), and the connection closes when the
        // token expires, so it is never asserted past the token's life.
        return try await tokens.verifiedToken(token.trimmingCharacters(in: .whitespaces), remember: false)
    }
}
