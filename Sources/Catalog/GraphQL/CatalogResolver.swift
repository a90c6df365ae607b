import EmporiumCore
import Foundation
import Graphiti
import GraphQL
import GraphQLSupport

/// Root fields of the catalog subgraph. Each one parses its arguments into domain types and
/// calls ``ProductCatalog``; errors stay `EmporiumError` until the GraphQL edge maps them.
public struct CatalogResolver: Sendable {
    public let sdl: String

    public init(sdl: String = CatalogSchema.sdl) {
        self.sdl = sdl
    }

    public struct IDArguments: Codable, Sendable { public let id: GraphID }
    public struct SlugArguments: Codable, Sendable { public let slug: String }
    public struct ProductsArguments: Codable, Sendable {
        public let filter: ProductFilterInput?
        public let first: Int?
        public let after: String?
    }
    public struct SearchArguments: Codable, Sendable {
        public let query: String
        public let first: Int?
        public let after: String?
    }
    public struct CreateProductArguments: Codable, Sendable { public let input: CreateProductInput }
    public struct UpdateProductArguments: Codable, Sendable {
        public let id: GraphID
        public let expectedVersion: Int
        public let input: UpdateProductInput
    }
    public struct PublishProductArguments: Codable, Sendable {
        public let id: GraphID
        public let expectedVersion: Int?
        public let publishAt: DateTime?
    }
    public struct ArchiveProductArguments: Codable, Sendable {
        public let id: GraphID
        public let expectedVersion: Int?
    }
    public struct CreateCategoryArguments: Codable, Sendable { public let input: CreateCategoryInput }

    // MARK: Queries

    @Sendable public func product(context: CatalogContext, arguments: IDArguments) async throws -> Product? {
        let id = try ProductID(parsing: arguments.id.value, field: "id")
        context.responseTags.add(CatalogCacheTags.product(id))
        guard let product = try await context.products.load(id), context.catalog.isVisible(product, to: context.principal) else {
            throw EmporiumError.notFound("no product with id \(id)")
        }
        return product
    }

    @Sendable public func productBySlug(context: CatalogContext, arguments: SlugArguments) async throws -> Product? {
        let product = try await context.catalog.product(slug: arguments.slug, viewer: context.principal)
        context.responseTags.add(CatalogCacheTags.product(product.id))
        return product
    }

    @Sendable public func products(context: CatalogContext, arguments: ProductsArguments) async throws -> ProductConnection {
        let filter = arguments.filter.map { input in
            ProductFilter(
                categoryID: input.categoryId?.value, sellerID: input.sellerId?.value,
                minPrice: input.minPrice.map(Int64.init), maxPrice: input.maxPrice.map(Int64.init),
                currency: input.currency, statuses: input.statuses?.map(\.domain)
            )
        }
        context.responseTags.add(CatalogCacheTags.products)
        let page = try await context.catalog.list(filter: filter, first: arguments.first, after: arguments.after, viewer: context.principal)
        await prime(context, page.items)
        return ProductConnection(page)
    }

    @Sendable public func searchProducts(context: CatalogContext, arguments: SearchArguments) async throws -> ProductConnection {
        if let admission = context.searchAdmission {
            try await admission.admit(clientKey: context.clientKey) { context.responseHeaders.set($0, $1) }
        }
        context.responseTags.add(CatalogCacheTags.products)
        let page = try await context.catalog.search(text: arguments.query, first: arguments.first, after: arguments.after, viewer: context.principal)
        await prime(context, page.items)
        return ProductConnection(page)
    }

    @Sendable public func categories(context: CatalogContext, arguments: NoArguments) async throws -> [Category] {
        try await context.catalog.categories.all()
    }

    @Sendable public func category(context: CatalogContext, arguments: IDArguments) async throws -> Category? {
        let id = try CategoryID(parsing: arguments.id.value, field: "id")
        guard let category = try await context.categories.load(id) else {
            throw EmporiumError.notFound("no category with id \(id)")
        }
        return category
    }

    // MARK: Federation

    public struct ProductKey: Codable, Sendable { public let id: GraphID }
    public struct CategoryKey: Codable, Sendable { public let id: GraphID }

    /// The per-representation resolver Graphiti's `.key(at:)` needs to declare the entity; at run
    /// time `_entities` goes through the batch resolver above instead.
    @Sendable public func productEntity(context: CatalogContext, arguments: ProductKey) async throws -> Product? {
        guard let id = try? ProductID(parsing: arguments.id.value) else { return nil }
        // Tagged even when null: publishing the product invalidates the answer that hid it.
        context.responseTags.add(CatalogCacheTags.product(id))
        guard let product = try await context.products.load(id),
              context.catalog.isVisible(product, to: context.principal)
        else { return nil }
        return product
    }

    /// `_entities` for products, a batch at a time (see `EntityBatches`): one DataLoader batch,
    /// `nil` for malformed, unknown or invisible ids.
    @Sendable static func productEntities(_ representations: [Map], context: CatalogContext) async throws -> [(any Sendable)?] {
        let ids = representations.map { $0["id"].string.flatMap { try? ProductID(parsing: $0) } }
        for id in ids.compactMap({ $0 }) { context.responseTags.add(CatalogCacheTags.product(id)) }
        let found = try await context.products.loadMany(ids.compactMap { $0 })
        return ids.map { id -> (any Sendable)? in
            guard let id, let product = found[id], context.catalog.isVisible(product, to: context.principal) else { return nil }
            return product
        }
    }

    @Sendable static func categoryEntities(_ representations: [Map], context: CatalogContext) async throws -> [(any Sendable)?] {
        let ids = representations.map { $0["id"].string.flatMap { try? CategoryID(parsing: $0) } }
        let found = try await context.categories.loadMany(ids.compactMap { $0 })
        return ids.map { id in id.flatMap { found[$0] } }
    }

    @Sendable public func categoryEntity(context: CatalogContext, arguments: CategoryKey) async throws -> Category? {
        guard let id = try? CategoryID(parsing: arguments.id.value) else { return nil }
        return try await context.categories.load(id)
    }

    // MARK: Mutations

    @Sendable public func createProduct(context: CatalogContext, arguments: CreateProductArguments) async throws -> Product {
        let input = arguments.input
        let fields = ProductFieldsInput(
            title: input.title, description: input.description,
            priceAmount: Int64(input.price.amount), priceCurrency: input.price.currency,
            compareAtAmount: .some(try compareAt(input.compareAtPrice, price: input.price)),
            categoryID: .some(input.categoryId?.value),
            attributes: input.attributes?.map { ProductAttribute(key: $0.key, value: $0.value) },
            imageURLs: input.imageUrls
        )
        return try await context.catalog.createProduct(fields, sellerID: input.sellerId?.value, by: context.principal)
    }

    @Sendable public func updateProduct(context: CatalogContext, arguments: UpdateProductArguments) async throws -> Product {
        let id = try ProductID(parsing: arguments.id.value, field: "id")
        let input = arguments.input
        var fields = ProductFieldsInput(
            title: input.title, description: input.description,
            priceAmount: input.price.map { Int64($0.amount) }, priceCurrency: input.price?.currency,
            attributes: input.attributes?.map { ProductAttribute(key: $0.key, value: $0.value) },
            imageURLs: input.imageUrls
        )
        if input.removeCompareAtPrice == true {
            fields.compareAtAmount = .some(nil)
        } else if let compareAt = input.compareAtPrice {
            if let price = input.price, price.currency.uppercased() != compareAt.currency.uppercased() {
                throw EmporiumError.badInput("the compare-at price must be in the price's currency", field: "input.compareAtPrice.currency")
            }
            fields.compareAtAmount = .some(Int64(compareAt.amount))
        }
        if input.removeCategory == true {
            fields.categoryID = .some(nil)
        } else if let category = input.categoryId {
            fields.categoryID = .some(category.value)
        }
        return try await context.catalog.updateProduct(id: id, expectedVersion: arguments.expectedVersion, changes: fields, by: context.principal)
    }

    @Sendable public func publishProduct(context: CatalogContext, arguments: PublishProductArguments) async throws -> Product {
        let id = try ProductID(parsing: arguments.id.value, field: "id")
        return try await context.catalog.publishProduct(id: id, expectedVersion: arguments.expectedVersion, publishAt: arguments.publishAt?.date, by: context.principal)
    }

    @Sendable public func archiveProduct(context: CatalogContext, arguments: ArchiveProductArguments) async throws -> Product {
        let id = try ProductID(parsing: arguments.id.value, field: "id")
        return try await context.catalog.archiveProduct(id: id, expectedVersion: arguments.expectedVersion, by: context.principal)
    }

    @Sendable public func createCategory(context: CatalogContext, arguments: CreateCategoryArguments) async throws -> Category {
        try await context.catalog.createCategory(
            name: arguments.input.name, slug: arguments.input.slug, parentID: arguments.input.parentId?.value, by: context.principal
        )
    }

    // MARK: Helpers

    private func compareAt(_ compareAt: MoneyInput?, price: MoneyInput) throws -> Int64? {
        guard let compareAt else { return nil }
        guard compareAt.currency.uppercased() == price.currency.uppercased() else {
            throw EmporiumError.badInput("the compare-at price must be in the price's currency", field: "input.compareAtPrice.currency")
        }
        return Int64(compareAt.amount)
    }

    /// Products read by a list also answer later by-id lookups in the same request.
    /// Seeds the product loader with the page, and loads the page's categories in one batch:
    /// every item's `category` then finds its category loaded instead of relying on the
    /// DataLoader's batching window (which a loaded machine can split). A failure here is left to
    /// the `category` fields, which load again and report it where it belongs.
    private func prime(_ context: CatalogContext, _ products: [Product]) async {
        for product in products { await context.products.prime(product.id, product) }
        _ = try? await context.categories.loadMany(products.compactMap(\.categoryID))
    }
}
