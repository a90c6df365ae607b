import GraphQL

/// A federation field set (`"sku organization { id }"`), as used by `@key`, `@requires` and
/// `@provides`: field names with optional sub-selections.
struct FieldSet: Sendable, Hashable {
    struct Node: Sendable, Hashable {
        var name: String
        var children: [Node]
    }

    var nodes: [Node]

    /// Parses the field set as the selection set `{ … }` it is in GraphQL grammar.
    init(parsing text: String) throws {
        let document = try parse(source: Source(body: "{ \(text) }", name: "field set"), noLocation: true)
        guard let operation = document.definitions.first as? OperationDefinition else {
            throw GraphQLError(message: "'\(text)' is not a field set")
        }
        nodes = try Self.nodes(operation.selectionSet)
    }

    init(nodes: [Node]) {
        self.nodes = nodes
    }

    private static func nodes(_ selectionSet: SelectionSet) throws -> [Node] {
        try selectionSet.selections.map { selection in
            guard let field = selection as? Field else {
                throw GraphQLError(message: "fragments are not supported in field sets")
            }
            return Node(name: field.name.value, children: try field.selectionSet.map(nodes) ?? [])
        }
    }

    /// The field set as selection text, `id organization { id }`.
    var text: String {
        nodes.map(\.text).joined(separator: " ")
    }
}

extension FieldSet.Node {
    var text: String {
        children.isEmpty ? name : "\(name) { \(children.map(\.text).joined(separator: " ")) }"
    }
}
