import EmporiumCore
import GraphQLSupport
import HTTPTypes
import Hummingbird
import ServiceKit

/// `GET /api/products/search?q=…&first=…&after=…`: product search for clients that do not speak
/// GraphQL, under the same per-client rate limit as `searchProducts`. The runtime turns thrown
/// errors into statuses (429 with `Retry-After` and `RateLimit-*` over the limit, 400 naming a
/// bad parameter).
struct ProductSearchRoute: Sendable {
    let catalog: ProductCatalog
    let admission: SearchAdmission?

    var route: ServiceRoute {
        ServiceRoute(.get, "/api/products/search", visibility: .public) { request, info in
            try await search(request, info: info)
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

    func search(_ request: Request, info: GraphQLRequestInfo) async throws -> Response {
        if let admission {
            try await admission.admit(clientKey: info.clientKey, headers: info.responseHeaders.set)
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
        let page = try await catalog.search(text: text, first: first, after: parameters["after"].map(String.init), viewer: info.principal)
        let items = page.items.map {
            Item(id: $0.id.description, title: $0.title, slug: $0.slug.rawValue,
                 price: .init(amount: $0.price.amount, currency: $0.price.currency.code, formatted: $0.price.description))
        }
        return ServiceRoute.json(.ok, Body(items: items, nextCursor: page.hasNextPage ? page.endCursor : nil))
    }
}
