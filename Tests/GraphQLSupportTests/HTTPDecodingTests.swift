import Foundation
import GraphQL
@testable import GraphQLSupport
import Testing
import OrderedCollections

@Suite struct HTTPDecodingTests {
    @Test func mediaTypesAreReadWithoutParametersSpacesOrCase() {
        #expect(GraphQLRequest.mediaType(nil) == "")
        #expect(GraphQLRequest.mediaType("application/json") == "application/json")
        #expect(GraphQLRequest.mediaType(" \tApplication/JSON ; charset=utf-8") == "application/json")
        #expect(GraphQLRequest.mediaType(";charset=utf-8") == "")
        #expect(GraphQLRequest.mediaType("   ") == "")
        #expect(GraphQLRequest.mediaType("application/graphql+json;") == "application/graphql+json")
        // Non-ASCII letters are not folded (no media type has them): they stay unequal.
        #expect(GraphQLRequest.mediaType("APPLİCATİON/JSON") != "application/json")
    }

    @Test func postBodiesDecode() throws {
        let request = try GraphQLRequest.decodePOST(
            body: Data(#"{"query":"{ a }","operationName":"A","variables":{"n":3,"s":"x"}}"#.utf8),
            contentType: "application/json; charset=utf-8"
        )
        #expect(request.query == "{ a }")
        #expect(request.operationName == "A")
        #expect(request.variables["n"] == .number(3))
        let raw = try GraphQLRequest.decodePOST(body: Data("{ a }".utf8), contentType: "application/graphql")
        #expect(raw.query == "{ a }")
        // Integers stay integers, and JSON nulls mean "absent".
        let typed = try GraphQLRequest.decodePOST(body: Data(#"{"query":"{ a }","operationName":null,"variables":{"n":7,"f":1.5,"z":null}}"#.utf8), contentType: nil)
        #expect(typed.operationName == nil)
        #expect(typed.variables["n"]?.int == 7)
        #expect(typed.variables["f"]?.double == 1.5)
        #expect(typed.variables["z"] == .null)
        let noVariables = try GraphQLRequest.decodePOST(body: Data(#"{"query":"{ a }","variables":null}"#.utf8), contentType: nil)
        #expect(noVariables.variables.isEmpty)
    }

    @Test(arguments: [
        ("{not json", "application/json", 400),
        (#"{"variables":{}}"#, "application/json", 400),
        (#"{"query":""}"#, "application/json", 400),
        (#"{"query":"{ a }"}"#, "text/plain", 415),
        (#"{"query":5}"#, "application/json", 400),
        (#"{"query":"{ a }","variables":[1]}"#, "application/json", 400),
        (#"{"query":"{ a }","operationName":7}"#, "application/json", 400),
        (#"["query"]"#, "application/json", 400),
    ])
    func badBodiesAreClientErrors(body: String, contentType: String, status: Int) {
        #expect {
            try GraphQLRequest.decodePOST(body: Data(body.utf8), contentType: contentType)
        } throws: { error in
            (error as? GraphQLRequestError)?.status == status
        }
    }

    @Test func getParametersDecode() throws {
        let request = try GraphQLRequest.decodeGET(parameters: ["query": "{ a }", "variables": #"{"x":"y"}"#, "operationName": ""])
        #expect(request.variables["x"] == .string("y"))
        #expect(request.operationName == nil)
        #expect(throws: GraphQLRequestError.self) { try GraphQLRequest.decodeGET(parameters: ["query": "{ a }", "variables": "[1"]) }
        #expect(throws: GraphQLRequestError.self) { try GraphQLRequest.decodeGET(parameters: [:]) }
    }

    @Test func responsesKeepSelectionOrderAndEscape() {
        var data = OrderedDictionary<String, Map>()
        data["zebra"] = .string("line\n\"quoted\"")
        data["alpha"] = .number(1)
        data["list"] = .array([.bool(true), .null])
        let error = GraphQLError(message: "bad", locations: [SourceLocation(line: 1, column: 2)], path: ["a", 0], extensions: ["code": "BAD_USER_INPUT"])
        let json = String(decoding: ResponseJSON.encode(GraphQLResult(data: .dictionary(data), errors: [error])), as: UTF8.self)
        #expect(json == #"{"errors":[{"message":"bad","locations":[{"line":1,"column":2}],"path":["a",0],"extensions":{"code":"BAD_USER_INPUT"}}],"data":{"zebra":"line\n\"quoted\"","alpha":1,"list":[true,null]}}"#)
        #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil)
    }

    @Test func documentCacheStaysBounded() throws {
        let cache = DocumentCache(capacity: 2)
        for index in 0..<10 {
            cache.store(try parse(source: Source(body: "{ f\(index) }")), for: "q\(index)")
        }
        #expect(cache.document(for: "q9") != nil)
        #expect(cache.document(for: "q8") != nil)
        #expect(cache.document(for: "q0") == nil)
    }
}
