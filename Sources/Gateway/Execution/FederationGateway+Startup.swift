import Logging
import OrderedCollections

extension FederationGateway {
    /// Composes from the running subgraphs' `_service { sdl }` and builds the gateway: what a
    /// router does at start-up when no supergraph file is given.
    ///
    /// Throws `SubgraphSDLFetcher.Failure` or `SubgraphTransportError` when a subgraph cannot be
    /// read, `CompositionError` when the SDLs do not compose.
    public static func composing(
        _ subgraphs: [(name: String, url: String?)], transport: any SubgraphTransport,
        configuration: GatewayConfiguration = GatewayConfiguration(), logger: Logger = Logger(label: "emporium.gateway")
    ) async throws -> FederationGateway {
        let sdls = try await SubgraphSDLFetcher.fetchAll(subgraphs, through: transport, timeout: configuration.subgraphTimeout)
        let supergraph = try Supergraph.compose(sdls)
        logger.info("composed supergraph", metadata: [
            "gateway.subgraphs": "\(sdls.map(\.name).joined(separator: ","))", "gateway.types": "\(supergraph.types.count)",
        ])
        return FederationGateway(supergraph: supergraph, transport: transport, configuration: configuration, logger: logger)
    }
}
