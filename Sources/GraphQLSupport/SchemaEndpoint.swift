import EmporiumCore
import Graphiti
import GraphQL
import Logging

/// Executes requests against one Graphiti schema: parse (cached), validate, execute, and give
/// every error an `extensions.code`.
public struct SchemaEndpoint<Resolver: Sendable, Context: Sendable>: GraphQLExecutor {
    public typealias ContextFactory = @Sendable (GraphQLRequestInfo) async throws -> Context

    let schema: Schema<Resolver, Context>
    let resolver: Resolver
    let makeContext: ContextFactory
    let logger: Logger
    private let documents = DocumentCache()

    public init(schema: Schema<Resolver, Context>, resolver: Resolver, logger: Logger, makeContext: @escaping ContextFactory) {
        self.schema = schema
        self.resolver = resolver
        self.logger = logger
        self.makeContext = makeContext
    }

    public func execute(_ request: GraphQLRequest, info: GraphQLRequestInfo) async -> GraphQLOutcome {
        let document: Document
        switch prepare(request.query) {
        case .success(let prepared): document = prepared
        case .failure(let outcome): return outcome
        }
        if info.isReadOnly, Self.operationType(in: document, named: request.operationName) != .query {
            let error = GraphQLError(message: "only queries may be sent with GET; use POST for mutations")
            return GraphQLOutcome(kind: .methodNotAllowed, result: GraphQLResult(errors: [GraphQLErrorMapping.withCode(error, "METHOD_NOT_ALLOWED")]))
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

    private enum Prepared {
        case success(Document)
        case failure(GraphQLOutcome)
    }

    private func prepare(_ query: String) -> Prepared {
        if let cached = documents.document(for: query) { return .success(cached) }
        let document: Document
        switch DocumentParsing.parse(query) {
        case .success(let parsed): document = parsed
        case .failure(let error): return .failure(GraphQLOutcome(kind: .requestError, result: GraphQLResult(errors: [error])))
        }
        let errors = DocumentParsing.validate(document, schema: schema.schema)
        guard errors.isEmpty else {
            return .failure(GraphQLOutcome(kind: .requestError, result: GraphQLResult(errors: errors)))
        }
        documents.store(document, for: query)
        return .success(document)
    }

    static func operationType(in document: Document, named name: String?) -> OperationType? {
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        if let name { return operations.first { $0.name?.value == name }?.operation }
        return operations.count == 1 ? operations[0].operation : nil
    }
}
