import EmporiumCore
import Foundation
import GraphQL
import OrderedCollections

/// A GraphQL request as the GraphQL-over-HTTP spec defines it: from a POST JSON body or GET
/// query parameters.
public struct GraphQLRequest: Sendable {
    public var query: String
    public var operationName: String?
    public var variables: [String: Map]

    public init(query: String, operationName: String? = nil, variables: [String: Map] = [:]) {
        self.query = query
        self.operationName = operationName
        self.variables = variables
    }
}

/// Why an HTTP request could not even be read as a GraphQL request. Always the client's
/// mistake: answered with a 4xx status and a message that says what to send instead.
public struct GraphQLRequestError: Error, Sendable, CustomStringConvertible {
    public let status: Int
    public let message: String
    public var description: String { message }

    static func badRequest(_ message: String) -> GraphQLRequestError { GraphQLRequestError(status: 400, message: message) }
}

extension GraphQLRequest {
    /// The largest request body accepted, so that a client cannot make the server buffer gigabytes.
    public static let maximumBodyBytes = 1 << 20

    /// Reads a POST body. `contentType` is the request's Content-Type header.
    public static func decodePOST(body: Data, contentType: String?) throws -> GraphQLRequest {
        let mediaType = Self.mediaType(contentType)
        switch mediaType {
        case "application/json", "application/graphql+json", "":
            // JSONMap rather than JSONDecoder: decoding `Map` through Codable is slow, and it would
            // turn every integer variable into a floating-point number.
            let malformed = GraphQLRequestError.badRequest("the request body is not valid JSON of the form {\"query\": \"...\", \"variables\": {...}, \"operationName\": \"...\"}")
            guard let object = (try? JSONMap.parse(body))?.dictionary else { throw malformed }
            func optional(_ key: String) -> Map? {
                guard let value = object[key], !value.isNull, !value.isUndefined else { return nil }
                return value
            }
            if let query = optional("query"), query.string == nil { throw malformed }
            if let name = optional("operationName"), name.string == nil { throw malformed }
            if let variables = optional("variables"), variables.dictionary == nil { throw malformed }
            guard let query = optional("query")?.string, !query.isEmpty else {
                throw GraphQLRequestError.badRequest("the request body has no 'query' string")
            }
            let variables = optional("variables")?.dictionary.map { Dictionary(uniqueKeysWithValues: $0.map { ($0.key, $0.value) }) } ?? [:]
            return GraphQLRequest(query: query, operationName: optional("operationName")?.string, variables: variables)
        case "application/graphql":
            guard let query = String(data: body, encoding: .utf8), !query.isEmpty else {
                throw GraphQLRequestError.badRequest("the request body is empty or not UTF-8")
            }
            return GraphQLRequest(query: query)
        default:
            throw GraphQLRequestError(status: 415, message: "unsupported Content-Type '\(mediaType)'; send application/json")
        }
    }

    /// The media type of a Content-Type value — `application/json` of
    /// ` Application/JSON ; charset=utf-8` — on its bytes: Foundation's `trimmingCharacters`
    /// cost more here than parsing the body of a cached request.
    static func mediaType(_ contentType: String?) -> String {
        guard let contentType else { return "" }
        var bytes = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }[...]
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = bytes.first, isSpace(first) { bytes.removeFirst() }
        while let last = bytes.last, isSpace(last) { bytes.removeLast() }
        return String(decoding: bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// Reads GET query parameters (`query`, `operationName`, `variables` as JSON text).
    public static func decodeGET(parameters: [String: String]) throws -> GraphQLRequest {
        guard let query = parameters["query"], !query.isEmpty else {
            throw GraphQLRequestError.badRequest("a GET request needs a 'query' parameter")
        }
        var variables: [String: Map] = [:]
        if let text = parameters["variables"], !text.isEmpty {
            guard let object = (try? JSONMap.parse(Data(text.utf8)))?.dictionary else {
                throw GraphQLRequestError.badRequest("the 'variables' parameter is not a JSON object")
            }
            variables = Dictionary(uniqueKeysWithValues: object.map { ($0.key, $0.value) })
        }
        let name = parameters["operationName"].flatMap { $0.isEmpty ? nil : $0 }
        return GraphQLRequest(query: query, operationName: name, variables: variables)
    }
}
