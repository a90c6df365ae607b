import GraphQL
import GraphQLSupport
import Logging

/// The federation gateway: one GraphQL endpoint over all subgraphs.
///
/// It is a `GraphQLExecutor`, so the HTTP layer serves it like any endpoint. Its stages, after
/// the preparation every endpoint shares (`OperationPreparation`: parse, measure, validate
/// against the API schema, select the operation, check the method): plan (cached), coerce the
/// variables, check the cost limits, answer introspection itself, execute the plan's fetches
/// through the transport, and shape the merged data into the response the client asked for.
/// Metrics are recorded once, at the HTTP edge.
public final class FederationGateway: GraphQLExecutor {
    public let supergraph: Supergraph
    public let planner: QueryPlanner
    public let configuration: GatewayConfiguration
    private let transport: any SubgraphTransport
    private let preparation: OperationPreparation
    private let inFlight: InFlightRequests
    private let introspectionOrder: IntrospectionOrder
    private let logger: Logger

    public convenience init(
        supergraph: Supergraph, transport: any SubgraphTransport, configuration: GatewayConfiguration = GatewayConfiguration(),
        logger: Logger = Logger(label: "emporium.gateway")
    ) {
        self.init(
            supergraph: supergraph, transport: transport, configuration: configuration,
            planner: QueryPlanner(supergraph: supergraph, cacheCapacity: configuration.planCacheCapacity), inFlight: InFlightRequests(),
            introspectionOrder: IntrospectionOrder(supergraph: supergraph), logger: logger)
    }

    private init(
        supergraph: Supergraph, transport: any SubgraphTransport, configuration: GatewayConfiguration, planner: QueryPlanner,
        inFlight: InFlightRequests, introspectionOrder: IntrospectionOrder, logger: Logger
    ) {
        self.supergraph = supergraph
        self.transport = transport
        self.configuration = configuration
        self.planner = planner
        self.preparation = OperationPreparation(schema: supergraph.apiSchema, limits: configuration.limits.document)
        self.inFlight = inFlight
        self.introspectionOrder = introspectionOrder
        self.logger = logger
    }

    /// This gateway — its planner, plan cache and transport — with other limits: for operations
    /// the server writes itself from parts that passed the client's limits (the realtime hub asks
    /// for many entities' changes in one operation).
    public func withLimits(_ limits: OperationLimits) -> FederationGateway {
        var configuration = configuration
        configuration.limits = limits
        return FederationGateway(
            supergraph: supergraph, transport: transport, configuration: configuration, planner: planner, inFlight: inFlight,
            introspectionOrder: introspectionOrder, logger: logger)
    }


    /// How many subgraph requests were answered by sharing an identical in-flight one.
    public var deduplicatedFetchCount: Int {
        get async { await inFlight.sharedCount }
    }

    public func execute(_ request: GraphQLSupport.GraphQLRequest, info: GraphQLRequestInfo) async -> GraphQLOutcome {
        let prepared: OperationPreparation.Prepared
        switch preparation.prepare(request, info: info) {
        case .success(let found): prepared = found
        case .failure(let refusal): return refusal.outcome
        }
        let (document, operation) = (prepared.document, prepared.operation)
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
        // Introspection is answered here and is not in the cacheable table, so an operation that
        // asks for it is never cached.
        let maxAge = introspectionFields.isEmpty ? configuration.cacheMaxAge(of: plan.operation) : nil
        if let root = plan.root {
            let executor = PlanExecutor(
                supergraph: supergraph, transport: transport, configuration: configuration, inFlight: inFlight, logger: logger,
                variables: variables, context: info, store: store
            )
            if introspectionFields.isEmpty, let fetch = plan.verbatimFetch {
                // One subgraph asked exactly what the client asked: its answer is the response.
                if var answer = await executor.runVerbatim(fetch) {
                    assert(shapesTheSame(answer, plan: plan, variables: variables), "a verbatim fetch's answer differs from its shaped response")
                    answer.cacheMaxAge = maxAge
                    return answer
                }
            } else {
                await executor.run(root)
            }
        }
        let (data, errors, explained) = store.snapshot
        var shaper = ResponseShaper(supergraph: supergraph, variables: variables, errors: errors, explained: explained, plan: plan)
        let shaped = shaper.shape(plan.operation, data: data)
        return GraphQLOutcome(kind: .executed, result: GraphQLResult(data: shaped, errors: shaper.errors), cacheMaxAge: maxAge)
    }

    /// Debug builds check every passed-through answer against the shaper (`VerbatimFetch`).
    private func shapesTheSame(_ answer: GraphQLOutcome, plan: QueryPlan, variables: [String: Map]) -> Bool {
        let data = answer.data ?? .null
        var shaper = ResponseShaper(supergraph: supergraph, variables: variables, errors: [], explained: [], plan: plan)
        return shaper.shape(plan.operation, data: data) == data && shaper.errors.isEmpty
    }

    private static func rejected(_ errors: [GraphQLError]) -> GraphQLOutcome {
        GraphQLOutcome(kind: .requestError, result: GraphQLResult(errors: errors))
    }

    static func error(_ message: String, _ code: String) -> GraphQLError {
        GraphQLError(message: message, extensions: ["code": .string(code)])
    }
}
