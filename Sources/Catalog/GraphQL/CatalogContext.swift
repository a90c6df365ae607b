import EmporiumCore
import GraphQLSupport
import Identity

/// Per-request state for catalog resolvers: who asks, and the request's DataLoaders.
public struct CatalogContext: Sendable {
    public let principal: Principal?
    public let catalog: ProductCatalog
    /// Rate-limit identity and response headers of the HTTP request (see `GraphQLRequestInfo`).
    public let clientKey: String
    public let responseHeaders: ResponseHeaders
    /// Tags of what the answer was read from (``CatalogCacheTags``).
    public let responseTags: ResponseTags
    public let searchAdmission: SearchAdmission?
    let products: DataLoader<ProductID, Product>
    let categories: DataLoader<CategoryID, Category>
    let children: DataLoader<CategoryID, [Category]>
    let counters: DataLoader<ProductID, ProductCounters>
    let categoryCounts: DataLoader<CategoryID, Int64>

    public init(
        principal: Principal?, catalog: ProductCatalog, clientKey: String = "ip:unknown",
        responseHeaders: ResponseHeaders = ResponseHeaders(), responseTags: ResponseTags = ResponseTags(),
        searchAdmission: SearchAdmission? = nil
    ) {
        self.principal = principal
        self.catalog = catalog
        self.clientKey = clientKey
        self.responseHeaders = responseHeaders
        self.responseTags = responseTags
        self.searchAdmission = searchAdmission
        let productStore = catalog.products
        let categoryStore = catalog.categories
        products = DataLoader { ids in try await productStore.products(ids: ids) }
        categories = DataLoader { ids in try await categoryStore.categories(ids: ids) }
        let counterStore = catalog.counters
        counters = DataLoader { ids in try await counterStore.productCounters(ids: ids) }
        categoryCounts = DataLoader { ids in try await counterStore.categoryCounts(ids: ids) }
        children = DataLoader { ids in
            let found = try await categoryStore.children(of: ids)
            // Categories without children get an empty list, not a missing value.
            return Dictionary(uniqueKeysWithValues: ids.map { ($0, found[$0] ?? []) })
        }
    }
}
