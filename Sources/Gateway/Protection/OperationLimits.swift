import GraphQL

/// Bounds on what one operation may ask for, checked before any subgraph is called. nil turns
/// a limit off. The request body size is bounded by the HTTP layer
/// (`GraphQLRequest.maximumBodyBytes`).
public struct OperationLimits: Sendable {
    /// Field nesting, root fields at depth 1.
    public var maxDepth: Int?
    /// Aliased fields, counted after fragments are inlined (a fragment used twice counts twice).
    public var maxAliases: Int?
    public var maxRootFields: Int?
    /// See `OperationMeasurement.cost`.
    public var maxCost: Int?
    /// The size assumed for a list whose field has no `first`/`last`/`limit` argument.
    public var defaultListSize: Int

    public init(maxDepth: Int? = 15, maxAliases: Int? = 30, maxRootFields: Int? = 20, maxCost: Int? = 50_000, defaultListSize: Int = 10) {
        self.maxDepth = maxDepth
        self.maxAliases = maxAliases
        self.maxRootFields = maxRootFields
        self.maxCost = maxCost
        self.defaultListSize = defaultListSize
    }

    /// The first limit the operation exceeds, as a GraphQL error with its code.
    func violation(of measurement: OperationMeasurement) -> GraphQLError? {
        if let maxDepth, measurement.depth > maxDepth {
            return error("the operation is nested \(measurement.depth) levels deep; at most \(maxDepth) are allowed", GatewayErrorCode.queryTooDeep)
        }
        if let maxAliases, measurement.aliases > maxAliases {
            return error("the operation uses \(measurement.aliases) aliases; at most \(maxAliases) are allowed", GatewayErrorCode.tooManyAliases)
        }
        if let maxRootFields, measurement.rootFields > maxRootFields {
            return error("the operation selects \(measurement.rootFields) root fields; at most \(maxRootFields) are allowed", GatewayErrorCode.tooManyRootFields)
        }
        if let maxCost, measurement.cost > maxCost {
            return error("the operation's estimated cost is \(measurement.cost); at most \(maxCost) is allowed", GatewayErrorCode.queryTooCostly)
        }
        return nil
    }

    private func error(_ message: String, _ code: String) -> GraphQLError {
        GraphQLError(message: message, extensions: ["code": .string(code)])
    }
}

/// What the limits look at, measured on the normalized operation with the request's variables.
public struct OperationMeasurement: Sendable, Equatable {
    public var depth = 0
    public var aliases = 0
    public var rootFields = 0
    /// Every field costs 1, times the sizes of the lists it is inside. A list's size is its
    /// `first`/`last`/`limit` argument; a connection (a non-list field with such an argument)
    /// passes its size to the lists inside it (`edges`, `nodes`); other lists count as
    /// `defaultListSize`.
    public var cost = 0

    init(_ operation: NormalizedOperation, variables: [String: Map], defaultListSize: Int) {
        var walker = Walker(variables: variables, defaultListSize: defaultListSize)
        rootFields = PlanBuilder.rootFields(operation.selections, inherited: []).filter { $0.name != "__typename" }.count
        cost = walker.cost(operation.selections, depth: 1, inheritedSize: nil)
        depth = walker.depth
        aliases = walker.aliases
    }

    private struct Walker {
        let variables: [String: Map]
        let defaultListSize: Int
        var depth = 0
        var aliases = 0

        mutating func cost(_ selections: [NormalizedSelection], depth level: Int, inheritedSize: Int?) -> Int {
            var total = 0
            for selection in selections {
                switch selection {
                case .fragment(let fragment):
                    total += cost(fragment.selections, depth: level, inheritedSize: inheritedSize)
                case .field(let field):
                    depth = max(depth, level)
                    if field.alias != nil { aliases += 1 }
                    let size = field.listSize.flatMap(resolve)
                    let factor = field.type.isList ? (size ?? inheritedSize ?? defaultListSize) : 1
                    let passed = field.type.isList ? nil : size
                    let inner = cost(field.selections, depth: level + 1, inheritedSize: passed)
                    total += 1 + factor.multipliedReportingOverflow(by: inner).partialValue
                }
            }
            return total
        }

        func resolve(_ size: NormalizedField.ListSize) -> Int? {
            switch size {
            case .literal(let value): max(0, value)
            case .variable(let name): variables[name]?.int.map { max(0, $0) }
            }
        }
    }
}
