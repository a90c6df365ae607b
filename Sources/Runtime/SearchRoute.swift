import Catalog
import EmporiumCore
import Foundation
import GraphQLSupport
import HTTPTypes
import Hummingbird
import Identity
import Logging

/// `GET /api/products/search?q=…&first=…&after=…`: product search for clients that do not speak
/// GraphQL, under the same per-client rate limit as `searchProducts`. Over the limit: 429 with
/// `Retry-After` and `RateLimit-*`; a bad parameter: 400 with a message naming it.
struct SearchRoute: Sendable {
    let catalog: CatalogService
    let tokens: TokenService
    let clients: ClientIdentification
    let logger: Logger

    func add(to router: Router<EmporiumRequestContext>) {
        router.get("/api/products/search") { request, context in
            await self.search(request, context: context)
        }
    }

    private struct Item: Encodable {
        let id: String
        let title: String
        let slug: String
        let price: Price
        struct Price: Encodable {
            let amount: Int64
            let currency: String
            let formatted: String
        }
    }

    private struct Body: Encodable {
        let items: [Item]
        let nextCursor: String?
    }

    func search(_ request: Request, context: EmporiumRequestContext) async -> Response {
        var headers = HTTPFields()
        let requestID = GraphQLErrorMapping.newRequestID()
        headers[InternalCredential.requestIDHeader] = requestID
        do {
            let principal = try await tokens.principal(fromAuthorization: request.headers[.authorization])
            if let admission = catalog.searchAdmission {
                let key = clients.key(principal: principal, headers: request.headers, peer: context.peerAddress)
                try await admission.admit(clientKey: key) { name, value in
                    if let field = HTTPField.Name(name) { headers[field] = value }
                }
            }
            let parameters = request.uri.queryParameters
            guard let text = parameters["q"].map(String.init) else {
                throw EmporiumError.badInput("the 'q' parameter is required", field: "q")
            }
            var first: Int?
            if let raw = parameters["first"] {
                guard let value = Int(String(raw)) else { throw EmporiumError.badInput("'first' must be an integer", field: "first") }
                first = value
            }
            let page = try await catalog.catalog.search(
                text: text, first: first, after: parameters["after"].map(String.init), viewer: principal
            )
            let items = page.items.map {
                Item(id: $0.id.description, title: $0.title, slug: $0.slug.rawValue,
                     price: .init(amount: $0.price.amount, currency: $0.price.currency.code, formatted: $0.price.description))
            }
            return Self.json(.ok, Body(items: items, nextCursor: page.hasNextPage ? page.endCursor : nil), headers: headers)
        } catch let error as EmporiumError {
            let status: HTTPResponse.Status = switch error.code {
            case .rateLimited: .tooManyRequests
            case .badUserInput: .badRequest
            case .unauthenticated: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            default: .internalServerError
            }
            guard status == .internalServerError else {
                return Self.json(status, ["error": ["code": error.code.rawValue, "message": error.message]], headers: headers)
            }
            // An internal error's message is written for operators: the log gets it, the client the id.
            logger.error("search failed", metadata: ["error": "\(error.debugDescription)", "request.id": "\(requestID)"])
            return Self.internalError(requestID: requestID, headers: headers)
        } catch {
            logger.error("search failed", metadata: ["error": "\(String(reflecting: error))", "request.id": "\(requestID)"])
            return Self.internalError(requestID: requestID, headers: headers)
        }
    }

    static func internalError(requestID: String, headers: HTTPFields) -> Response {
        json(.internalServerError, ["error": [
            "code": "INTERNAL_SERVER_ERROR", "message": "internal error; report the requestId to find the server log entry", "requestId": requestID,
        ]], headers: headers)
    }

    static func json(_ status: HTTPResponse.Status, _ body: some Encodable, headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        let data = (try? JSONEncoder().encode(body)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }
}
