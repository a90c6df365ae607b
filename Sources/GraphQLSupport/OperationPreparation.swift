import GraphQL
import GraphQLExecution

/// The stages every GraphQL endpoint runs before executing anything, the gateway and each
/// subgraph alike, in this order; each refuses before the next, more expensive one runs:
///
/// 1. **parse** — the text bounded first (``QueryTextBounds``), then GraphQLSwift's parser;
/// 2. **measure** — depth, aliases and fields with fragments counted once (``DocumentShape``);
/// 3. **validate** — against the endpoint's schema with Emporium's rules;
/// 4. **select the operation** — by `operationName`, or the only one;
/// 5. **check the method** — a GET may only run a query.
///
/// Documents that pass stages 1–3 are kept in the process's ``DocumentCache`` under this
/// endpoint's scope, so a repeated operation costs one lookup.
public final class OperationPreparation: Sendable {
    public let schema: GraphQLSchema
    public let limits: DocumentLimits
    private let documents: DocumentCache
    private let scope: DocumentCache.Scope

    public init(schema: GraphQLSchema, limits: DocumentLimits, documents: DocumentCache = .shared) {
        self.schema = schema
        self.limits = limits
        self.documents = documents
        scope = .unique()
    }

    /// What execution needs: the document and the operation in it that runs.
    public struct Prepared: Sendable {
        public let document: Document
        public let operation: OperationDefinition
        /// Where the engine keeps this document's compiled plans.
        public let plans: PlanStore
    }

    /// The prepared operation, or the outcome that refuses it (a request error, or 405 for a
    /// mutation over GET).
    public func prepare(_ request: GraphQLRequest, info: GraphQLRequestInfo) -> Result<Prepared, Refusal> {
        let document: Document
        let plans: PlanStore
        switch self.document(for: request.query) {
        case .success(let found): (document, plans) = found
        case .failure(let refusal): return .failure(refusal)
        }
        guard let operation = Self.selectOperation(in: document, named: request.operationName) else {
            let message = request.operationName.map { "unknown operation named '\($0)'" } ?? "the document has several operations; send operationName"
            return .failure(Refusal(kind: .requestError, errors: [GraphQLErrorMapping.withCode(GraphQLError(message: message), "BAD_USER_INPUT")]))
        }
        if info.isReadOnly, operation.operation != .query {
            let error = GraphQLError(message: "only queries may be sent with GET; use POST for mutations")
            return .failure(Refusal(kind: .methodNotAllowed, errors: [GraphQLErrorMapping.withCode(error, "METHOD_NOT_ALLOWED")]))
        }
        return .success(Prepared(document: document, operation: operation, plans: plans))
    }

    /// Stages 1–3, cached.
    func document(for text: String) -> Result<(Document, PlanStore), Refusal> {
        if let cached = documents.entry(for: text, in: scope) { return .success((cached.document, cached.plans)) }
        let document: Document
        switch DocumentParsing.parse(text, bounds: limits.textBounds) {
        case .success(let parsed): document = parsed
        case .failure(let error): return .failure(Refusal(kind: .requestError, errors: [error]))
        }
        if let violation = limits.violation(of: DocumentShape(document)) {
            return .failure(Refusal(kind: .requestError, errors: [violation]))
        }
        let errors = DocumentParsing.validate(document, schema: schema)
        guard errors.isEmpty else { return .failure(Refusal(kind: .requestError, errors: errors)) }
        return .success((document, documents.store(document, for: text, in: scope)))
    }

    static func selectOperation(in document: Document, named name: String?) -> OperationDefinition? {
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        if let name { return operations.first { $0.name?.value == name } }
        return operations.count == 1 ? operations[0] : nil
    }

    /// Why a request does not run: errors that already carry their codes.
    public struct Refusal: Error {
        public let kind: GraphQLOutcome.Kind
        public let errors: [GraphQLError]

        public var outcome: GraphQLOutcome {
            GraphQLOutcome(kind: kind, result: GraphQLResult(errors: errors))
        }
    }
}
