import EmporiumCore
import GraphQLSupport
import Identity

/// Per-request state for catalog resolvers: who asks, and the request's DataLoaders.
public struct CatalogContext: Sendable {
    public let principal: Principal?
    public let catalog: ProductCatalog
    let products: DataLoader<ProductID, Product>
    let categories: DataLoader<CategoryID, Category>
    let children: DataLoader<CategoryID, [Category]>

    public init(principal: Principal?, catalog: ProductCatalog) {
        self.principal = principal
        self.catalog = catalog
        let productStore = catalog.products
        let categoryStore = catalog.categories
        products = DataLoader { ids in try await productStore.products(ids: ids) }
        categories = DataLoader { ids in try await categoryStore.categories(ids: ids) }
        children = DataLoader { ids in
            let found = try await categoryStore.children(of: ids)
            // Categories without children get an empty list, not a missing value.
            return Dictionary(uniqueKeysWithValues: ids.map { ($0, found[$0] ?? []) })
        }
    }
}
