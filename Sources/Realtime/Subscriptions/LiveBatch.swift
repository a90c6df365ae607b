import GraphQL
import GraphQLSupport
import OrderedCollections

/// Several events of one plan answered by one request: each id becomes an aliased copy of the
/// plan's root field, and the answer is split back into what each id alone would have been
/// answered. One gateway request (one subgraph fetch, one `_entities` batch) instead of one each.
extension LivePlan {
    static let batchAlias = "emporiumLive"

    /// `query LiveBatch(…, $emporiumLiveId0: ID!, …) { emporiumLive0: product(id: $emporiumLiveId0) { … } … }`.
    func batchRequest(for ids: [String]) -> GraphQLSupport.GraphQLRequest {
        var definitions = parts.definitions
        var body = ""
        var values = variables
        for (index, id) in ids.enumerated() {
            let variable = "\(Self.idVariable)\(index)"
            definitions.append("$\(variable): ID!")
            body += "\(Self.batchAlias)\(index): \(parts.root)$\(variable)) \(parts.selection) "
            values[variable] = .string(id)
        }
        let query = "query LiveBatch(\(definitions.joined(separator: ", "))) { \(body)}" + (parts.fragments.isEmpty ? "" : "\n" + parts.fragments)
        return GraphQLSupport.GraphQLRequest(query: query, variables: values)
    }

    /// Each id's own answer, `{"data":{"<responseKey>":…}}` with the errors under its alias
    /// (their paths renamed to the response key); nil when the answer cannot be split so —
    /// refused, data nulled, or an error that names no one id (a subgraph that failed as a
    /// whole) — and each id is resolved alone instead.
    func split(_ outcome: GraphQLOutcome, count: Int) -> [GraphQLResult]? {
        guard outcome.kind == .executed, case .dictionary(let data)? = outcome.data else { return nil }
        var errorsByIndex: [Int: [GraphQLError]] = [:]
        for error in outcome.errors {
            guard case .key(let alias)? = error.path.elements.first, let index = Self.batchIndex(alias), index < count else { return nil }
            let path = IndexPath([IndexPathValue.key(responseKey)] + error.path.elements.dropFirst().map { $0 as any IndexPathElement })
            errorsByIndex[index, default: []].append(
                GraphQLError(message: error.message, locations: error.locations, path: path, extensions: error.extensions))
        }
        return (0..<count).map { index in
            var fields = OrderedDictionary<String, Map>()
            fields[responseKey] = data["\(Self.batchAlias)\(index)"] ?? .null
            return GraphQLResult(data: .dictionary(fields), errors: errorsByIndex[index] ?? [])
        }
    }

    private static func batchIndex(_ alias: String) -> Int? {
        guard alias.hasPrefix(batchAlias) else { return nil }
        return Int(alias.dropFirst(batchAlias.count))
    }
}
