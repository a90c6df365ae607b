import AsyncHTTPClient
import Catalog
import Contracts
import Foundation
import Gateway
import GraphQLSupport
import Inventory
import Logging

/// Builds the federation gateway: over the services of this process (single node), or over
/// subgraphs reached by HTTP (`emporium serve gateway`).
public enum GatewayAssembly {
    /// The subgraphs this binary contains, with their hand-written SDL (checked against their
    /// executable schemas in tests).
    public static var builtInSubgraphs: [SubgraphSDL] {
        [SubgraphSDL(name: "catalog", sdl: CatalogSchema.sdl), SubgraphSDL(name: "inventory", sdl: InventorySchema.sdl)]
    }

    /// The gateway's settings: the built-in services' cacheable root fields, defaults otherwise.
    static func configuration(introspection: Bool) -> GatewayConfiguration {
        GatewayConfiguration(
            allowsIntrospection: introspection,
            cacheableRootFields: CatalogCacheTags.maxAges.merging(InventoryCacheTags.maxAges) { first, _ in first })
    }

    /// The response-cache tags a committed event of any built-in service invalidates.
    @Sendable static func invalidatedTags(by event: EventEnvelope) -> [String] {
        CatalogCacheTags.invalidated(by: event) + InventoryCacheTags.invalidated(by: event)
    }

    /// The single node's gateway: calls the in-process subgraph endpoints directly.
    static func inProcess(_ endpoints: [String: any GraphQLExecutor], introspection: Bool, logger: Logger) throws -> FederationGateway {
        let subgraphs = builtInSubgraphs.filter { endpoints[$0.name] != nil }
        let supergraph = try Supergraph.compose(subgraphs)
        return FederationGateway(
            supergraph: supergraph, transport: InProcessSubgraphTransport(endpoints), configuration: configuration(introspection: introspection),
            logger: logger)
    }

    /// The supergraph of a gateway process: from the file `EMPORIUM_SUPERGRAPH` when set, else
    /// composed from the running subgraphs' `_service { sdl }`. Subgraphs that are still starting
    /// are retried until `startupTimeout`; a composition error fails at once.
    public static func supergraph(
        configuration: RuntimeConfiguration, transport: any SubgraphTransport, startupTimeout: Duration = .seconds(60), logger: Logger
    ) async throws -> Supergraph {
        if let file = configuration.supergraphFile {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ConfigurationError("EMPORIUM_SUPERGRAPH: cannot read '\(file)' (\(error)); write one with `emporium compose --output \(file)`")
            }
            return try Supergraph(decoding: text)
        }
        guard !configuration.subgraphs.isEmpty else {
            throw ConfigurationError("`emporium serve gateway` needs EMPORIUM_SUBGRAPHS (name=url,…, e.g. catalog=http://catalog:8080/graphql) or EMPORIUM_SUPERGRAPH (a file from `emporium compose`)")
        }
        let deadline = ContinuousClock.now + startupTimeout
        while true {
            do {
                let sdls = try await SubgraphSDLFetcher.fetchAll(configuration.subgraphs.map { ($0.name, Optional($0.url)) }, through: transport)
                return try Supergraph.compose(sdls)
            } catch let error as CompositionError {
                throw error
            } catch {
                guard ContinuousClock.now < deadline else { throw error }
                logger.warning("subgraphs not reachable yet; retrying", metadata: ["error": "\(error)"])
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
