import GraphQL
import GraphQLSupport

/// Calls subgraphs living in the same process: single-node mode. No serialization and no
/// token re-verification: the client's request context goes to the subgraph as the edge made
/// it, with tags of its own (a deduplicated fetch reports them to every request sharing it).
public struct InProcessSubgraphTransport: SubgraphTransport {
    private let executors: [String: any GraphQLExecutor]

    /// `executors` by subgraph name, as in the supergraph.
    public init(_ executors: [String: any GraphQLExecutor]) {
        self.executors = executors
    }

    public func send(_ request: SubgraphRequest) async throws -> SubgraphResponse {
        guard let executor = executors[request.subgraph] else {
            throw SubgraphTransportError(.unknownSubgraph, subgraph: request.subgraph, message: "no in-process subgraph of that name")
        }
        let tags = ResponseTags()
        var context = request.context ?? GraphQLRequestInfo(principal: nil)
        context.responseTags = tags
        let outcome = await executor.execute(
            GraphQLSupport.GraphQLRequest(query: request.query, operationName: request.operationName, variables: request.variables),
            info: context)
        // The engine's result as it is: the gateway builds a `Map` from it only if it must.
        return SubgraphResponse(answer: outcome, cacheTags: tags.all)
    }
}
