/// Why subgraphs do not compose. Every issue names the subgraphs and the type or field
/// (`Product.stock`) involved, so that the owner of a subgraph can fix it without the router.
public struct CompositionError: Error, Sendable, CustomStringConvertible {
    public struct Issue: Sendable, Hashable, CustomStringConvertible {
        public enum Code: String, Sendable, Hashable {
            case invalidSDL = "INVALID_SDL"
            case invalidLink = "INVALID_LINK"
            case fieldTypeMismatch = "FIELD_TYPE_MISMATCH"
            case invalidFieldSharing = "INVALID_FIELD_SHARING"
            case keyInvalidFields = "KEY_INVALID_FIELDS"
            case requiresInvalidFields = "REQUIRES_INVALID_FIELDS"
            case providesInvalidFields = "PROVIDES_INVALID_FIELDS"
            case entityNotResolvable = "ENTITY_NOT_RESOLVABLE"
            case externalMissingOnBase = "EXTERNAL_MISSING_ON_BASE"
            case satisfiability = "SATISFIABILITY_ERROR"
            case typeKindMismatch = "TYPE_KIND_MISMATCH"
            case referencedInaccessible = "REFERENCED_INACCESSIBLE"
            case noQueryRoot = "NO_QUERIES"
            case invalidAPISchema = "INVALID_API_SCHEMA"
            case duplicateSubgraph = "DUPLICATE_SUBGRAPH"
        }

        public let code: Code
        public let message: String
        /// The subgraphs involved, in composition order.
        public let subgraphs: [String]
        /// `Type` or `Type.field` when the issue is about one.
        public let coordinate: String?

        public var description: String { "[\(code.rawValue)] \(message)" }
    }

    public let issues: [Issue]

    public init(issues: [Issue]) {
        self.issues = issues
    }

    init(_ code: Issue.Code, _ message: String, subgraphs: [String], coordinate: String? = nil) {
        self.issues = [Issue(code: code, message: message, subgraphs: subgraphs, coordinate: coordinate)]
    }

    public var description: String {
        "composition failed:\n" + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}
