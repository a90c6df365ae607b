/// The selection set one fetch sends to one subgraph. Fields with the same response key,
/// arguments and conditions merge, so key fields the planner adds never duplicate the client's.
public struct SubgraphSelectionSet: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var alias: String?
        public var name: String
        public var arguments: String
        public var conditions: [SelectionCondition]
        public var variables: [String]
        public var selections: SubgraphSelectionSet?

        public var responseKey: String { alias ?? name }
    }

    public struct Fragment: Sendable, Hashable {
        public var typeCondition: String
        public var conditions: [SelectionCondition]
        public var selections: SubgraphSelectionSet
    }

    public enum Item: Sendable, Hashable {
        case field(Field)
        case fragment(Fragment)
    }

    public private(set) var items: [Item] = []

    public init() {}

    public var isEmpty: Bool { items.isEmpty }

    mutating func add(_ field: Field) {
        for index in items.indices {
            guard case .field(var existing) = items[index],
                  existing.responseKey == field.responseKey, existing.name == field.name,
                  existing.arguments == field.arguments, existing.conditions == field.conditions else { continue }
            if let incoming = field.selections {
                var merged = existing.selections ?? SubgraphSelectionSet()
                merged.merge(incoming)
                existing.selections = merged
            }
            items[index] = .field(existing)
            return
        }
        items.append(.field(field))
    }

    mutating func add(_ fragment: Fragment) {
        for index in items.indices {
            guard case .fragment(var existing) = items[index],
                  existing.typeCondition == fragment.typeCondition, existing.conditions == fragment.conditions else { continue }
            existing.selections.merge(fragment.selections)
            items[index] = .fragment(existing)
            return
        }
        items.append(.fragment(fragment))
    }

    mutating func merge(_ other: SubgraphSelectionSet) {
        for item in other.items {
            switch item {
            case .field(let field): add(field)
            case .fragment(let fragment): add(fragment)
            }
        }
    }

    mutating func addTypename() {
        add(Field(alias: nil, name: "__typename", arguments: "", conditions: [], variables: [], selections: nil))
    }

    /// The conditions every top-level selection carries: when one fails, the set selects
    /// nothing and its fetch can be skipped.
    var sharedConditions: [SelectionCondition] {
        var shared: [SelectionCondition]?
        for item in items {
            let conditions = switch item {
            case .field(let field): field.conditions
            case .fragment(let fragment): fragment.conditions
            }
            shared = shared.map { $0.filter(conditions.contains) } ?? conditions
        }
        return shared ?? []
    }

    /// Every variable the selections use, in first-use order.
    var variables: [String] {
        var result: [String] = []
        collectVariables(into: &result)
        return result
    }

    private func collectVariables(into result: inout [String]) {
        for item in items {
            let (variables, conditions, nested): ([String], [SelectionCondition], SubgraphSelectionSet?) = switch item {
            case .field(let field): (field.variables, field.conditions, field.selections)
            case .fragment(let fragment): ([], fragment.conditions, fragment.selections)
            }
            for variable in variables + conditions.map(\.variable) where !result.contains(variable) {
                result.append(variable)
            }
            nested?.collectVariables(into: &result)
        }
    }
}

extension SubgraphSelectionSet {
    /// `{ a b { c } }` on one line: the text subgraphs receive.
    var compactText: String {
        "{ " + items.map(\.compactText).joined(separator: " ") + " }"
    }

    /// The selections one per line, for plan descriptions.
    func prettyLines() -> [String] {
        var lines = ["{"]
        for item in items {
            switch item {
            case .field(let field):
                let head = "\(field.alias.map { "\($0): " } ?? "")\(field.name)\(field.arguments)\(field.conditions.text)"
                if let selections = field.selections {
                    let inner = selections.prettyLines()
                    lines.append("  " + head + " " + inner[0])
                    lines.append(contentsOf: inner.dropFirst().map { "  " + $0 })
                } else {
                    lines.append("  " + head)
                }
            case .fragment(let fragment):
                let inner = fragment.selections.prettyLines()
                lines.append("  ... on \(fragment.typeCondition)\(fragment.conditions.text) " + inner[0])
                lines.append(contentsOf: inner.dropFirst().map { "  " + $0 })
            }
        }
        lines.append("}")
        return lines
    }
}

extension SubgraphSelectionSet.Item {
    var compactText: String {
        switch self {
        case .field(let field):
            let head = "\(field.alias.map { "\($0): " } ?? "")\(field.name)\(field.arguments)\(field.conditions.text)"
            return field.selections.map { "\(head) \($0.compactText)" } ?? head
        case .fragment(let fragment):
            return "... on \(fragment.typeCondition)\(fragment.conditions.text) \(fragment.selections.compactText)"
        }
    }
}
