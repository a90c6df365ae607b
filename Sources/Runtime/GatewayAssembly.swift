import AsyncHTTPClient
import Contracts
import Foundation
import Gateway
import GraphQLSupport
import Logging
import ServiceKit

/// Builds the federation gateway: over the services of this process (single node), or over
/// subgraphs reached by HTTP (`emporium serve gateway`).
public enum GatewayAssembly {
    /// The subgraphs this binary contains, with their hand-written SDL (checked against their
    /// executable schemas in tests).
    public static var builtInSubgraphs: [SubgraphSDL] {
        subgraphs(of: ServiceRegistry.all)
    }

    static func subgraphs(of services: [ServiceDescriptor]) -> [SubgraphSDL] {
        services.map { SubgraphSDL(name: $0.name, sdl: $0.sdl) }
    }

    /// The gateway's settings: the services' cacheable root fields, defaults otherwise.
    static func configuration(introspection: Bool, services: [ServiceDescriptor] = ServiceRegistry.all) -> GatewayConfiguration {
        let maxAges = services.reduce(into: [String: Duration]()) { ages, service in
            ages.merge(service.caching.maxAges) { first, _ in first }
        }
        return GatewayConfiguration(allowsIntrospection: introspection, cacheableRootFields: maxAges)
    }

    /// The response-cache tags a committed event of any of `services` invalidates.
    static func invalidatedTags(of services: [ServiceDescriptor]) -> @Sendable (EventEnvelope) -> [String] {
        let policies = services.map(\.caching)
        return { event in policies.flatMap { $0.invalidatedTags(event) } }
    }

    /// The single node's gateway: calls the in-process subgraph endpoints directly.
    static func inProcess(_ services: RunningServices, introspection: Bool, logger: Logger) throws -> FederationGateway {
        let descriptors = services.all.map(\.descriptor)
        return FederationGateway(
            supergraph: try Supergraph.compose(subgraphs(of: descriptors)), transport: InProcessSubgraphTransport(services.endpoints),
            configuration: configuration(introspection: introspection, services: descriptors), logger: logger)
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
            throw ConfigurationError("`emporium serve gateway` needs EMPORIUM_SUBGRAPHS (name=url,… for each of \(ServiceRegistry.names.joined(separator: ", "))) or EMPORIUM_SUPERGRAPH (a file from `emporium compose`)")
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
