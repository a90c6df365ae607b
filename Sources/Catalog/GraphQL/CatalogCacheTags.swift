import Contracts
import EmporiumCore
import Messaging

/// The catalog's response-cache tags (see `ResponseTags`): resolvers add them for what they
/// read, and every product event invalidates them once its change has committed.
public enum CatalogCacheTags {
    /// One product, whatever answer showed it (by id, by slug, as an entity).
    public static func product(_ id: ProductID) -> String { "product:\(id)" }
    /// Any list or search of products: any product change may reorder, add or remove entries.
    public static let products = "products"

    /// How long answers may be kept at most, by query root field. Lists and searches are short:
    /// any product change reorders them (a scheduled product's publication job publishes
    /// `ProductPublished` at its time, which invalidates like any change). Stock does not pass
    /// through the catalog's outbox: a search filtered by `inStock` may be 10 s behind it.
    public static let maxAges: [String: Duration] = [
        "product": .seconds(60), "productBySlug": .seconds(60),
        "products": .seconds(10), "searchProducts": .seconds(10), "search": .seconds(10), "searchSuggestions": .seconds(10),
    ]

    /// The tags an event from the catalog's outbox invalidates.
    public static func invalidated(by event: EventEnvelope) -> [String] {
        guard event.topic == Topics.catalogProduct else { return [] }
        return ["product:\(event.aggregateID)", products]
    }
}
