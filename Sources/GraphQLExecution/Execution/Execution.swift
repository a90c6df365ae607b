import GraphQL
import OrderedCollections

/// Runs one operation plan breadth-first: level by level, each field of each selection plan is
/// resolved for all the parent values of that level at once. Synchronous resolvers are plain
/// calls; only batch and async resolvers suspend, once per field per level (the awaits of one
/// level run concurrently for a query). So a page of 20 products with their categories costs one
/// category lookup, and no field ever gets a task of its own.
///
/// One `Execution` per request, used by one task: the tree and the error list need no lock.
struct Execution {
    let schema: SchemaRuntime
    let context: ErasedContext
    let variables: [String: Map]
    let isMutation: Bool
    private(set) var tree: ResultTree
    private(set) var errors: [GraphQLError] = []
    /// Arguments that use variables, coerced at their field's first use in this request.
    private var arguments: [Result<FieldArguments, GraphQLError>?]

    /// The values of one level waiting for one selection plan, with the nodes they fill.
    struct Pending {
        let plan: SelectionPlan
        var sources: [any Sendable] = []
        var nodes: [Int] = []
        /// The fields to resolve (a mutation runs its root fields one at a time).
        var fields: Range<Int>
    }

    typealias Level = OrderedDictionary<ObjectIdentifier, Pending>

    init(schema: SchemaRuntime, plan: OperationPlan, context: ErasedContext, variables: [String: Map]) {
        self.schema = schema
        self.context = context
        self.variables = variables
        isMutation = plan.operation == .mutation
        tree = ResultTree(rootKeys: plan.root.keys)
        arguments = Array(repeating: nil, count: plan.fieldCount)
    }

    mutating func run(_ plan: OperationPlan) async -> ExecutionResult {
        let root = plan.root
        if isMutation {
            // Root mutation fields run one after another, each with its whole subtree (spec 6.3.1).
            for field in root.fields.indices {
                // Once a null reached the root, no answer of a later field can be seen: running
                // it would change data behind the client's back.
                if tree.dataIsNull { break }
                await runLevels(from: Pending(plan: root, sources: [RootValue()], nodes: [0], fields: field..<field + 1))
            }
        } else {
            await runLevels(from: Pending(plan: root, sources: [RootValue()], nodes: [0], fields: root.fields.indices))
        }
        return ExecutionResult(errors: errors, tree: tree)
    }

    private mutating func runLevels(from start: Pending) async {
        var level: Level = [ObjectIdentifier(start.plan): start]
        while !level.isEmpty {
            var next = Level()
            var calls: [AsyncCall] = []
            for pending in level.values {
                resolve(pending, next: &next, calls: &calls)
            }
            if !calls.isEmpty {
                let answers = await Self.perform(calls, context: context)
                for (call, answer) in zip(calls, answers) {
                    let field = call.pending.plan.fields[call.field]
                    switch answer {
                    case .success(let values):
                        for (index, node) in call.pending.nodes.enumerated() {
                            complete(values[index], field.completion, node: node, slot: call.field, field: field, next: &next)
                        }
                    case .failure(let error):
                        for node in call.pending.nodes { fail(error, node: node, slot: call.field, field: field) }
                    }
                }
            }
            level = next
        }
    }

    // MARK: Resolving a level

    private mutating func resolve(_ pending: Pending, next: inout Level, calls: inout [AsyncCall]) {
        for index in pending.fields {
            let field = pending.plan.fields[index]
            switch field.resolution {
            case .typename:
                for node in pending.nodes { tree.set(.string(pending.plan.typeName), at: node, index) }
            case .resolver(let resolution):
                let arguments: FieldArguments
                switch self.arguments(for: field) {
                case .success(let coerced): arguments = coerced
                case .failure(let error):
                    for node in pending.nodes { fail(error, node: node, slot: index, field: field) }
                    continue
                }
                switch resolution {
                case .each(let resolve):
                    for (source, node) in zip(pending.sources, pending.nodes) {
                        do {
                            let value = try resolve(source, arguments, context)
                            complete(value, field.completion, node: node, slot: index, field: field, next: &next)
                        } catch {
                            fail(error, node: node, slot: index, field: field)
                        }
                    }
                case .eachAsync, .batch:
                    calls.append(AsyncCall(pending: pending, field: index, resolution: resolution, arguments: arguments))
                }
            }
        }
    }

    private mutating func arguments(for field: FieldPlan) -> Result<FieldArguments, GraphQLError> {
        switch field.arguments {
        case .fixed(let arguments): return .success(arguments)
        case .invalid(let error): return .failure(error)
        case .withVariables(let definitions, let nodes):
            if let coerced = arguments[field.id] { return coerced }
            let coerced = InputCoercion.argumentValues(definitions, nodes, variables: variables)
            arguments[field.id] = coerced
            return coerced
        }
    }

    // MARK: Awaiting

    /// One suspending resolver call of a level: a batch resolver with all its sources, or an
    /// async one called for each.
    struct AsyncCall: Sendable {
        let pending: Pending
        let field: Int
        let resolution: FieldResolution
        let arguments: FieldArguments
    }

    /// The calls' answers, in order; a batch resolver that answered the wrong number of values
    /// fails as a whole.
    private static func perform(_ calls: [AsyncCall], context: ErasedContext) async -> [Result<[OutputValue], any Error>] {
        if calls.count == 1 { return [await perform(calls[0], context: context)] }
        return await withTaskGroup(of: (Int, Result<[OutputValue], any Error>).self) { group in
            for (index, call) in calls.enumerated() {
                group.addTask { (index, await perform(call, context: context)) }
            }
            var answers = [Result<[OutputValue], any Error>](repeating: .success([]), count: calls.count)
            for await (index, answer) in group { answers[index] = answer }
            return answers
        }
    }

    private static func perform(_ call: AsyncCall, context: ErasedContext) async -> Result<[OutputValue], any Error> {
        let sources = call.pending.sources
        do {
            switch call.resolution {
            case .batch(let resolve):
                let values = try await resolve(sources, call.arguments, context)
                guard values.count == sources.count else {
                    let field = call.pending.plan.fields[call.field]
                    throw GraphQLError(message: "the batch resolver of \(field.parentType).\(field.fieldName) answered \(values.count) values for \(sources.count)")
                }
                return .success(values)
            case .eachAsync(let resolve):
                if sources.count == 1 {
                    do { return .success([try await resolve(sources[0], call.arguments, context)]) } catch { return .success([.failure(error)]) }
                }
                let arguments = call.arguments
                return .success(await withTaskGroup(of: (Int, OutputValue).self) { group in
                    for (index, source) in sources.enumerated() {
                        group.addTask {
                            do { return (index, try await resolve(source, arguments, context)) } catch { return (index, .failure(error)) }
                        }
                    }
                    var values = [OutputValue](repeating: .null, count: sources.count)
                    for await (index, value) in group { values[index] = value }
                    return values
                })
            case .each(let resolve):
                return .success(sources.map { source in
                    do { return try resolve(source, call.arguments, context) } catch { return .failure(error) }
                })
            }
        } catch {
            return .failure(error)
        }
    }

    // MARK: Completing values

    private mutating func complete(
        _ value: OutputValue, _ completion: Completion, node: Int, slot: Int, field: FieldPlan, next: inout Level
    ) {
        if case .failure(let error) = value { return fail(error, node: node, slot: slot, field: field) }
        switch completion {
        case .nonNull(let inner):
            if case .null = value {
                return fail(
                    GraphQLError(message: "Cannot return null for non-nullable field \(field.parentType).\(field.fieldName)."),
                    node: node, slot: slot, field: field)
            }
            complete(value, inner, node: node, slot: slot, field: field, next: &next)
        case _ where isNull(value):
            tree.set(.null, at: node, slot)
        case .list(let itemCompletion):
            guard case .list(let items) = value else {
                return fail(
                    GraphQLError(message: "Expected Iterable, but did not find one for field \(field.parentType).\(field.fieldName)."),
                    node: node, slot: slot, field: field)
            }
            let list = tree.addList(count: items.count, itemsNonNull: itemCompletion.isNonNull, at: node, slot)
            for (index, item) in items.enumerated() {
                complete(item, itemCompletion, node: list, slot: index, field: field, next: &next)
            }
        case .leaf(let kind):
            do {
                tree.set(try LeafSerialization.serialize(value, as: kind), at: node, slot)
            } catch {
                fail(error, node: node, slot: slot, field: field)
            }
        case .object(let plan):
            guard case .object(let source, _) = value else {
                return fail(GraphQLError(message: "Expected an object for field \(field.parentType).\(field.fieldName)."), node: node, slot: slot, field: field)
            }
            enqueue(source, plan, node: node, slot: slot, next: &next)
        case .abstract(let name, let plans):
            guard case .object(let source, let declared) = value else {
                return fail(GraphQLError(message: "Expected an object for field \(field.parentType).\(field.fieldName)."), node: node, slot: slot, field: field)
            }
            guard let typeName = declared ?? schema.typeResolvers[name]?(source) ?? schema.typeNames[ObjectIdentifier(type(of: source))] else {
                return fail(
                    GraphQLError(message: "Abstract type \"\(name)\" must resolve to an Object type at runtime for field \"\(field.parentType).\(field.fieldName)\"."),
                    node: node, slot: slot, field: field)
            }
            guard let plan = plans[typeName] else {
                return fail(
                    GraphQLError(message: "Runtime Object type \"\(typeName)\" is not a possible type for \"\(name)\"."),
                    node: node, slot: slot, field: field)
            }
            enqueue(source, plan, node: node, slot: slot, next: &next)
        }
    }

    private func isNull(_ value: OutputValue) -> Bool {
        if case .null = value { return true }
        return false
    }

    private mutating func enqueue(_ source: any Sendable, _ plan: SelectionPlan, node: Int, slot: Int, next: inout Level) {
        let object = tree.addObject(plan.keys, at: node, slot)
        let key = ObjectIdentifier(plan)
        next[key, default: Pending(plan: plan, fields: plan.fields.indices)].sources.append(source)
        next[key, default: Pending(plan: plan, fields: plan.fields.indices)].nodes.append(object)
    }

    /// A field error: reported with its path and locations, and a null where it happened (moved
    /// up to the nearest nullable position).
    private mutating func fail(_ error: any Error, node: Int, slot: Int, field: FieldPlan) {
        let path = tree.path(to: node, slot)
        if let error = error as? GraphQLError {
            errors.append(GraphQLError(
                message: error.message, nodes: field.nodes, path: path, originalError: error.originalError, extensions: error.extensions))
        } else {
            errors.append(GraphQLError(message: String(describing: error), nodes: field.nodes, path: path, originalError: error))
        }
        tree.propagateNull(from: node, slot)
    }
}
