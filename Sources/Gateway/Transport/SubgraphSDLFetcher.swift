import GraphQL
import OrderedCollections
/// Reads a subgraph's federation SDL through a transport (`{ _service { sdl } }`), so the gateway
/// can compose at start-up from the running subgraphs.
public enum SubgraphSDLFetcher {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let subgraph: String
        public let message: String
        public var description: String { "could not read the SDL of subgraph '\(subgraph)': \(message)" }
    }

    public static func fetch(subgraph: String, url: String?, through transport: any SubgraphTransport, timeout: Duration = .seconds(10)) async throws -> SubgraphSDL {
        let response = try await transport.send(SubgraphRequest(subgraph: subgraph, url: url, query: "query __ApolloGetServiceDefinition__ { _service { sdl } }", timeout: timeout))
        guard let sdl = response.data?.dictionary?["_service"]?.dictionary?["sdl"]?.string else {
            throw Failure(subgraph: subgraph, message: response.errors.first?.message ?? "the answer has no _service.sdl")
        }
        return SubgraphSDL(name: subgraph, url: url, sdl: sdl)
    }

    /// Every subgraph's SDL, read concurrently, in the order given.
    public static func fetchAll(_ subgraphs: [(name: String, url: String?)], through transport: any SubgraphTransport, timeout: Duration = .seconds(10)) async throws -> [SubgraphSDL] {
        try await withThrowingTaskGroup(of: (Int, SubgraphSDL).self) { group in
            for (index, subgraph) in subgraphs.enumerated() {
                group.addTask { (index, try await fetch(subgraph: subgraph.name, url: subgraph.url, through: transport, timeout: timeout)) }
            }
            var results: [(Int, SubgraphSDL)] = []
            for try await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
