import GraphQL
import OrderedCollections

/// A flat, comparable description of a schema's types, fields, arguments and nullability.
///
/// Subgraph SDL is written by hand (Graphiti returns it verbatim from `_service { sdl }`), so a
/// test compares the signature of that SDL with the signature of the executable schema: any
/// drift in a type, field, argument or `!` shows up as a line in the difference.
public enum SchemaSignature {
    /// Federation's own additions, which only one side has.
    static let federationNames: Set<String> = ["_Service", "_Any", "_Entity", "_FieldSet", "FieldSet", "link__Import", "link__Purpose"]
    static let federationFields: Set<String> = ["Query._service", "Query._entities"]

    public static func lines(of schema: GraphQLSchema) throws -> Set<String> {
        var lines = Set<String>()
        for (name, type) in schema.typeMap where !name.hasPrefix("__") && !federationNames.contains(name) {
            switch type {
            case let object as GraphQLObjectType:
                for (field, definition) in try object.fields() where !federationFields.contains("\(name).\(field)") {
                    lines.insert("type \(name).\(field): \(definition.type.debugDescription)")
                    for (argument, value) in definition.args {
                        lines.insert("type \(name).\(field)(\(argument): \(value.type.debugDescription))")
                    }
                }
                for interface in try object.interfaces() { lines.insert("type \(name) implements \(interface.name)") }
            case let interface as GraphQLInterfaceType:
                for (field, definition) in try interface.fields() {
                    lines.insert("interface \(name).\(field): \(definition.type.debugDescription)")
                }
            case let input as GraphQLInputObjectType:
                for (field, definition) in try input.fields() {
                    lines.insert("input \(name).\(field): \(definition.type.debugDescription)")
                }
            case let enumeration as GraphQLEnumType:
                for value in enumeration.values { lines.insert("enum \(name).\(value.name)") }
            case let union as GraphQLUnionType:
                for member in try union.types() { lines.insert("union \(name) = \(member.name)") }
            case let scalar as GraphQLScalarType:
                if !["String", "Int", "Float", "Boolean", "ID"].contains(scalar.name) { lines.insert("scalar \(name)") }
            default:
                lines.insert("unknown \(name)")
            }
        }
        return lines
    }

    /// Builds a schema from federation v2 subgraph SDL: drops `extend schema @link(…)` and
    /// declares the federation directives so that the standard SDL builder accepts it.
    public static func schema(fromSubgraphSDL sdl: String) throws -> GraphQLSchema {
        try buildSchema(source: federationPrelude + "\n" + stripSchemaExtension(sdl))
    }

    /// Lines present on one side only, prefixed with `sdl-only` or `schema-only`.
    public static func differences(sdl: String, schema: GraphQLSchema) throws -> [String] {
        let declared = try lines(of: self.schema(fromSubgraphSDL: sdl))
        let actual = try lines(of: schema)
        return (declared.subtracting(actual).map { "sdl-only: \($0)" } + actual.subtracting(declared).map { "schema-only: \($0)" }).sorted()
    }

    static func stripSchemaExtension(_ sdl: String) -> String {
        var output: [Substring] = []
        var skipping = false
        for line in sdl.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("extend schema") { skipping = true }
            if skipping {
                if line.trimmingCharacters(in: .whitespaces).isEmpty { skipping = false }
                continue
            }
            output.append(line)
        }
        return output.joined(separator: "\n")
    }

    static let federationPrelude = """
        scalar FieldSet
        directive @key(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
        directive @shareable repeatable on OBJECT | FIELD_DEFINITION
        directive @external on OBJECT | FIELD_DEFINITION
        directive @requires(fields: FieldSet!) on FIELD_DEFINITION
        directive @provides(fields: FieldSet!) on FIELD_DEFINITION
        directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
        directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
        directive @override(from: String!) on FIELD_DEFINITION
        """
}

private extension Substring {
    func trimmingCharacters(in set: Set<Character>) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result.removeFirst() }
        while let last = result.last, set.contains(last) { result.removeLast() }
        return result
    }
}

private extension Set where Element == Character {
    static let whitespaces: Set<Character> = [" ", "\t", "\r"]
}
