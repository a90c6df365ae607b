import GraphQL
import GraphQLSupport
import Hummingbird
import Logging
import NIOCore
import Testing
@testable import Gateway
import OrderedCollections

@Suite("HTTP transport against live subgraphs")
struct HTTPTransportTests {
    /// Catalog and inventory served by the same `GraphQLHTTP` the runtime uses, on a free port;
    /// the gateway composes from their `_service { sdl }` and queries them over HTTP.
    @Test("compose from live subgraphs and answer a query over HTTP")
    func liveSubgraphs() async throws {
        var logger = Logger(label: "test.http-subgraphs")
        // Cancelling the server at the end logs a shutdown error that is no test failure.
        logger.logLevel = .critical
        let router = Router()
        GraphQLHTTP(executor: try LiteSubgraphs.catalog(), tokens: nil, logger: logger).addRoutes(to: router, path: "/catalog")
        GraphQLHTTP(executor: try LiteSubgraphs.inventory(), tokens: nil, logger: logger).addRoutes(to: router, path: "/inventory")
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            let transport = HTTPSubgraphTransport()
            let gateway = try await FederationGateway.composing(
                [("catalog", "http://127.0.0.1:\(port)/catalog"), ("inventory", "http://127.0.0.1:\(port)/inventory")], transport: transport
            )
            let outcome = await gateway.execute(
                GraphQLRequest(query: "{ products(first: 20) { nodes { title stock { available } } } }"), info: GraphQLRequestInfo(principal: nil)
            )
            #expect(outcome.result.errors.isEmpty, "\(outcome.result.errors)")
            let nodes = outcome.result.data?.dictionary?["products"]?.dictionary?["nodes"]?.array ?? []
            #expect(nodes.count == 20)
            #expect(nodes.last == ["title": "Product 20", "stock": ["available": 200]])

            // A subgraph's own GraphQL error comes back through HTTP with its code.
            let invalid = try await transport.send(SubgraphRequest(subgraph: "catalog", url: "http://127.0.0.1:\(port)/catalog", query: "{ nope }"))
            #expect(invalid.errors.first?.extensions["code"] == "GRAPHQL_VALIDATION_FAILED")
            group.cancelAll()
        }
    }
}
