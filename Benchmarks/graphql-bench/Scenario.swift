import GraphQL
import GraphQLSupport

/// One benchmarked operation: a GraphQL request as a client sends it (query text and variables),
/// the executor that answers it, and the check that its answer is the expected one.
///
/// `requests` holds the same operation with different variables (one product, seller or batch
/// each); runs rotate over them, so that the work varies with the data as in real traffic and
/// concurrent tasks need not send the same request at once (the gateway would merge identical
/// in-flight subgraph fetches and flatter itself). The first page of `subgraph-page` is one
/// request: every storefront asks for the same one.
struct Scenario: Sendable {
    let name: String
    /// What it represents, for the table's legend.
    let summary: String
    let executor: any GraphQLExecutor
    let requests: [GraphQLSupport.GraphQLRequest]
    /// Throws ``AnswerMismatch`` when the answer to `requests[index]` is not the expected data.
    let check: @Sendable (_ index: Int, _ answer: GraphQLResult) throws -> Void
}
