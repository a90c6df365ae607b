import Contracts
import EmporiumCore
import Messaging

/// Inventory's response-cache tags (see `ResponseTags`): a product's stock, invalidated by every
/// `StockChanged` (and the other stock events) once the movement has committed.
public enum InventoryCacheTags {
    public static func stock(_ id: ProductID) -> String { "stock:\(id)" }

    /// How long answers may be kept at most, by query root field.
    public static let maxAges: [String: Duration] = ["stock": .seconds(60)]

    /// The tags an event from inventory's outbox invalidates.
    public static func invalidated(by event: EventEnvelope) -> [String] {
        guard event.topic == Topics.inventoryStock else { return [] }
        return ["stock:\(event.aggregateID)"]
    }
}
