import Caching
import GraphQL
import OrderedCollections

extension ResponseCache.Key {
    /// The key of a GraphQL request: operation name, query text and variables, with the
    /// variables' top level sorted (clients build it from unordered dictionaries).
    public init(_ request: GraphQLRequest) {
        let variables = OrderedDictionary(uniqueKeysWithValues: request.variables.sorted { $0.key < $1.key })
        let json = variables.isEmpty ? "" : String(decoding: JSONMap.serialize(.dictionary(variables)), as: UTF8.self)
        self.init(operationName: request.operationName, query: request.query, variables: json)
    }
}
