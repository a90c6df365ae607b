import EmporiumCore
import Foundation

public struct WarehouseID: EntityID {
    public let uuid: UUID
    public init(uuid: UUID) { self.uuid = uuid }
    public static var entityName: String { "warehouse" }
}

public struct ReservationID: EntityID {
    public let uuid: UUID
    public init(uuid: UUID) { self.uuid = uuid }
    public static var entityName: String { "reservation" }
}
