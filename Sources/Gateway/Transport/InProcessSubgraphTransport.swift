import GraphQL
import GraphQLSupport

/// Calls subgraphs living in the same process: single-node mode. No serialization and no
/// token re-verification: the principal the gateway authenticated goes straight into the
/// subgraph's `GraphQLRequestInfo`.
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
        let outcome = await executor.execute(
            GraphQLSupport.GraphQLRequest(query: request.query, operationName: request.operationName, variables: request.variables),
            info: GraphQLRequestInfo(
                principal: request.principal, headers: request.headers, clientKey: request.clientKey,
                responseHeaders: request.responseHeaders ?? ResponseHeaders(), responseTags: tags,
                requestID: request.requestID ?? GraphQLErrorMapping.newRequestID()
            )
        )
        return SubgraphResponse(data: outcome.result.data, errors: outcome.result.errors, cacheTags: tags.all)
    }
}
