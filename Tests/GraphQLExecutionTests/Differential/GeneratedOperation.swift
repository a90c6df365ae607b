import GraphQL
import OrderedCollections

/// One request of the differential corpus: a document, the operation to run and its variables,
/// everything needed to replay it by hand.
struct GeneratedOperation: Sendable, CustomStringConvertible {
    enum Kind: String, Sendable {
        case query, mutation, multipleOperations, introspection
    }

    let index: Int
    let kind: Kind
    let document: String
    let operationName: String?
    let variables: [String: Map]
    /// The variable given an invalid value on purpose: the request must fail before execution.
    let invalidVariable: String?
    /// A second run of the same document on the plans the first run stored: other values for
    /// the variables, or (several operations) another operation.
    let rerun: Rerun?

    struct Rerun: Sendable {
        let operationName: String?
        let variables: [String: Map]
    }

    var description: String {
        let variablesJSON = CanonicalJSON.encode(.dictionary(.init(uniqueKeysWithValues: variables.sorted { $0.key < $1.key })))
        return """
            #\(index) (\(kind.rawValue))\(invalidVariable.map { ", invalid $\($0)" } ?? "")
            operationName: \(operationName ?? "nil")
            variables: \(variablesJSON)
            \(document)
            """
    }
}
