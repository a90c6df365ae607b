import EmporiumCore
import GraphQLExecution
import GraphQLSupport

/// The GraphQL face of ``Product``: computed fields, and the lookups that load a whole level of
/// the answer at once through the request's DataLoaders.
extension Product: GraphQLObject {
    var graphID: GraphID { GraphID(id) }
    var sellerGraphID: GraphID { GraphID(sellerID.rawValue) }
    var slugText: String { slug.rawValue }
    var priceView: MoneyView { MoneyView(price) }
    var compareAtPriceView: MoneyView? { compareAtPrice.map(MoneyView.init) }
    var statusValue: ProductStatusValue { ProductStatusValue(status) }
    var publishAtValue: DateTime? { publishAt.map(DateTime.init) }
    var createdAtValue: DateTime { DateTime(createdAt) }
    var updatedAtValue: DateTime { DateTime(updatedAt) }

    /// The categories of a level's products, in one batch.
    @Sendable static func categories(_ products: [Product], _: FieldArguments, context: CatalogContext) async throws -> [Category?] {
        let found = try await context.categories.loadMany(products.compactMap(\.categoryID))
        return products.map { $0.categoryID.flatMap { found[$0] } }
    }

    /// Counters of a level's products, one query (GraphQL's Int is 32-bit: clamped).
    @Sendable static func salesCounts(_ products: [Product], _: FieldArguments, context: CatalogContext) async throws -> [Int] {
        let found = try await context.counters.loadMany(products.map(\.id))
        return products.map { Int(clamping: min(found[$0.id]?.sales ?? 0, Int64(Int32.max))) }
    }

    @Sendable static func viewCounts(_ products: [Product], _: FieldArguments, context: CatalogContext) async throws -> [Int] {
        let found = try await context.counters.loadMany(products.map(\.id))
        return products.map { Int(clamping: min(found[$0.id]?.views ?? 0, Int64(Int32.max))) }
    }
}

extension Category: GraphQLObject {
    var graphID: GraphID { GraphID(id) }
    var parentGraphID: GraphID? { parentID.map(GraphID.init) }
    var slugText: String { slug.rawValue }

    @Sendable static func parents(_ categories: [Category], _: FieldArguments, context: CatalogContext) async throws -> [Category?] {
        let found = try await context.categories.loadMany(categories.compactMap(\.parentID))
        return categories.map { $0.parentID.flatMap { found[$0] } }
    }

    @Sendable static func children(_ categories: [Category], _: FieldArguments, context: CatalogContext) async throws -> [[Category]] {
        let found = try await context.children.loadMany(categories.map(\.id))
        return categories.map { found[$0.id] ?? [] }
    }

    @Sendable static func productCounts(_ categories: [Category], _: FieldArguments, context: CatalogContext) async throws -> [Int] {
        let found = try await context.categoryCounts.loadMany(categories.map(\.id))
        return categories.map { Int(clamping: min(found[$0.id] ?? 0, Int64(Int32.max))) }
    }
}

/// A reference to a shop for the gateway to resolve in the users service (`Seller.id` is the
/// seller's user id).
struct SellerReference: Sendable, GraphQLObject {
    let id: GraphID
}
