import GraphQL
import OrderedCollections

/// How the gateway answers one operation: which subgraphs to ask what, in which order.
public struct QueryPlan: Sendable, CustomStringConvertible {
    /// The client operation the plan answers; the executor shapes the response from it.
    public let operation: NormalizedOperation
    /// nil when nothing needs fetching (only `__typename` or introspection).
    public let root: PlanNode?
    /// The plan's one fetch when it asks exactly what the client asked (`VerbatimFetch`).
    let verbatimFetch: FetchNode?
    /// What shaping responses to this operation learned, shared by its requests.
    let shapes = ShapeCache()

    init(operation: NormalizedOperation, root: PlanNode?, verbatimFetch: FetchNode? = nil) {
        self.operation = operation
        self.root = root
        self.verbatimFetch = verbatimFetch
    }

    public var description: String {
        guard let root else { return "QueryPlan {\n}" }
        return (["QueryPlan {"] + root.lines().map { "  " + $0 } + ["}"]).joined(separator: "\n")
    }
}

public indirect enum PlanNode: Sendable, Hashable {
    /// Children one after the other: later ones read what earlier ones fetched.
    case sequence([PlanNode])
    /// Children at the same time: they read and write disjoint parts of the response.
    case parallel([PlanNode])
    /// A fetch whose result merges at the response root.
    case fetch(FetchNode)
    /// An entity fetch: representations come from every object at `path` (`@` steps into
    /// lists), results merge back into those objects.
    case flatten(path: [String], FetchNode)

    /// The fetches in execution order (depth first), for tests and metrics.
    public var fetches: [FetchNode] {
        switch self {
        case .sequence(let nodes), .parallel(let nodes): nodes.flatMap(\.fetches)
        case .fetch(let fetch), .flatten(_, let fetch): [fetch]
        }
    }
}

/// A field of an entity representation and where to read it in the parent object.
public struct RepresentationField: Sendable, Hashable {
    public var name: String
    /// The key in the fetched parent object (differs from `name` when the planner had to alias).
    public var responseKey: String
    public var children: [RepresentationField]
}

/// One request to one subgraph.
public struct FetchNode: Sendable, Hashable {
    public let subgraph: String
    public let operationKind: OperationType
    public let operationName: String?
    /// The operation text sent to the subgraph.
    public let operation: String
    /// Client variables the operation uses (forwarded with the client's values).
    public let variableUsages: [String]
    /// `@skip`/`@include` conditions all of the fetch's selections share: when one fails for a
    /// request, the fetch is skipped.
    public let conditions: [SelectionCondition]
    /// For `_entities` fetches, per entity type the fields each representation carries
    /// (`__typename`, the key, `@requires` fields). Empty for root fetches.
    public let requires: OrderedDictionary<String, [RepresentationField]>
    /// Runtime type → `__typename` to send, for subgraphs that resolve an interface's
    /// implementations as an `@interfaceObject`.
    public let representationTypenames: [String: String]
    let selections: SubgraphSelectionSet
    let entitySelections: OrderedDictionary<String, SubgraphSelectionSet>

    public var isEntityFetch: Bool { !requires.isEmpty }
}

extension PlanNode {
    func lines() -> [String] {
        switch self {
        case .sequence(let nodes): return block("Sequence", nodes)
        case .parallel(let nodes): return block("Parallel", nodes)
        case .fetch(let fetch): return fetch.lines()
        case .flatten(let path, let fetch):
            return ["Flatten(path: \"\(path.joined(separator: "."))\") {"] + fetch.lines().map { "  " + $0 } + ["},"]
        }
    }

    private func block(_ name: String, _ nodes: [PlanNode]) -> [String] {
        ["\(name) {"] + nodes.flatMap { $0.lines() }.map { "  " + $0 } + ["},"]
    }
}

extension FetchNode {
    func lines() -> [String] {
        var body: [String]
        if isEntityFetch {
            var representation = ["{"]
            for (type, fields) in requires {
                let sent = representationTypenames[type].map { " (as \($0))" } ?? ""
                representation.append("  ... on \(type)\(sent) {")
                representation.append(contentsOf: Self.lines(fields).map { "    " + $0 })
                representation.append("  }")
            }
            representation.append("} =>")
            var selection = SubgraphSelectionSet()
            for (type, selections) in entitySelections {
                selection.add(SubgraphSelectionSet.Fragment(typeCondition: type, conditions: [], selections: selections))
            }
            body = representation + selection.prettyLines()
        } else {
            body = selections.prettyLines()
        }
        let kind = operationKind == .mutation ? ", kind: mutation" : ""
        let condition = conditions.isEmpty ? "" : ", if: \"\(conditions.map(\.description).joined(separator: " "))\""
        return ["Fetch(service: \"\(subgraph)\"\(kind)\(condition)) {"] + body.map { "  " + $0 } + ["},"]
    }

    private static func lines(_ fields: [RepresentationField]) -> [String] {
        fields.flatMap { field -> [String] in
            let head = field.responseKey == field.name ? field.name : "\(field.responseKey): \(field.name)"
            guard !field.children.isEmpty else { return [head] }
            return ["\(head) {"] + lines(field.children).map { "  " + $0 } + ["}"]
        }
    }
}
