import Contracts
import EmporiumCore
import Foundation

/// The integration events a product change announces, derived from the product before and after
/// the change, so that every path that writes a product (GraphQL, seeding, a future job) announces
/// the same facts. Written to the outbox in the transaction of the change.
public enum ProductEvents {
    /// - `previous == nil`: `ProductCreated`.
    /// - Otherwise, in this order: `ProductUpdated` when any field changed (with their names),
    ///   `PriceChanged` when the price did, `ProductPublicationScheduled` on entering `scheduled`
    ///   (or a new time while scheduled), `ProductPublished` on entering `published` (at once, or
    ///   by the publication job at the scheduled time), `ProductArchived` on entering `archived`.
    public static func events(from previous: Product?, to product: Product) -> [any IntegrationEvent] {
        let snapshot = snapshot(of: product)
        guard let previous else { return [ProductCreated(product: snapshot)] }
        var events: [any IntegrationEvent] = []
        let changed = changedFields(previous, product)
        if !changed.isEmpty { events.append(ProductUpdated(product: snapshot, changedFields: changed)) }
        if previous.price != product.price {
            events.append(PriceChanged(productId: snapshot.productId, previousPrice: money(previous.price), price: snapshot.price, version: product.version))
        }
        if previous.status != product.status || (product.status == .scheduled && previous.publishAt != product.publishAt) {
            switch product.status {
            case .scheduled:
                events.append(ProductPublicationScheduled(product: snapshot, publishAt: product.publishAt ?? product.updatedAt))
            case .published:
                events.append(ProductPublished(product: snapshot, publishAt: product.publishAt ?? product.updatedAt))
            case .archived:
                events.append(ProductArchived(product: snapshot))
            case .draft:
                break
            }
        }
        return events
    }

    /// Envelopes for `events`, all stamped with the product's `updatedAt`.
    public static func envelopes(from previous: Product?, to product: Product, correlationID: String? = nil) throws -> [EventEnvelope] {
        try events(from: previous, to: product).map { try EventEnvelope($0, occurredAt: product.updatedAt, correlationID: correlationID) }
    }

    static func snapshot(of product: Product) -> ProductSnapshot {
        ProductSnapshot(
            productId: product.id.description, sellerId: product.sellerID.rawValue, title: product.title,
            slug: product.slug.rawValue, price: money(product.price), status: product.status.rawValue.uppercased(),
            categoryId: product.categoryID?.description, version: product.version)
    }

    static func money(_ money: EmporiumCore.Money) -> MoneyValue {
        MoneyValue(amount: money.amount, currency: money.currency.code)
    }

    /// GraphQL field names whose values differ (status is reported by its own events).
    static func changedFields(_ a: Product, _ b: Product) -> [String] {
        var fields: [String] = []
        if a.title != b.title { fields.append("title") }
        if a.slug != b.slug { fields.append("slug") }
        if a.description != b.description { fields.append("description") }
        if a.price != b.price { fields.append("price") }
        if a.compareAtPrice != b.compareAtPrice { fields.append("compareAtPrice") }
        if a.categoryID != b.categoryID { fields.append("category") }
        if a.attributes != b.attributes { fields.append("attributes") }
        if a.imageURLs != b.imageURLs { fields.append("imageUrls") }
        if a.publishAt != b.publishAt, a.status == b.status { fields.append("publishAt") }
        return fields
    }
}
