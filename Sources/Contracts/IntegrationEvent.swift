import Foundation

/// A fact one service publishes for others: past tense, self-contained, versioned.
///
/// Payloads use plain types (strings, integers, dates) rather than Emporium's domain types, so
/// the JSON on the wire is the contract — a consumer written in another language reads it
/// without Emporium's code. A breaking change gets a new `schemaVersion` (and, if old consumers
/// must keep working, a new topic version); adding an optional field does not.
public protocol IntegrationEvent: Codable, Sendable, Equatable {
    /// Stable name on the wire, e.g. `ProductCreated`.
    static var eventType: String { get }
    static var schemaVersion: Int { get }
    /// The topic of the aggregate this event belongs to.
    static var topic: String { get }
    /// The aggregate the event is about; the Kafka message key, so one aggregate's events stay
    /// in order on one partition.
    var aggregateID: String { get }
}

/// Topic names, one per aggregate type; the suffix is the topic's contract version.
public enum Topics {
    public static let catalogProduct = "catalog.product.v1"
    /// Product views counted at the edge, batched.
    public static let catalogViews = "catalog.views.v1"
    /// Exports the catalog finished: keyed by export id.
    public static let catalogExport = "catalog.export.v1"
    public static let inventoryStock = "inventory.stock.v1"
    /// Inventory's answers to orders: keyed by order id.
    public static let inventoryReservation = "inventory.reservation.v1"
    public static let usersAccount = "users.account.v1"
    public static let ordersOrder = "orders.order.v1"
}
