import EmporiumCore
import Foundation
import GraphQL

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

    private struct Body: Decodable {
        let query: String?
        let operationName: String?
        let variables: [String: Map]?
    }

    /// Reads a POST body. `contentType` is the request's Content-Type header.
    public static func decodePOST(body: Data, contentType: String?) throws -> GraphQLRequest {
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch mediaType {
        case "application/json", "application/graphql+json", "":
            let decoded: Body
            do {
                decoded = try JSONDecoder().decode(Body.self, from: body)
            } catch {
                throw GraphQLRequestError.badRequest("the request body is not valid JSON of the form {\"query\": \"...\", \"variables\": {...}, \"operationName\": \"...\"}")
            }
            guard let query = decoded.query, !query.isEmpty else {
                throw GraphQLRequestError.badRequest("the request body has no 'query' string")
            }
            return GraphQLRequest(query: query, operationName: decoded.operationName, variables: decoded.variables ?? [:])
        case "application/graphql":
            guard let query = String(data: body, encoding: .utf8), !query.isEmpty else {
                throw GraphQLRequestError.badRequest("the request body is empty or not UTF-8")
            }
            return GraphQLRequest(query: query)
        default:
            throw GraphQLRequestError(status: 415, message: "unsupported Content-Type '\(mediaType)'; send application/json")
        }
    }

    /// Reads GET query parameters (`query`, `operationName`, `variables` as JSON text).
    public static func decodeGET(parameters: [String: String]) throws -> GraphQLRequest {
        guard let query = parameters["query"], !query.isEmpty else {
            throw GraphQLRequestError.badRequest("a GET request needs a 'query' parameter")
        }
        var variables: [String: Map] = [:]
        if let text = parameters["variables"], !text.isEmpty {
            do {
                variables = try JSONDecoder().decode([String: Map].self, from: Data(text.utf8))
            } catch {
                throw GraphQLRequestError.badRequest("the 'variables' parameter is not a JSON object")
            }
        }
        let name = parameters["operationName"].flatMap { $0.isEmpty ? nil : $0 }
        return GraphQLRequest(query: query, operationName: name, variables: variables)
    }
}
