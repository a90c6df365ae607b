import EmporiumCore
import GraphQLExecution
import GraphQLSupport
import Jobs

/// The catalog subgraph: its SDL (``sdl``, the one description of its shape) and the resolvers
/// of every field, executed by our engine. Fields read from a value at hand resolve at once;
/// the ones that load (a product's category, a category's children) are batch resolvers, one
/// query per level of the answer.
public enum CatalogSchema {
    public static func build(sdl: String = CatalogSchema.sdl) throws -> ExecutableSchema<CatalogContext> {
        var resolvers = SchemaResolvers<CatalogContext>()
        resolvers.object("Money", MoneyView.self) { type in
            type.field("amount") { $0.amount }
            type.field("currency") { $0.currency }
            type.field("formatted") { $0.formatted }
        }
        resolvers.object("ProductAttribute", ProductAttribute.self) { type in
            type.field("key") { $0.key }
            type.field("value") { $0.value }
        }
        resolvers.object("Category", Category.self) { type in
            type.field("id") { $0.graphID }
            type.field("parentId") { $0.parentGraphID }
            type.field("slug") { $0.slugText }
            type.field("name") { $0.name }
            type.field("parent", batch: Category.parents)
            type.field("children", batch: Category.children)
            type.field("productCount", batch: Category.productCounts)
        }
        resolvers.object("Seller", SellerReference.self) { type in
            type.field("id") { $0.id }
            type.field("products", async: CatalogResolver.sellerProducts)
        }
        resolvers.object("Product", Product.self) { type in
            type.field("id") { $0.graphID }
            type.field("sellerId") { $0.sellerGraphID }
            type.field("seller") { SellerReference(id: $0.sellerGraphID) }
            type.field("title") { $0.title }
            type.field("slug") { $0.slugText }
            type.field("description") { $0.description }
            type.field("price") { $0.priceView }
            type.field("compareAtPrice") { $0.compareAtPriceView }
            type.field("category", batch: Product.categories)
            type.field("attributes") { $0.attributes }
            type.field("imageUrls", batch: Product.imageURLList)
            type.field("images", batch: Product.images)
            type.field("status") { $0.statusValue }
            type.field("publishAt") { $0.publishAtValue }
            type.field("createdAt") { $0.createdAtValue }
            type.field("updatedAt") { $0.updatedAtValue }
            type.field("version") { $0.version }
            type.field("salesCount", batch: Product.salesCounts)
            type.field("viewCount", batch: Product.viewCounts)
            type.field("scheduledPublication", batch: Product.scheduledPublications)
            type.field("discounts", batch: Product.discounts)
        }
        resolvers.object("ProductEdge", ProductEdge.self) { type in
            type.field("cursor") { $0.cursor }
            type.field("node") { $0.node }
        }
        resolvers.object("PageInfo", PageInfoView.self) { type in
            type.field("hasNextPage") { $0.hasNextPage }
            type.field("endCursor") { $0.endCursor }
        }
        resolvers.object("ProductConnection", ProductConnection.self) { type in
            type.field("edges") { $0.edges }
            type.field("nodes") { $0.nodes }
            type.field("pageInfo") { $0.pageInfo }
        }
        resolvers.object("SearchResult", SearchResultView.self) { type in
            type.field("products") { $0.products }
            type.field("correctedQuery") { $0.result.correctedQuery }
            type.field("totalCount", async: SearchResultView.totalCount)
            type.field("facets", async: SearchResultView.facets)
        }
        resolvers.object("SearchFacets", SearchFacetsView.self) { type in
            type.field("exact") { $0.facets.exact }
            type.field("categories", async: SearchFacetsView.categories)
            type.field("prices") { $0.facets.prices }
        }
        resolvers.object("CategoryFacet", CategoryFacetView.self) { type in
            type.field("category") { $0.category }
            type.field("count") { $0.count }
        }
        resolvers.object("PriceFacet", SearchFacets.PriceBandCount.self) { type in
            type.field("currency") { $0.band.currency.code }
            type.field("min") { Int($0.band.lower) }
            type.field("max") { $0.band.upper.map { Int($0) } }
            type.field("count") { $0.count }
        }
        resolvers.object("SearchSuggestion", SuggestionView.self) { type in
            type.field("kind") { $0.kind }
            type.field("text") { $0.suggestion.text }
            type.field("category", batch: SuggestionView.categories)
            type.field("product", batch: SuggestionView.products)
        }
        resolvers.object("SearchSynonyms", SearchSynonyms.self) { type in
            type.field("term") { $0.term }
            type.field("synonyms") { $0.synonyms }
            type.field("updatedAt") { DateTime($0.updatedAt) }
        }
        resolvers.object("ExportJob", ExportJobView.self) { type in
            type.field("id") { GraphID($0.idText) }
            type.field("format") { $0.formatValue }
            type.field("state") { $0.stateValue }
            type.field("progress") { $0.export.progress }
            type.field("rowCount") { $0.export.rowCount }
            type.field("downloadUrl") { $0.downloadPath }
            type.field("error") { $0.export.error }
            type.field("createdAt") { DateTime($0.export.createdAt) }
            type.field("finishedAt") { $0.export.finishedAt.map(DateTime.init) }
        }
        resolvers.object("ProductImage", ProductImage.self) { type in
            type.field("id") { GraphID($0.idText) }
            type.field("state") { $0.stateValue }
            type.field("width") { $0.width }
            type.field("height") { $0.height }
            type.field("error") { $0.error }
            type.field("url") { image, arguments, _ in image.url(arguments) }
            type.field("createdAt") { DateTime($0.createdAt) }
        }
        resolvers.object("Discount", Discount.self) { type in
            type.field("id") { GraphID($0.idText) }
            type.field("productId") { GraphID($0.productIDText) }
            type.field("percent") { $0.percentOff }
            type.field("price") { $0.fixedPrice.map(MoneyView.init) }
            type.field("startsAt") { DateTime($0.startsAt) }
            type.field("endsAt") { DateTime($0.endsAt) }
            type.field("state") { DiscountStateValue(rawValue: $0.state.rawValue.uppercased()) }
            type.field("note") { $0.note }
        }
        resolvers.object("ScheduledPublication", ScheduledPublicationView.self) { type in
            type.field("publishAt") { DateTime($0.publishAt) }
            type.field("job") { $0.job }
        }
        resolvers.object("CatalogJob", JobRecord.self) { type in
            type.field("id") { GraphID(String($0.id)) }
            type.field("kind") { $0.kind }
            type.field("queue") { $0.queue }
            type.field("state") { JobStateValue(rawValue: $0.state.rawValue.uppercased()) }
            type.field("attempts") { $0.attempts }
            type.field("maxAttempts") { $0.maxAttempts }
            type.field("runAt") { DateTime($0.runAt) }
            type.field("progress") { $0.progress }
            type.field("progressMessage") { $0.progressMessage }
            type.field("lastError") { $0.lastError }
            type.field("payload") { $0.payload }
            type.field("createdAt") { DateTime($0.createdAt) }
            type.field("finishedAt") { $0.finishedAt.map(DateTime.init) }
        }
        resolvers.query { query in
            query.field("catalogJobs", async: CatalogJobsResolver.jobs)
            query.field("exportJob", async: CatalogResolver.exportJob)
            query.field("product", async: CatalogResolver.product)
            query.field("productBySlug", async: CatalogResolver.productBySlug)
            query.field("products", async: CatalogResolver.products)
            query.field("searchProducts", async: CatalogResolver.searchProducts)
            query.field("search", async: CatalogResolver.search)
            query.field("searchSuggestions", async: CatalogResolver.searchSuggestions)
            query.field("searchSynonyms", async: CatalogResolver.searchSynonyms)
            query.field("categories", async: CatalogResolver.categories)
            query.field("category", async: CatalogResolver.category)
        }
        resolvers.mutation { mutation in
            mutation.field("createProduct", async: CatalogResolver.createProduct)
            mutation.field("updateProduct", async: CatalogResolver.updateProduct)
            mutation.field("publishProduct", async: CatalogResolver.publishProduct)
            mutation.field("cancelScheduledPublication", async: CatalogResolver.cancelScheduledPublication)
            mutation.field("scheduleDiscount", async: CatalogResolver.scheduleDiscount)
            mutation.field("exportProducts", async: CatalogResolver.exportProducts)
            mutation.field("cancelDiscount", async: CatalogResolver.cancelDiscount)
            mutation.field("retryCatalogJob", async: CatalogJobsResolver.retry)
            mutation.field("cancelCatalogJob", async: CatalogJobsResolver.cancel)
            mutation.field("removeProductImage", async: CatalogResolver.removeProductImage)
            mutation.field("archiveProduct", async: CatalogResolver.archiveProduct)
            mutation.field("createCategory", async: CatalogResolver.createCategory)
            mutation.field("setSearchSynonyms", async: CatalogResolver.setSearchSynonyms)
        }
        let federation = Federation<CatalogContext>(entities: [
            "Product": CatalogResolver.productEntities, "Category": CatalogResolver.categoryEntities,
            "Seller": CatalogResolver.sellerEntities,
        ])
        return try ExecutableSchema(sdl: sdl, federation: federation, resolvers: resolvers)
    }
}
