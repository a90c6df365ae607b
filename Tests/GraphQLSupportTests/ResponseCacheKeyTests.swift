import Caching
import GraphQL
import GraphQLSupport
import Testing

@Suite struct ResponseCacheKeyTests {
    @Test func theKeyIsTheOperationAndItsVariablesWhateverTheirOrder() {
        let a = GraphQLSupport.GraphQLRequest(query: "q", operationName: "Op", variables: ["a": 1, "b": "x"])
        let b = GraphQLSupport.GraphQLRequest(query: "q", operationName: "Op", variables: ["b": "x", "a": 1])
        #expect(ResponseCache.Key(a) == ResponseCache.Key(b))
        // The parts Caching sees: the variables as JSON, top level sorted.
        let sorted = ResponseCache.Key(operationName: "Op", query: "q", variables: #"{"a":"y","b":"x"}"#)
        #expect(ResponseCache.Key(GraphQLSupport.GraphQLRequest(query: "q", operationName: "Op", variables: ["b": "x", "a": "y"])) == sorted)
        #expect(ResponseCache.Key(a) != ResponseCache.Key(GraphQLSupport.GraphQLRequest(query: "q", operationName: "Op", variables: ["a": 2, "b": "x"])))
        #expect(ResponseCache.Key(a) != ResponseCache.Key(GraphQLSupport.GraphQLRequest(query: "q", operationName: "Other", variables: ["a": 1, "b": "x"])))
        #expect(ResponseCache.Key(a) != ResponseCache.Key(GraphQLSupport.GraphQLRequest(query: "q ", operationName: "Op", variables: ["a": 1, "b": "x"])))
        #expect(ResponseCache.Key(GraphQLSupport.GraphQLRequest(query: "q")) == ResponseCache.Key(operationName: nil, query: "q", variables: ""))
    }
}
