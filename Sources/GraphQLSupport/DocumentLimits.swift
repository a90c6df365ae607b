import GraphQL

/// Bounds on a document, checked before validation (which inlines fragments) runs: the text
/// before the recursive parser, then the shape measured on the parsed document. nil turns a
/// limit off.
public struct DocumentLimits: Sendable {
    /// Tokens and bracket nesting of the query text.
    public var textBounds: QueryTextBounds
    /// Field nesting, root fields at depth 1, introspection fields included.
    public var maxDepth: Int?
    /// Aliased fields, counted after fragments are inlined (a fragment used twice counts twice).
    public var maxAliases: Int?
    /// Fields after fragments are inlined: the operation's size as a server would execute it.
    public var maxFields: Int?

    public init(textBounds: QueryTextBounds = QueryTextBounds(), maxDepth: Int? = 15, maxAliases: Int? = 30, maxFields: Int? = 2_000) {
        self.textBounds = textBounds
        self.maxDepth = maxDepth
        self.maxAliases = maxAliases
        self.maxFields = maxFields
    }

    /// Subgraph endpoints: their callers (the gateway) already applied the client's limits, and
    /// the operations the planner writes nest an entity fetch a level or two deeper.
    public static let subgraph = DocumentLimits(maxDepth: 40, maxAliases: nil, maxFields: 10_000)

    public enum Code {
        public static let queryTooDeep = "QUERY_TOO_DEEP"
        public static let tooManyAliases = "TOO_MANY_ALIASES"
        /// Too many fields once fragments are inlined (a fragment bomb, or just a huge operation).
        public static let queryTooComplex = "QUERY_TOO_COMPLEX"
    }

    /// The first limit the document's shape exceeds, as a GraphQL error with its code.
    public func violation(of shape: DocumentShape) -> GraphQLError? {
        if let maxDepth, shape.depth > maxDepth {
            return error("the operation is nested \(shape.depth) levels deep; at most \(maxDepth) are allowed", Code.queryTooDeep)
        }
        if let maxAliases, shape.aliases > maxAliases {
            return error("the operation uses \(shape.aliases) aliases; at most \(maxAliases) are allowed", Code.tooManyAliases)
        }
        if let maxFields, shape.fields > maxFields {
            let count = shape.fields == .max ? "more than \(Int.max)" : "\(shape.fields)"
            return error("the operation selects \(count) fields once its fragments are inlined; at most \(maxFields) are allowed", Code.queryTooComplex)
        }
        return nil
    }

    private func error(_ message: String, _ code: String) -> GraphQLError {
        GraphQLError(message: message, extensions: ["code": .string(code)])
    }
}
