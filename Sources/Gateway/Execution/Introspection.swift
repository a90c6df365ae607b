import GraphQL
import Logging

/// Answers `__schema` and `__type` from the gateway's API schema: clients introspect the
/// supergraph as one schema, and subgraphs (which would describe only themselves and their
/// federation internals) are never asked.
enum Introspection {
    /// The root introspection fields of the operation, if any.
    static func rootFields(of operation: OperationDefinition) -> [Field] {
        operation.selectionSet.selections.compactMap { selection in
            guard let field = selection as? Field, field.name.value == "__schema" || field.name.value == "__type" else { return nil }
            return field
        }
    }

    /// Runs only the introspection fields against `schema`; their data merges into the
    /// response like a fetch's.
    static func execute(
        _ fields: [Field], of operation: OperationDefinition, in document: Document, schema: GraphQLSchema, variables: [String: Map],
        requestID: String, logger: Logger
    ) async -> GraphQLResult {
        let fragments = document.definitions.compactMap { $0 as? FragmentDefinition }.map { print(ast: $0) }
        let declarations = operation.variableDefinitions.map { print(ast: $0) }
        let header = declarations.isEmpty ? "query" : "query(\(declarations.joined(separator: ", ")))"
        let text = "\(header) { \(fields.map { print(ast: $0) }.joined(separator: " ")) }\n" + fragments.joined(separator: "\n")
        do {
            let introspection = try parse(source: text)
            return try await GraphQL.execute(schema: schema, documentAST: introspection, rootValue: (), context: (), variableValues: variables)
        } catch {
            // The detail names internals; the client gets the id of the log line that has it.
            logger.error("introspection failed", metadata: ["error": "\(String(reflecting: error))", "request.id": "\(requestID)"])
            return GraphQLResult(errors: [GraphQLError(
                message: "internal error; report the requestId to find the server log entry",
                extensions: ["code": .string("INTERNAL_SERVER_ERROR"), "requestId": .string(requestID)])])
        }
    }
}
