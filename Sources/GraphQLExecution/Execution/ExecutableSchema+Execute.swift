public import GraphQL
import Synchronization

extension ExecutableSchema {
    /// Executes one operation of a document already validated against ``schema``.
    ///
    /// - Parameters:
    ///   - plans: where this document's compiled plans are kept (with the document in a cache);
    ///     without it the operation is compiled for this call only.
    public func execute(
        document: Document, operationName: String?, variables inputs: [String: Map], context: Context, plans: PlanStore? = nil
    ) async -> ExecutionResult {
        guard let operation = Self.operation(in: document, named: operationName) else {
            let message = operationName.map { "Unknown operation named \"\($0)\"." } ?? "Must provide operation name if query contains multiple operations."
            return .requestError(GraphQLError(message: message))
        }
        let variables: [String: Map]
        switch InputCoercion.variableValues(operation.variableDefinitions, inputs: inputs, schema: schema, plans: plans) {
        case .success(let coerced): variables = coerced
        case .failure(let error): return .requestError(error)
        }
        let key = PlanStore.Key(
            operationName: operationName,
            conditions: (plans?.conditionVariables(of: document) ?? []).map { variables[$0]?.bool ?? false })
        let plan: OperationPlan
        if let cached = plans?.plan(key) {
            plan = cached
        } else {
            var compiler = PlanCompiler(schema: runtime, document: document, variables: variables)
            do {
                plan = try compiler.compile(operation)
            } catch let error as GraphQLError {
                return .requestError(error)
            } catch {
                return .requestError(GraphQLError(message: String(describing: error)))
            }
            plans?.store(plan, for: key)
        }
        var execution = Execution(schema: runtime, plan: plan, context: ContextBox(context), variables: variables)
        return await execution.run(plan)
    }

    static func operation(in document: Document, named name: String?) -> OperationDefinition? {
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        if let name { return operations.first { $0.name?.value == name } }
        return operations.count == 1 ? operations[0] : nil
    }
}

extension PlanStore {
    /// The variables that `@skip(if:)` / `@include(if:)` read anywhere in the document, sorted:
    /// their values pick the plan.
    func conditionVariables(of document: Document) -> [String] {
        if let known = conditions.withLock({ $0 }) { return known }
        var names = Set<String>()
        for definition in document.definitions {
            switch definition {
            case let operation as OperationDefinition: Self.collectConditions(operation.selectionSet, into: &names)
            case let fragment as FragmentDefinition: Self.collectConditions(fragment.selectionSet, into: &names)
            default: continue
            }
        }
        let sorted = names.sorted()
        conditions.withLock { $0 = sorted }
        return sorted
    }

    private static func collectConditions(_ selectionSet: SelectionSet, into names: inout Set<String>) {
        for selection in selectionSet.selections {
            let directives: [Directive]
            switch selection {
            case let field as Field:
                directives = field.directives
                if let inner = field.selectionSet { collectConditions(inner, into: &names) }
            case let spread as FragmentSpread:
                directives = spread.directives
            case let inline as InlineFragment:
                directives = inline.directives
                collectConditions(inline.selectionSet, into: &names)
            default:
                continue
            }
            for directive in directives where directive.name.value == "skip" || directive.name.value == "include" {
                for argument in directive.arguments {
                    if let variable = argument.value as? Variable { names.insert(variable.name.value) }
                }
            }
        }
    }
}
