import EmporiumCore
import Graphiti
import GraphQL
import Logging

/// Executes requests against one Graphiti schema: the shared preparation stages
/// (``OperationPreparation``), then execution, every error with an `extensions.code`.
public struct SchemaEndpoint<Resolver: Sendable, Context: Sendable>: GraphQLExecutor {
    public typealias ContextFactory = @Sendable (GraphQLRequestInfo) async throws -> Context

    let schema: Schema<Resolver, Context>
    let resolver: Resolver
    let makeContext: ContextFactory
    let logger: Logger
    private let preparation: OperationPreparation

    public init(
        schema: Schema<Resolver, Context>, resolver: Resolver, limits: DocumentLimits = .subgraph, logger: Logger,
        makeContext: @escaping ContextFactory
    ) {
        self.schema = schema
        self.resolver = resolver
        self.logger = logger
        self.makeContext = makeContext
        preparation = OperationPreparation(schema: schema.schema, limits: limits)
    }

    public func execute(_ request: GraphQLRequest, info: GraphQLRequestInfo) async -> GraphQLOutcome {
        let document: Document
        switch preparation.prepare(request, info: info) {
        case .success(let prepared): document = prepared.document
        case .failure(let refusal): return refusal.outcome
        }
        do {
            let context = try await makeContext(info)
            let unresolved = UnresolvedEntities()
            let result = try await UnresolvedEntities.$current.withValue(unresolved) {
                try await GraphQL.execute(
                    schema: schema.schema, documentAST: document, rootValue: resolver, context: context,
                    variableValues: request.variables, operationName: request.operationName
                )
            }
            return GraphQLOutcome(kind: .executed, result: GraphQLResult(
                data: unresolved.restore(in: result.data), errors: result.errors.map { GraphQLErrorMapping.map($0, logger: logger, requestID: info.requestID) }
            ))
        } catch let error as GraphQLError {
            return GraphQLOutcome(kind: .executed, result: GraphQLResult(errors: [GraphQLErrorMapping.map(error, logger: logger, requestID: info.requestID)]))
        } catch {
            let wrapped = GraphQLError(message: String(describing: error), originalError: error)
            return GraphQLOutcome(kind: .executed, result: GraphQLResult(errors: [GraphQLErrorMapping.map(wrapped, logger: logger, requestID: info.requestID)]))
        }
    }
}
