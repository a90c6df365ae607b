import EmporiumCore
import GraphQL
import GraphQLExecution
import GraphQLSupport

/// Root fields of the catalog subgraph. Each one reads its arguments (already coerced to the
/// schema's types by the engine) into domain types and calls ``ProductCatalog``; errors stay
/// `EmporiumError` until the GraphQL edge maps them.
enum CatalogResolver {
    // MARK: Queries

    @Sendable static func product(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Product? {
        let id = try ProductID(parsing: try arguments.requiredString("id"), field: "id")
        context.responseTags.add(CatalogCacheTags.product(id))
        // `load`, not `loadMany`: several `product(id:)` root fields of one operation (a realtime
        // node's batch of changed products) join one batch, one statement.
        guard let product = try await context.products.load(id), context.catalog.isVisible(product, to: context.principal) else {
            throw EmporiumError.notFound("no product with id \(id)")
        }
        return product
    }

    @Sendable static func productBySlug(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Product? {
        let product = try await context.catalog.product(slug: try arguments.requiredString("slug"), viewer: context.principal)
        context.responseTags.add(CatalogCacheTags.product(product.id))
        return product
    }

    @Sendable static func products(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> ProductConnection {
        let filter = try arguments.decode(ProductFilterInput.self, "filter").map { input in
            ProductFilter(
                categoryID: input.categoryId?.value, sellerID: input.sellerId?.value,
                minPrice: input.minPrice.map(Int64.init), maxPrice: input.maxPrice.map(Int64.init),
                currency: input.currency, statuses: input.statuses?.map(\.domain)
            )
        }
        context.responseTags.add(CatalogCacheTags.products)
        let page = try await context.catalog.list(
            filter: filter, first: arguments.int("first"), after: arguments.string("after"), viewer: context.principal)
        return ProductConnection(page)
    }

    /// `Seller.products`: the catalog's list filtered by the seller, with its visibility rules.
    @Sendable static func sellerProducts(_ seller: SellerReference, arguments: FieldArguments, context: CatalogContext) async throws -> ProductConnection {
        context.responseTags.add(CatalogCacheTags.products)
        let page = try await context.catalog.list(
            filter: ProductFilter(sellerID: seller.id.value), first: arguments.int("first"), after: arguments.string("after"), viewer: context.principal)
        return ProductConnection(page)
    }

    /// `_entities` for shops: any id is a shop to the catalog (one without products has none).
    @Sendable static func sellerEntities(_ representations: [Map], context _: CatalogContext) async throws -> [OutputValue] {
        representations.map { representation in
            representation["id"].string.map { SellerReference(id: GraphID($0)) }.outputValue
        }
    }

    @Sendable static func searchProducts(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> ProductConnection {
        if let admission = context.searchAdmission {
            try await admission.admit(clientKey: context.clientKey) { context.responseHeaders.set($0, $1) }
        }
        context.responseTags.add(CatalogCacheTags.products)
        let page = try await context.catalog.search(
            text: try arguments.requiredString("query"), first: arguments.int("first"), after: arguments.string("after"),
            viewer: context.principal)
        return ProductConnection(page)
    }

    @Sendable static func categories(_: RootValue, arguments _: FieldArguments, context: CatalogContext) async throws -> [Category] {
        try await context.catalog.categories.all()
    }

    @Sendable static func category(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Category? {
        let id = try CategoryID(parsing: try arguments.requiredString("id"), field: "id")
        guard let category = try await context.categories.loadMany([id])[id] else {
            throw EmporiumError.notFound("no category with id \(id)")
        }
        return category
    }

    // MARK: Federation

    /// `_entities` for products, a batch at a time: one DataLoader batch, null for malformed,
    /// unknown or invisible ids. Tagged even when null: publishing the product invalidates the
    /// answer that hid it.
    @Sendable static func productEntities(_ representations: [Map], context: CatalogContext) async throws -> [OutputValue] {
        let ids = representations.map { $0["id"].string.flatMap { try? ProductID(parsing: $0) } }
        for id in ids.compactMap({ $0 }) { context.responseTags.add(CatalogCacheTags.product(id)) }
        let found = try await context.products.loadMany(ids.compactMap { $0 })
        return ids.map { id in
            guard let id, let product = found[id], context.catalog.isVisible(product, to: context.principal) else { return .null }
            return product.outputValue
        }
    }

    @Sendable static func categoryEntities(_ representations: [Map], context: CatalogContext) async throws -> [OutputValue] {
        let ids = representations.map { $0["id"].string.flatMap { try? CategoryID(parsing: $0) } }
        let found = try await context.categories.loadMany(ids.compactMap { $0 })
        return ids.map { id in id.flatMap { found[$0] }.outputValue }
    }

    // MARK: Mutations

    @Sendable static func createProduct(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Product {
        guard let input = try arguments.decode(CreateProductInput.self, "input") else { throw FieldArgumentError(argument: "input") }
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

    @Sendable static func updateProduct(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Product {
        let id = try ProductID(parsing: try arguments.requiredString("id"), field: "id")
        guard let input = try arguments.decode(UpdateProductInput.self, "input") else { throw FieldArgumentError(argument: "input") }
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
        return try await context.catalog.updateProduct(
            id: id, expectedVersion: try arguments.requiredInt("expectedVersion"), changes: fields, by: context.principal)
    }

    @Sendable static func publishProduct(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Product {
        let id = try ProductID(parsing: try arguments.requiredString("id"), field: "id")
        let publishAt = try arguments.decode(DateTime.self, "publishAt")
        return try await context.catalog.publishProduct(
            id: id, expectedVersion: arguments.int("expectedVersion"), publishAt: publishAt?.date, by: context.principal)
    }

    @Sendable static func cancelScheduledPublication(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Product {
        let id = try ProductID(parsing: try arguments.requiredString("id"), field: "id")
        return try await context.catalog.cancelScheduledPublication(id: id, expectedVersion: arguments.int("expectedVersion"), by: context.principal)
    }

    @Sendable static func archiveProduct(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Product {
        let id = try ProductID(parsing: try arguments.requiredString("id"), field: "id")
        return try await context.catalog.archiveProduct(id: id, expectedVersion: arguments.int("expectedVersion"), by: context.principal)
    }

    @Sendable static func createCategory(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Category {
        guard let input = try arguments.decode(CreateCategoryInput.self, "input") else { throw FieldArgumentError(argument: "input") }
        return try await context.catalog.createCategory(name: input.name, slug: input.slug, parentID: input.parentId?.value, by: context.principal)
    }

    // MARK: Helpers

    private static func compareAt(_ compareAt: MoneyInput?, price: MoneyInput) throws -> Int64? {
        guard let compareAt else { return nil }
        guard compareAt.currency.uppercased() == price.currency.uppercased() else {
            throw EmporiumError.badInput("the compare-at price must be in the price's currency", field: "input.compareAtPrice.currency")
        }
        return Int64(compareAt.amount)
    }
}
