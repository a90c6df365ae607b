import EmporiumCore
import Foundation

public struct OrderID: EntityID {
    public let uuid: UUID
    public init(uuid: UUID) { self.uuid = uuid }
    public static var entityName: String { "order" }
}

public struct SellerOrderID: EntityID {
    public let uuid: UUID
    public init(uuid: UUID) { self.uuid = uuid }
    public static var entityName: String { "seller order" }
}
