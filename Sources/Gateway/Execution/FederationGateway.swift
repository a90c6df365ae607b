import GraphQL
import GraphQLSupport
import Logging
import Metrics

/// The federation gateway: one GraphQL endpoint over all subgraphs.
///
/// It is a `GraphQLExecutor`, so the existing HTTP layer serves it unchanged. Per request:
/// parse and validate against the API schema (cached), plan (cached), coerce variables, check
/// the operation limits, answer introspection itself, run the plan's fetches through the
/// transport, and shape the merged data into the response the client asked for.
public final class FederationGateway: GraphQLExecutor {
    public let supergraph: Supergraph
    public let planner: QueryPlanner
    public let configuration: GatewayConfiguration
    private let transport: any SubgraphTransport
    private let documents: DocumentCache
    private let inFlight = InFlightRequests()
    private let introspectionOrder: IntrospectionOrder
    private let logger: Logger

    public init(
        supergraph: Supergraph, transport: any SubgraphTransport, configuration: GatewayConfiguration = GatewayConfiguration(),
        logger: Logger = Logger(label: "emporium.gateway")
    ) {
        self.supergraph = supergraph
        self.transport = transport
        self.configuration = configuration
        self.planner = QueryPlanner(supergraph: supergraph, cacheCapacity: configuration.planCacheCapacity)
        self.documents = DocumentCache(capacity: configuration.planCacheCapacity)
        self.introspectionOrder = IntrospectionOrder(supergraph: supergraph)
        self.logger = logger
    }

    public func execute(_ request: GraphQLSupport.GraphQLRequest, info: GraphQLRequestInfo) async -> GraphQLOutcome {
        let start = ContinuousClock.now
        let outcome = await run(request, info: info)
        let status = switch outcome.kind {
        case .requestError, .methodNotAllowed: "rejected"
        case .executed: outcome.result.errors.isEmpty ? "ok" : "error"
        }
        Counter(label: "gateway_requests_total", dimensions: [("outcome", status)]).increment()
        Timer(label: "gateway_request_duration_seconds").recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        return outcome
    }

    /// How many subgraph requests were answered by sharing an identical in-flight one.
    public var deduplicatedFetchCount: Int {
        get async { await inFlight.sharedCount }
    }

    private func run(_ request: GraphQLSupport.GraphQLRequest, info: GraphQLRequestInfo) async -> GraphQLOutcome {
        let document: Document
        switch prepare(request.query) {
        case .success(let prepared): document = prepared
        case .failure(let errors): return Self.rejected(errors)
        }
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        let selected: OperationDefinition? = if let name = request.operationName {
            operations.first { $0.name?.value == name }
        } else {
            operations.count == 1 ? operations[0] : nil
        }
        guard let operation = selected else {
            let message = request.operationName.map { "unknown operation named '\($0)'" } ?? "the document has several operations; send operationName"
            return Self.rejected([Self.error(message, GatewayErrorCode.badUserInput)])
        }
        if info.isReadOnly, operation.operation != .query {
            return GraphQLOutcome(kind: .methodNotAllowed, result: GraphQLResult(errors: [
                Self.error("only queries may be sent with GET; use POST for mutations", "METHOD_NOT_ALLOWED"),
            ]))
        }
        let plan: QueryPlan
        do throws(PlanningError) {
            plan = try planner.plan(document: document, operationName: request.operationName, text: request.query)
        } catch {
            return Self.rejected([Self.error(error.message, error.code)])
        }
        let variables: [String: Map]
        switch VariableCoercion(supergraph: supergraph).coerce(request.variables, for: plan.operation) {
        case .success(let coerced): variables = coerced
        case .failure(let error): return Self.rejected([error])
        }
        let measurement = OperationMeasurement(plan.operation, variables: variables, defaultListSize: configuration.limits.defaultListSize)
        if let violation = configuration.limits.violation(of: measurement) {
            return Self.rejected([violation])
        }
        let store = ResponseStore()
        let introspectionFields = Introspection.rootFields(of: operation)
        if !introspectionFields.isEmpty {
            guard configuration.allowsIntrospection else {
                return Self.rejected([Self.error("introspection is disabled", GatewayErrorCode.introspectionDisabled)])
            }
            let result = await Introspection.execute(
                introspectionFields, of: operation, in: document, schema: supergraph.apiSchema, variables: variables,
                requestID: info.requestID, logger: logger)
            if let data = result.data { store.mergeRoot(introspectionOrder.reorder(data)) }
            store.append(result.errors)
        }
        if let root = plan.root {
            let executor = PlanExecutor(
                supergraph: supergraph, transport: transport, configuration: configuration, inFlight: inFlight, logger: logger,
                variables: variables, headers: info.headers, principal: info.principal, clientKey: info.clientKey, requestID: info.requestID,
                responseHeaders: info.responseHeaders, responseTags: info.responseTags, store: store
            )
            await executor.run(root)
        }
        let (data, errors, explained) = store.snapshot
        var shaper = ResponseShaper(supergraph: supergraph, variables: variables, errors: errors, explained: explained)
        let shaped = shaper.shape(plan.operation, data: data)
        // Introspection is answered here and is not in the cacheable table, so an operation that
        // asks for it is never cached.
        let maxAge = introspectionFields.isEmpty ? configuration.cacheMaxAge(of: plan.operation) : nil
        return GraphQLOutcome(kind: .executed, result: GraphQLResult(data: shaped, errors: shaper.errors), cacheMaxAge: maxAge)
    }

    /// Parse (bounded), measure the shape, validate; each stage refuses before the next, more
    /// expensive one runs. Only documents that pass are cached.
    private func prepare(_ query: String) -> Result<Document, GraphQLErrors> {
        if let cached = documents.document(for: query) { return .success(cached) }
        let document: Document
        switch DocumentParsing.parse(query, bounds: configuration.limits.textBounds) {
        case .success(let parsed): document = parsed
        case .failure(let error): return .failure(GraphQLErrors([error]))
        }
        if let violation = configuration.limits.violation(of: DocumentShape(document)) {
            return .failure(GraphQLErrors([violation]))
        }
        let errors = DocumentParsing.validate(document, schema: supergraph.apiSchema)
        guard errors.isEmpty else { return .failure(GraphQLErrors(errors)) }
        documents.store(document, for: query)
        return .success(document)
    }

    private static func rejected(_ errors: GraphQLErrors) -> GraphQLOutcome {
        rejected(errors.errors)
    }

    private static func rejected(_ errors: [GraphQLError]) -> GraphQLOutcome {
        GraphQLOutcome(kind: .requestError, result: GraphQLResult(errors: errors))
    }

    static func error(_ message: String, _ code: String) -> GraphQLError {
        GraphQLError(message: message, extensions: ["code": .string(code)])
    }
}
