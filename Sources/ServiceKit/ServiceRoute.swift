import Foundation
import GraphQLSupport
import HTTPTypes
import Hummingbird
import NIOFoundationEssentialsCompat

/// An HTTP route a service serves beside its GraphQL subgraph (REST search, JWKS, webhooks).
///
/// The runtime mounts it and does the edge's work around ``handle``: the internal credential
/// for `.internal` routes, the bearer token (401 when invalid), the client's identity, the
/// request id, and one table from a thrown `EmporiumError` to an HTTP status with a JSON body
/// (an internal error shows only the request id). Headers the handler sets on
/// `info.responseHeaders` (for example `RateLimit-*`) go on the response, error or not.
public struct ServiceRoute: Sendable {
    public enum Visibility: Sendable {
        /// Any client, through the edge.
        case `public`
        /// Only callers with the internal credential (the gateway, other services).
        case `internal`
    }

    public let method: HTTPRequest.Method
    public let path: String
    public let visibility: Visibility
    public let handle: @Sendable (Request, GraphQLRequestInfo) async throws -> Response

    public init(
        _ method: HTTPRequest.Method, _ path: String, visibility: Visibility,
        handle: @escaping @Sendable (Request, GraphQLRequestInfo) async throws -> Response
    ) {
        self.method = method
        self.path = path
        self.visibility = visibility
        self.handle = handle
    }

    /// A JSON response (`application/json; charset=utf-8`).
    public static func json(_ status: HTTPResponse.Status, _ body: some Encodable) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }
}
