import Graphiti
import GraphQLSupport

/// The catalog subgraph: its executable schema (Graphiti) and its federation SDL (by hand; a test
/// proves the two agree).
public enum CatalogSchema {
    public static func build(sdl: String = CatalogSchema.sdl) throws -> Schema<CatalogResolver, CatalogContext> {
        let schema = try SchemaBuilder(CatalogResolver.self, CatalogContext.self)
            .setFederatedSDL(to: sdl)
            .add {
                Scalar(GraphID.self, as: "ID")
                Scalar(DateTime.self, as: "DateTime")
                Enum(ProductStatusValue.self, as: "ProductStatus") {
                    Value(.DRAFT)
                    Value(.SCHEDULED)
                    Value(.PUBLISHED)
                    Value(.ARCHIVED)
                }

                Type(MoneyView.self, as: "Money") {
                    Field("amount", at: \.amount)
                    Field("currency", at: \.currency)
                    Field("formatted", at: \.formatted)
                }
                Type(ProductAttribute.self) {
                    Field("key", at: \.key)
                    Field("value", at: \.value)
                }
                Type(Category.self) {
                    Field("id", at: \.graphID)
                    Field("parentId", at: \.parentGraphID)
                    Field("slug", at: \.slugText)
                    Field("name", at: \.name)
                    Field("parent", at: Category.parent)
                    Field("children", at: Category.children)
                }.key(at: CatalogResolver.categoryEntity) {
                    Argument("id", at: \.id)
                }
                Type(Product.self) {
                    Field("id", at: \.graphID)
                    Field("sellerId", at: \.sellerGraphID)
                    Field("title", at: \.title)
                    Field("slug", at: \.slugText)
                    Field("description", at: \.description)
                    Field("price", at: \.priceView)
                    Field("compareAtPrice", at: \.compareAtPriceView)
                    Field("category", at: Product.category)
                    Field("attributes", at: \.attributes)
                    Field("imageUrls", at: \.imageURLs)
                    Field("status", at: \.statusValue)
                    Field("publishAt", at: \.publishAtValue)
                    Field("createdAt", at: \.createdAtValue)
                    Field("updatedAt", at: \.updatedAtValue)
                    Field("version", at: \.version)
                }.key(at: CatalogResolver.productEntity) {
                    Argument("id", at: \.id)
                }
                Type(ProductEdge.self) {
                    Field("cursor", at: \.cursor)
                    Field("node", at: \.node)
                }
                Type(PageInfoView.self, as: "PageInfo") {
                    Field("hasNextPage", at: \.hasNextPage)
                    Field("endCursor", at: \.endCursor)
                }
                Type(ProductConnection.self) {
                    Field("edges", at: \.edges)
                    Field("nodes", at: \.nodes)
                    Field("pageInfo", at: \.pageInfo)
                }

                Input(MoneyInput.self) {
                    InputField("amount", at: \.amount)
                    InputField("currency", at: \.currency)
                }
                Input(AttributeInput.self) {
                    InputField("key", at: \.key)
                    InputField("value", at: \.value)
                }
                Input(ProductFilterInput.self, as: "ProductFilter") {
                    InputField("categoryId", at: \.categoryId)
                    InputField("sellerId", at: \.sellerId)
                    InputField("minPrice", at: \.minPrice)
                    InputField("maxPrice", at: \.maxPrice)
                    InputField("currency", at: \.currency)
                    InputField("statuses", at: \.statuses)
                }
                Input(CreateProductInput.self) {
                    InputField("title", at: \.title)
                    InputField("description", at: \.description)
                    InputField("price", at: \.price)
                    InputField("compareAtPrice", at: \.compareAtPrice)
                    InputField("categoryId", at: \.categoryId)
                    InputField("attributes", at: \.attributes)
                    InputField("imageUrls", at: \.imageUrls)
                    InputField("sellerId", at: \.sellerId)
                }
                Input(UpdateProductInput.self) {
                    InputField("title", at: \.title)
                    InputField("description", at: \.description)
                    InputField("price", at: \.price)
                    InputField("compareAtPrice", at: \.compareAtPrice)
                    InputField("removeCompareAtPrice", at: \.removeCompareAtPrice)
                    InputField("categoryId", at: \.categoryId)
                    InputField("removeCategory", at: \.removeCategory)
                    InputField("attributes", at: \.attributes)
                    InputField("imageUrls", at: \.imageUrls)
                }
                Input(CreateCategoryInput.self) {
                    InputField("name", at: \.name)
                    InputField("slug", at: \.slug)
                    InputField("parentId", at: \.parentId)
                }
            }
            .addQuery {
                Field("product", at: CatalogResolver.product) { Argument("id", at: \.id) }
                Field("productBySlug", at: CatalogResolver.productBySlug) { Argument("slug", at: \.slug) }
                Field("products", at: CatalogResolver.products) {
                    Argument("filter", at: \.filter)
                    Argument("first", at: \.first)
                    Argument("after", at: \.after)
                }
                Field("searchProducts", at: CatalogResolver.searchProducts) {
                    Argument("query", at: \.query)
                    Argument("first", at: \.first)
                    Argument("after", at: \.after)
                }
                Field("categories", at: CatalogResolver.categories)
                Field("category", at: CatalogResolver.category) { Argument("id", at: \.id) }
            }
            .addMutation {
                Field("createProduct", at: CatalogResolver.createProduct) { Argument("input", at: \.input) }
                Field("updateProduct", at: CatalogResolver.updateProduct) {
                    Argument("id", at: \.id)
                    Argument("expectedVersion", at: \.expectedVersion)
                    Argument("input", at: \.input)
                }
                Field("publishProduct", at: CatalogResolver.publishProduct) {
                    Argument("id", at: \.id)
                    Argument("expectedVersion", at: \.expectedVersion)
                    Argument("publishAt", at: \.publishAt)
                }
                Field("archiveProduct", at: CatalogResolver.archiveProduct) {
                    Argument("id", at: \.id)
                    Argument("expectedVersion", at: \.expectedVersion)
                }
                Field("createCategory", at: CatalogResolver.createCategory) { Argument("input", at: \.input) }
            }
            .build()
        try EntityBatches<CatalogContext>([
            "Product": CatalogResolver.productEntities, "Category": CatalogResolver.categoryEntities,
        ]).install(in: schema)
        return schema
    }
}
