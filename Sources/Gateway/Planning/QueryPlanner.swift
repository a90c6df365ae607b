import GraphQL
import OrderedCollections

/// Plans operations against a supergraph, remembering plans for repeated operations.
///
/// Thread-safe: planning itself is pure; only the cache is shared.
public final class QueryPlanner: Sendable {
    public let supergraph: Supergraph
    private let cache: PlanCache

    public init(supergraph: Supergraph, cacheCapacity: Int = 1000) {
        self.supergraph = supergraph
        self.cache = PlanCache(capacity: cacheCapacity)
    }

    /// The plan for an operation of a (validated) document. Identical operations, however they
    /// are spaced or commented, get the same cached plan.
    public func plan(document: Document, operationName: String? = nil) throws(PlanningError) -> QueryPlan {
        let key = (operationName ?? "") + "\u{0}" + print(ast: document)
        if let cached = cache.plan(for: key) { return cached }
        let operation = try OperationNormalizer.normalize(document, operationName: operationName, supergraph: supergraph)
        let plan = try Self.plan(operation, supergraph: supergraph)
        cache.store(plan, for: key)
        return plan
    }

    /// Parses and plans, for tools (`emporium plan`) and tests. The exact text is cached too, so
    /// a repeated query skips parsing.
    public func plan(query: String, operationName: String? = nil) throws -> QueryPlan {
        let textKey = Self.textKey(query, operationName)
        if let cached = cache.plan(for: textKey) { return cached }
        return try plan(document: parse(source: query), operationName: operationName, storingAt: textKey)
    }

    /// Plans a document whose source text the caller has: a repeat of that exact text is found
    /// without printing the document.
    func plan(document: Document, operationName: String?, text: String) throws(PlanningError) -> QueryPlan {
        let textKey = Self.textKey(text, operationName)
        if let cached = cache.plan(for: textKey) { return cached }
        return try plan(document: document, operationName: operationName, storingAt: textKey)
    }

    private func plan(document: Document, operationName: String?, storingAt textKey: String) throws(PlanningError) -> QueryPlan {
        let plan = try plan(document: document, operationName: operationName)
        cache.store(plan, for: textKey)
        return plan
    }

    private static func textKey(_ text: String, _ operationName: String?) -> String {
        "text\u{0}" + (operationName ?? "") + "\u{0}" + text
    }

    /// Cache hits, misses and entries, for metrics and tests.
    public var cacheStatistics: (hits: Int, misses: Int, count: Int) { cache.statistics }

    static func plan(_ operation: NormalizedOperation, supergraph: Supergraph) throws(PlanningError) -> QueryPlan {
        var builder = PlanBuilder(supergraph: supergraph, operation: operation)
        try builder.build()
        var assembler = PlanAssembler(operation: operation)
        let nodes = builder.roots.map { assembler.node(for: $0) }
        let root: PlanNode? = switch nodes.count {
        case 0: nil
        case 1: nodes[0]
        default: operation.kind == .mutation ? .sequence(nodes.flatMap(\.sequenceSteps)) : .parallel(nodes)
        }
        return QueryPlan(operation: operation, root: root, verbatimFetch: VerbatimFetch.fetch(of: root, for: operation, in: supergraph))
    }
}

/// Turns fetch groups into plan nodes and writes each group's subgraph operation.
struct PlanAssembler {
    let operation: NormalizedOperation
    private var fetchCount = 0

    init(operation: NormalizedOperation) {
        self.operation = operation
    }

    mutating func node(for group: FetchGroup) -> PlanNode {
        let fetch = fetchNode(for: group)
        let own: PlanNode = group.isEntityFetch ? .flatten(path: group.mergePath, fetch) : .fetch(fetch)
        var steps = [own]
        // Children run in waves: a group whose `@requires` another child fetches waits for it.
        for wave in Self.waves(group.children) {
            let nodes = wave.map { node(for: $0) }
            if nodes.count == 1 {
                // A nested sequence reads the same as its steps spliced in.
                steps.append(contentsOf: nodes[0].sequenceSteps)
            } else {
                steps.append(.parallel(nodes))
            }
        }
        return steps.count == 1 ? own : .sequence(steps)
    }

    static func waves(_ groups: [FetchGroup]) -> [[FetchGroup]] {
        var remaining = groups
        var done: [FetchGroup] = []
        var result: [[FetchGroup]] = []
        while !remaining.isEmpty {
            var ready = remaining.filter { group in group.dependencies.allSatisfy { dependency in done.contains { $0 === dependency } || !groups.contains { $0 === dependency } } }
            // Dependencies never form a cycle (a group depends only on groups created for it);
            // should one appear, run the rest rather than loop.
            if ready.isEmpty { ready = remaining }
            result.append(ready)
            done.append(contentsOf: ready)
            remaining.removeAll { group in ready.contains { $0 === group } }
        }
        return result
    }

    private mutating func fetchNode(for group: FetchGroup) -> FetchNode {
        let name = operation.name.map { "\($0)__\(group.subgraph)__\(fetchCount)" }
        fetchCount += 1
        let kind: OperationType = group.isEntityFetch ? .query : operation.kind
        var usages = group.selections.variables
        for selections in group.entitySelections.values {
            for variable in selections.variables where !usages.contains(variable) { usages.append(variable) }
        }
        var declarations = group.isEntityFetch ? ["$representations: [_Any!]!"] : []
        for usage in usages {
            let definition = operation.variables.first { $0.name == usage }
            let type = definition?.type.description ?? "String"
            let defaultValue = definition?.defaultValueSource.map { " = \($0)" } ?? ""
            declarations.append("$\(usage): \(type)\(defaultValue)")
        }
        let header = ([kind.rawValue] + (name.map { [$0] } ?? [])).joined(separator: " ")
            + (declarations.isEmpty ? "" : "(\(declarations.joined(separator: ", ")))")
        let body: String
        if group.isEntityFetch {
            let fragments = group.entitySelections.map { "... on \($0.key) \($0.value.compactText)" }.joined(separator: " ")
            body = "{ _entities(representations: $representations) { \(fragments) } }"
        } else {
            body = group.selections.compactText
        }
        var conditions = group.selections.sharedConditions
        if group.isEntityFetch {
            var all = SubgraphSelectionSet()
            for selections in group.entitySelections.values { all.merge(selections) }
            conditions = all.sharedConditions
        }
        return FetchNode(
            subgraph: group.subgraph, operationKind: kind, operationName: name, operation: "\(header) \(body)",
            variableUsages: usages, conditions: conditions, requires: group.requires,
            representationTypenames: group.representationTypenames, selections: group.selections,
            entitySelections: group.entitySelections
        )
    }
}

extension PlanNode {
    var sequenceSteps: [PlanNode] {
        if case .sequence(let steps) = self { return steps }
        return [self]
    }
}
