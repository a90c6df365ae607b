import GraphQL

/// A client operation with fragments inlined, constant `@skip`/`@include` applied and each field
/// typed against the supergraph: what the planner plans and the shaper walks. Plain values, so
/// a cached plan can carry it across requests.
public struct NormalizedOperation: Sendable, Hashable {
    public struct VariableDefinition: Sendable, Hashable {
        public var name: String
        /// The type as written (`[ID!]!`), used to declare the variable in subgraph operations.
        public var type: TypeReference
        public var defaultValue: Map?
        /// The default as GraphQL source (`= {q: "a"}` without the `=`), repeated in subgraph
        /// operations: a nullable variable with a default may fill a non-null argument (spec,
        /// "All Variable Usages Are Allowed"), and the subgraph validates that on its own.
        public var defaultValueSource: String?
    }

    public var kind: OperationType
    public var name: String?
    public var rootType: String
    public var variables: [VariableDefinition]
    public var selections: [NormalizedSelection]
}

/// A `@skip(if: $x)` or `@include(if: $x)` whose value is only known per request.
public struct SelectionCondition: Sendable, Hashable, CustomStringConvertible {
    public var variable: String
    /// true for `@include`, false for `@skip`.
    public var passesWhen: Bool

    public var description: String {
        passesWhen ? "@include(if: $\(variable))" : "@skip(if: $\(variable))"
    }

    func passes(_ variables: [String: Map]) -> Bool {
        (variables[variable]?.bool ?? false) == passesWhen
    }
}

public struct NormalizedField: Sendable, Hashable {
    public var alias: String?
    public var name: String
    /// Arguments as GraphQL source, `(id: $id, first: 10)`, or empty.
    public var arguments: String
    /// Variables the arguments use.
    public var argumentVariables: [String]
    public var conditions: [SelectionCondition]
    /// The field's type in the supergraph (`String!` for `__typename`).
    public var type: TypeReference
    public var selections: [NormalizedSelection]
    /// A page size from `first`/`last`/`limit`, literal or variable, for cost estimates.
    public var listSize: ListSize?

    public var responseKey: String { alias ?? name }

    public enum ListSize: Sendable, Hashable {
        case literal(Int)
        case variable(String)
    }
}

public struct NormalizedFragment: Sendable, Hashable {
    public var typeCondition: String
    public var conditions: [SelectionCondition]
    public var selections: [NormalizedSelection]
}

public indirect enum NormalizedSelection: Sendable, Hashable {
    case field(NormalizedField)
    case fragment(NormalizedFragment)
}

extension Array where Element == SelectionCondition {
    func pass(_ variables: [String: Map]) -> Bool {
        allSatisfy { $0.passes(variables) }
    }

    var text: String {
        isEmpty ? "" : " " + map(\.description).joined(separator: " ")
    }
}
