import EmporiumCore
import GraphQL

/// How big a document's operations are once their fragments are expanded, measured without
/// expanding them.
///
/// A fragment that spreads another twice, thirty levels deep, is a few hundred bytes of text
/// and 2^30 fields once inlined: anything that inlines fragments (validation's field merging,
/// normalization, planning) would spend minutes on it. Here each fragment is measured once and
/// its figures reused wherever it is spread, so the cost is linear in the text, and the sums
/// saturate instead of overflowing. Introspection fields count like any other, so a 60-level
/// `ofType { ofType { … } }` is as deep as it looks.
public struct DocumentShape: Sendable, Equatable {
    /// Fields (`__typename` included) after every fragment spread is inlined.
    public var fields = 0
    /// Field nesting: root fields are at depth 1.
    public var depth = 0
    /// Aliased fields after inlining.
    public var aliases = 0

    public init(fields: Int = 0, depth: Int = 0, aliases: Int = 0) {
        self.fields = fields
        self.depth = depth
        self.aliases = aliases
    }

    /// The largest figures of any operation in `document` (only one runs, but which one is
    /// chosen later; measuring all keeps this independent of `operationName`). A fragment that
    /// spreads itself counts once (validation refuses the cycle afterwards).
    public init(_ document: Document) {
        var measurer = Measurer(document)
        for case let operation as OperationDefinition in document.definitions {
            let shape = measurer.measure(operation.selectionSet)
            fields = max(fields, shape.fields)
            depth = max(depth, shape.depth)
            aliases = max(aliases, shape.aliases)
        }
    }

    private struct Measurer {
        let fragments: [String: FragmentDefinition]
        var measured: [String: DocumentShape] = [:]
        var inProgress: Set<String> = []

        init(_ document: Document) {
            var fragments: [String: FragmentDefinition] = [:]
            for case let fragment as FragmentDefinition in document.definitions { fragments[fragment.name.value] = fragment }
            self.fragments = fragments
        }

        /// The selection set's own figures: `depth` counts levels below its parent.
        mutating func measure(_ selectionSet: SelectionSet) -> DocumentShape {
            var shape = DocumentShape()
            for selection in selectionSet.selections {
                switch selection {
                case let field as Field:
                    let inner = field.selectionSet.map { measure($0) } ?? DocumentShape()
                    shape.fields = shape.fields.addingSaturated(1).addingSaturated(inner.fields)
                    shape.aliases = shape.aliases.addingSaturated(field.alias == nil ? 0 : 1).addingSaturated(inner.aliases)
                    shape.depth = max(shape.depth, inner.depth.addingSaturated(1))
                case let inline as InlineFragment:
                    shape.add(measure(inline.selectionSet))
                case let spread as FragmentSpread:
                    shape.add(measure(fragmentNamed: spread.name.value))
                default:
                    continue
                }
            }
            return shape
        }

        mutating func measure(fragmentNamed name: String) -> DocumentShape {
            if let known = measured[name] { return known }
            guard let fragment = fragments[name], !inProgress.contains(name) else { return DocumentShape() }
            inProgress.insert(name)
            let shape = measure(fragment.selectionSet)
            inProgress.remove(name)
            measured[name] = shape
            return shape
        }
    }

    private mutating func add(_ other: DocumentShape) {
        fields = fields.addingSaturated(other.fields)
        aliases = aliases.addingSaturated(other.aliases)
        depth = max(depth, other.depth)
    }
}
