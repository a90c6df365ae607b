import GraphQL
import GraphQLExecution
import OrderedCollections

/// The two executors over one schema and one shop, ready to run an operation each: GraphQLSwift's
/// `execute` on the programmatic schema, and our engine on its printed SDL.
struct DifferentialHarness: Sendable {
    let reference: GraphQLSchema
    let engine: ExecutableSchema<ShopState>
    let shape: SchemaShape

    init() throws {
        reference = try ReferenceSchema().make()
        engine = try ExecutableSchema(sdl: printSchema(schema: reference), resolvers: EngineResolvers.make())
        shape = try SchemaShape(reference)
    }

    /// The document, or nil when GraphQLSwift rejects it (syntax or validation): only valid
    /// documents are executed.
    func validDocument(_ text: String) -> Document? {
        guard let document = try? parse(source: Source(body: text, name: "GraphQL request")) else { return nil }
        return validate(schema: reference, ast: document).isEmpty ? document : nil
    }

    func runReference(_ document: Document, _ operationName: String?, _ variables: [String: Map], shop: ShopState) async throws -> GraphQLResult {
        shop.reset()
        return try await execute(
            schema: reference, documentAST: document, rootValue: (), context: shop, variableValues: variables, operationName: operationName)
    }

    func runEngine(
        _ document: Document, _ operationName: String?, _ variables: [String: Map], shop: ShopState, plans: PlanStore? = nil
    ) async -> ExecutionResult {
        shop.reset()
        return await engine.execute(document: document, operationName: operationName, variables: variables, context: shop, plans: plans)
    }

    /// Runs a generated operation on both executors (twice when it has a rerun, the second time
    /// on the plans our first run stored); nil when the document is not valid.
    func run(_ operation: GeneratedOperation, shop: ShopState) async -> [DifferentialOutcome]? {
        guard let document = validDocument(operation.document) else { return nil }
        let plans = PlanStore()
        var runs = [GeneratedOperation.Rerun(operationName: operation.operationName, variables: operation.variables)]
        if let rerun = operation.rerun { runs.append(rerun) }
        var outcomes: [DifferentialOutcome] = []
        for (index, run) in runs.enumerated() {
            let reference: GraphQLResult
            do {
                reference = try await runReference(document, run.operationName, run.variables, shop: shop)
            } catch {
                reference = GraphQLResult(errors: [GraphQLError(message: "GraphQLSwift threw \(error)")])
            }
            let referenceEffects = shop.snapshot
            let engine = await runEngine(document, run.operationName, run.variables, shop: shop, plans: plans)
            var verdict = ResponseComparator().compare(reference: reference, engine: engine)
            // The mutations that ran, and in what order, show in the shop afterwards as well.
            if shop.snapshot != referenceEffects {
                let problem = "side effects differ: GraphQLSwift left \(referenceEffects), we left \(shop.snapshot)"
                if case .differ(let problems) = verdict { verdict = .differ(problems + [problem]) } else { verdict = .differ([problem]) }
            }
            outcomes.append(DifferentialOutcome(
                operationName: run.operationName, variables: run.variables, planReused: index > 0, reference: reference, engine: engine,
                verdict: verdict))
        }
        return outcomes
    }
}
