import GraphQL

/// Introspection (spec section 4): the `__schema` and `__type` root fields and the resolvers of
/// the `__Schema`, `__Type`, … types, answered from GraphQLSwift's schema model.
///
/// The introspection types themselves are GraphQLSwift's (every schema's type map has them), so
/// they are resolved like any other object type: the executable schema checks that every field
/// they declare has a resolver here, which catches a GraphQLSwift upgrade that adds one. The
/// values are small structs of ours (``SchemaIntrospection``, ``TypeIntrospection``, …) made on
/// demand from the schema; introspection is rare (tooling), so nothing is precomputed.
///
/// The answers match GraphQLSwift 4.3's own introspection (same order of types, fields and
/// arguments, same literal layout of default values), except where GraphQLSwift breaks the spec;
/// those places are said where they are answered.
enum Introspection<Context: Sendable> {
    static func register(into resolvers: inout SchemaResolvers<Context>) {
        resolvers.object("__Schema", SchemaIntrospection.self) { type in
            type.field("description") { $0.description }
            type.field("types") { $0.types }
            type.field("queryType") { $0.queryType }
            type.field("mutationType") { $0.mutationType }
            type.field("subscriptionType") { $0.subscriptionType }
            type.field("directives") { $0.directives }
        }
        resolvers.object("__Type", TypeIntrospection.self) { type in
            type.field("kind") { try $0.kind() }
            type.field("name") { $0.name }
            type.field("description") { $0.description }
            type.field("specifiedByURL") { $0.specifiedByURL }
            type.field("fields", resolve: { source, arguments, _ in
                try source.fields(includeDeprecated: includeDeprecated(arguments))
            })
            type.field("interfaces") { try $0.interfaces() }
            type.field("possibleTypes") { $0.possibleTypes }
            type.field("enumValues", resolve: { source, arguments, _ in
                source.enumValues(includeDeprecated: includeDeprecated(arguments))
            })
            type.field("inputFields", resolve: { source, arguments, _ in
                try source.inputFields(includeDeprecated: includeDeprecated(arguments))
            })
            type.field("ofType") { $0.ofType }
            type.field("isOneOf") { $0.isOneOf }
        }
        resolvers.object("__Field", FieldIntrospection.self) { type in
            type.field("name") { $0.name }
            type.field("description") { $0.field.description }
            type.field("args", resolve: { source, arguments, _ in
                source.args(includeDeprecated: includeDeprecated(arguments))
            })
            type.field("type") { $0.type }
            type.field("isDeprecated") { $0.field.deprecationReason != nil }
            type.field("deprecationReason") { $0.field.deprecationReason }
        }
        resolvers.object("__InputValue", InputValueIntrospection.self) { type in
            type.field("name") { $0.name }
            type.field("description") { $0.description }
            type.field("type") { $0.typeIntrospection }
            type.field("defaultValue") { try $0.printedDefaultValue() }
            type.field("isDeprecated") { $0.deprecationReason != nil }
            type.field("deprecationReason") { $0.deprecationReason }
        }
        resolvers.object("__EnumValue", EnumValueIntrospection.self) { type in
            type.field("name") { $0.value.name }
            type.field("description") { $0.value.description }
            type.field("isDeprecated") { $0.value.isDeprecated }
            type.field("deprecationReason") { $0.value.deprecationReason }
        }
        resolvers.object("__Directive", DirectiveIntrospection.self) { type in
            type.field("name") { $0.directive.name }
            type.field("description") { $0.directive.description }
            type.field("isRepeatable") { $0.directive.isRepeatable }
            type.field("locations") { $0.locations }
            type.field("args", resolve: { source, arguments, _ in
                source.args(includeDeprecated: includeDeprecated(arguments))
            })
        }
    }

    /// `includeDeprecated: Boolean = false`, which coercion has filled in already.
    private static func includeDeprecated(_ arguments: FieldArguments) -> Bool {
        arguments.bool("includeDeprecated") ?? false
    }
}

/// `__schema` and `__type`: resolved by the engine at the query root of any schema.
enum IntrospectionMetaFields {
    /// The root fields every query type has without declaring them: `__schema: __Schema!` and
    /// `__type(name: String!): __Type`. nil for any other name.
    static func metaField(
        _ name: String, schema graphQLSchema: GraphQLSchema
    ) -> (resolution: FieldResolution, type: any GraphQLOutputType, arguments: [ArgumentDefinition])? {
        switch name {
        case "__schema":
            guard let schemaType = graphQLSchema.getType(name: "__Schema") as? GraphQLObjectType else { return nil }
            return (
                .each { _, _, _ in SchemaIntrospection(schema: graphQLSchema).outputValue },
                GraphQLNonNull(schemaType),
                []
            )
        case "__type":
            guard let typeType = graphQLSchema.getType(name: "__Type") as? GraphQLObjectType else { return nil }
            return (
                .each { _, arguments, _ in
                    guard let name = arguments.string("name"), let type = graphQLSchema.getType(name: name) else { return .null }
                    return TypeIntrospection(type: type, schema: graphQLSchema).outputValue
                },
                typeType,
                [ArgumentDefinition(name: "name", type: GraphQLNonNull(GraphQLString), defaultValue: nil)]
            )
        default:
            return nil
        }
    }
}
