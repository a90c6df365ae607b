import EmporiumCore
import GraphQL
import GraphQLExecution
import Logging

/// Executes requests against one service's schema on our engine: the shared preparation stages
/// (``OperationPreparation``), then the engine with the plans cached beside the document, every
/// error with an `extensions.code`.
public struct SchemaEndpoint<Context: Sendable>: GraphQLExecutor {
    public typealias ContextFactory = @Sendable (GraphQLRequestInfo) async throws -> Context

    public let schema: ExecutableSchema<Context>
    let makeContext: ContextFactory
    let logger: Logger
    private let preparation: OperationPreparation

    public init(
        schema: ExecutableSchema<Context>, limits: DocumentLimits = .subgraph, logger: Logger,
        makeContext: @escaping ContextFactory
    ) {
        self.schema = schema
        self.logger = logger
        self.makeContext = makeContext
        preparation = OperationPreparation(schema: schema.schema, limits: limits)
    }

    public func execute(_ request: GraphQLRequest, info: GraphQLRequestInfo) async -> GraphQLOutcome {
        let prepared: OperationPreparation.Prepared
        switch preparation.prepare(request, info: info) {
        case .success(let found): prepared = found
        case .failure(let refusal): return refusal.outcome
        }
        let context: Context
        do {
            context = try await makeContext(info)
        } catch {
            let wrapped = (error as? GraphQLError) ?? GraphQLError(message: String(describing: error), originalError: error)
            return GraphQLOutcome(kind: .executed, result: GraphQLResult(errors: [map(wrapped, info)]))
        }
        var result = await schema.execute(
            document: prepared.document, operationName: request.operationName, variables: request.variables, context: context,
            plans: prepared.plans)
        result.errors = result.errors.map { map($0, info) }
        return GraphQLOutcome(kind: result.isRequestError ? .requestError : .executed, execution: result)
    }

    private func map(_ error: GraphQLError, _ info: GraphQLRequestInfo) -> GraphQLError {
        GraphQLErrorMapping.map(error, logger: logger, requestID: info.requestID)
    }
}
