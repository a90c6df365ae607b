import EmporiumCore
import GraphQL
import GraphQLSupport

/// Bounds on what one operation may ask for. nil turns a limit off. The request body size is
/// bounded by the HTTP layer (`GraphQLRequest.maximumBodyBytes`) and the query text by
/// `textBounds` before parsing. Depth, aliases and fields are measured on the parsed document
/// (`DocumentShape`) before validation or planning, which would expand fragments; root fields
/// and cost need the schema and the variables and are checked after planning, before any
/// subgraph is called.
public struct OperationLimits: Sendable {
    /// Field nesting, root fields at depth 1, introspection fields included.
    public var maxDepth: Int?
    /// Aliased fields, counted after fragments are inlined (a fragment used twice counts twice).
    public var maxAliases: Int?
    /// Fields after fragments are inlined: the operation's size as a server would execute it.
    public var maxFields: Int?
    public var maxRootFields: Int?
    /// See `OperationMeasurement.cost`.
    public var maxCost: Int?
    /// The size assumed for a list whose field has no `first`/`last`/`limit` argument.
    public var defaultListSize: Int

    /// Tokens and bracket nesting of the query text.
    public var textBounds: QueryTextBounds

    public init(
        maxDepth: Int? = 15, maxAliases: Int? = 30, maxFields: Int? = 2_000, maxRootFields: Int? = 20, maxCost: Int? = 50_000,
        defaultListSize: Int = 10, textBounds: QueryTextBounds = QueryTextBounds()
    ) {
        self.maxDepth = maxDepth
        self.maxAliases = maxAliases
        self.maxFields = maxFields
        self.textBounds = textBounds
        self.maxRootFields = maxRootFields
        self.maxCost = maxCost
        self.defaultListSize = defaultListSize
    }

    /// Room for `count` copies of an operation within these limits side by side: every count
    /// limit multiplied (saturating), depth and nesting unchanged.
    public func scaled(by count: Int) -> OperationLimits {
        func times(_ limit: Int?) -> Int? { limit.map { $0.multipliedReportingOverflow(by: count).overflow ? .max : $0 * count } }
        var scaled = self
        // A copy of an operation that had no alias carries one (its root field's), so aliases
        // get room for one more per copy.
        scaled.maxAliases = maxAliases.map { times($0 < .max ? $0 + 1 : $0) ?? $0 }
        scaled.maxFields = times(maxFields)
        scaled.maxRootFields = times(maxRootFields)
        scaled.maxCost = times(maxCost)
        scaled.textBounds.maximumTokens = times(textBounds.maximumTokens) ?? textBounds.maximumTokens
        return scaled
    }

    /// The limits checked on the document before validation (`OperationPreparation`).
    public var document: DocumentLimits {
        DocumentLimits(textBounds: textBounds, maxDepth: maxDepth, maxAliases: maxAliases, maxFields: maxFields)
    }

    /// The first limit the planned operation exceeds, as a GraphQL error with its code.
    func violation(of measurement: OperationMeasurement) -> GraphQLError? {
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

/// What the limits look at after planning, measured on the normalized operation with the
/// request's variables.
public struct OperationMeasurement: Sendable, Equatable {
    public var rootFields = 0
    /// Every field costs 1, times the sizes of the lists it is inside. A list's size is its
    /// `first`/`last`/`limit` argument; a connection (a non-list field with such an argument)
    /// passes its size to the lists inside it (`edges`, `nodes`); other lists count as
    /// `defaultListSize`. Saturates at `Int.max`: a page size of two billion inside another is
    /// "too costly", not an overflow.
    public var cost = 0

    init(_ operation: NormalizedOperation, variables: [String: Map], defaultListSize: Int) {
        let walker = Walker(variables: variables, defaultListSize: defaultListSize)
        rootFields = PlanBuilder.rootFields(operation.selections, inherited: []).filter { $0.name != "__typename" }.count
        cost = walker.cost(operation.selections, inheritedSize: nil)
    }

    private struct Walker {
        let variables: [String: Map]
        let defaultListSize: Int

        func cost(_ selections: [NormalizedSelection], inheritedSize: Int?) -> Int {
            var total = 0
            for selection in selections {
                switch selection {
                case .fragment(let fragment):
                    total = total.addingSaturated(cost(fragment.selections, inheritedSize: inheritedSize))
                case .field(let field):
                    let size = field.listSize.flatMap(resolve)
                    let factor = field.type.isList ? (size ?? inheritedSize ?? defaultListSize) : 1
                    let passed = field.type.isList ? nil : size
                    let inner = cost(field.selections, inheritedSize: passed)
                    total = total.addingSaturated(1.addingSaturated(factor.multipliedSaturated(by: inner)))
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
