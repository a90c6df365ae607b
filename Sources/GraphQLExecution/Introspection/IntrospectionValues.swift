import GraphQL
import OrderedCollections

// The values behind `__Schema`, `__Field`, `__InputValue`, `__EnumValue` and `__Directive`
// (`__Type` has its own file). Each is a small struct of ours rather than GraphQLSwift's own
// definition types: those come in several shapes for one GraphQL type (an argument of a field, of
// a directive, an input field), and one Swift type must stand for one GraphQL type. Each names
// its GraphQL type in `outputValue`, so the executor never has to guess it.

/// The value behind `__schema`.
struct SchemaIntrospection: OutputValueConvertible {
    let schema: GraphQLSchema

    var outputValue: OutputValue { .object(self, type: "__Schema") }

    /// The schema's description from the SDL. GraphQLSwift keeps it internal and reads it
    /// reflectively in its own introspection; so does this.
    var description: String? {
        Mirror(reflecting: schema).children.first { $0.label == "description" }?.value as? String
    }

    /// Every named type, the introspection types included, sorted by name.
    var types: [TypeIntrospection] {
        schema.typeMap.values
            .sorted { $0.name < $1.name }
            .map { TypeIntrospection(type: $0, schema: schema) }
    }

    var queryType: TypeIntrospection? { schema.queryType.map { TypeIntrospection(type: $0, schema: schema) } }
    var mutationType: TypeIntrospection? { schema.mutationType.map { TypeIntrospection(type: $0, schema: schema) } }
    var subscriptionType: TypeIntrospection? { schema.subscriptionType.map { TypeIntrospection(type: $0, schema: schema) } }

    var directives: [DirectiveIntrospection] {
        schema.directives.map { DirectiveIntrospection(directive: $0, schema: schema) }
    }
}

/// A field of an object or interface type.
struct FieldIntrospection: OutputValueConvertible {
    let name: String
    let field: GraphQLField
    let schema: GraphQLSchema

    var outputValue: OutputValue { .object(self, type: "__Field") }

    /// In definition order; deprecated ones only when asked, as the spec says (GraphQLSwift
    /// ignores `includeDeprecated` and lists them all).
    func args(includeDeprecated: Bool) -> [InputValueIntrospection] {
        field.args
            .filter { includeDeprecated || $0.value.deprecationReason == nil }
            .map { name, argument in
                InputValueIntrospection(
                    name: name, description: argument.description, type: argument.type,
                    defaultValue: argument.defaultValue, deprecationReason: argument.deprecationReason, schema: schema)
            }
    }

    var type: TypeIntrospection { TypeIntrospection(type: field.type, schema: schema) }
}

/// An argument of a field or directive, or a field of an input object.
///
/// `isDeprecated` is answered (GraphQLSwift's own introspection fails on it: its argument
/// definitions have no such property), and `defaultValue` is printed for input fields too (it
/// answers null for them).
struct InputValueIntrospection: OutputValueConvertible {
    let name: String
    let description: String?
    let type: any GraphQLInputType
    let defaultValue: Map?
    let deprecationReason: String?
    let schema: GraphQLSchema

    var outputValue: OutputValue { .object(self, type: "__InputValue") }

    var typeIntrospection: TypeIntrospection { TypeIntrospection(type: type, schema: schema) }

    /// The default as a GraphQL literal; nil when there is none.
    func printedDefaultValue() throws -> String? {
        guard let defaultValue else { return nil }
        return try DefaultValueLiteral.print(defaultValue, as: type)
    }
}

/// A value of an enum type.
struct EnumValueIntrospection: OutputValueConvertible {
    let value: GraphQLEnumValueDefinition

    init(_ value: GraphQLEnumValueDefinition) {
        self.value = value
    }

    var outputValue: OutputValue { .object(self, type: "__EnumValue") }
}

/// A directive the schema declares (the built-in ones included).
struct DirectiveIntrospection: OutputValueConvertible {
    let directive: GraphQLDirective
    let schema: GraphQLSchema

    var outputValue: OutputValue { .object(self, type: "__Directive") }

    /// The `__DirectiveLocation` values, in declaration order.
    var locations: [String] { directive.locations.map(\.rawValue) }

    /// In definition order; deprecated ones only when asked (as for a field's arguments).
    func args(includeDeprecated: Bool) -> [InputValueIntrospection] {
        directive.args
            .filter { includeDeprecated || $0.deprecationReason == nil }
            .map { argument in
                InputValueIntrospection(
                    name: argument.name, description: argument.description, type: argument.type,
                    defaultValue: argument.defaultValue, deprecationReason: argument.deprecationReason, schema: schema)
            }
    }
}
