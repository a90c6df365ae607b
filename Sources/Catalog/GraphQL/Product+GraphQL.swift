import EmporiumCore
import Graphiti
import GraphQLSupport

/// The GraphQL face of ``Product``: computed fields and the lookups that go through the
/// request's DataLoaders.
extension Product {
    var graphID: GraphID { GraphID(id) }
    var sellerGraphID: GraphID { GraphID(sellerID.rawValue) }
    var slugText: String { slug.rawValue }
    var priceView: MoneyView { MoneyView(price) }
    var compareAtPriceView: MoneyView? { compareAtPrice.map(MoneyView.init) }
    var statusValue: ProductStatusValue { ProductStatusValue(status) }
    var publishAtValue: DateTime? { publishAt.map(DateTime.init) }
    var createdAtValue: DateTime { DateTime(createdAt) }
    var updatedAtValue: DateTime { DateTime(updatedAt) }

    @Sendable func category(context: CatalogContext, arguments: NoArguments) async throws -> Category? {
        guard let categoryID else { return nil }
        return try await context.categories.load(categoryID)
    }
}

extension Category {
    var graphID: GraphID { GraphID(id) }
    var parentGraphID: GraphID? { parentID.map(GraphID.init) }
    var slugText: String { slug.rawValue }

    @Sendable func parent(context: CatalogContext, arguments: NoArguments) async throws -> Category? {
        guard let parentID else { return nil }
        return try await context.categories.load(parentID)
    }

    @Sendable func children(context: CatalogContext, arguments: NoArguments) async throws -> [Category] {
        try await context.children.load(id) ?? []
    }
}
