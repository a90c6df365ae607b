import GraphQL
import GraphQLExecution
import OrderedCollections

/// One execution of a generated operation by both executors, and what the comparison found.
struct DifferentialOutcome: Sendable {
    let operationName: String?
    let variables: [String: Map]
    /// Run second, on the plans the first run compiled and stored.
    let planReused: Bool
    let reference: GraphQLResult
    let engine: ExecutionResult
    let verdict: ResponseComparator.Verdict

    /// Everything needed to replay a difference by hand.
    func describe(_ operation: GeneratedOperation, _ problems: [String]) -> String {
        let variablesJSON = CanonicalJSON.encode(.dictionary(OrderedDictionary(uniqueKeysWithValues: variables.sorted { $0.key < $1.key })))
        return """
            ── difference in operation \(operation.index) (\(operation.kind.rawValue))\(planReused ? ", second run on a reused plan" : "")
            \(problems.map { "• " + $0 }.joined(separator: "\n"))
            operationName: \(operationName ?? "nil")
            variables: \(variablesJSON)
            \(operation.document)
            GraphQLSwift: \(CanonicalJSON.response(data: reference.data, errors: reference.errors))
            ours:         \(CanonicalJSON.response(data: engine.data, errors: engine.errors))
            """
    }
}
