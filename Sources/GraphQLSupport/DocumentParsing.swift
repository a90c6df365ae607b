import GraphQL

/// The parse and validate stages every endpoint shares: the text is bounded before the
/// (recursive) parser runs, and validation applies Emporium's rules. Errors carry their codes.
public enum DocumentParsing {
    public static func parse(_ query: String, bounds: QueryTextBounds = QueryTextBounds()) -> Result<Document, GraphQLError> {
        if let violation = bounds.violation(in: query) { return .failure(violation) }
        do {
            return .success(try GraphQL.parse(source: Source(body: query, name: "GraphQL request")))
        } catch let error as GraphQLError {
            return .failure(GraphQLErrorMapping.withCode(error, GraphQLErrorMapping.parseFailed))
        } catch {
            return .failure(GraphQLError(
                message: "the query could not be parsed", extensions: ["code": .string(GraphQLErrorMapping.parseFailed)]))
        }
    }

    /// Validation errors, each with `extensions.code`: its own where a rule set one
    /// (`BAD_USER_INPUT` for an out-of-range `Int`), `GRAPHQL_VALIDATION_FAILED` otherwise.
    public static func validate(_ document: Document, schema: GraphQLSchema) -> [GraphQLError] {
        GraphQL.validate(schema: schema, ast: document, rules: GraphQLValidation.rules).map {
            $0.extensions["code"] == nil ? GraphQLErrorMapping.withCode($0, GraphQLErrorMapping.validationFailed) : $0
        }
    }
}
