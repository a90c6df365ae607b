import EmporiumCore
import Foundation

/// A place that holds stock. Codes are short, upper case and unique (`DEFAULT`, `MSK-1`).
public struct Warehouse: Sendable, Equatable {
    public let id: WarehouseID
    public let code: String
    public let name: String

    public init(id: WarehouseID, code: String, name: String) {
        self.id = id
        self.code = code
        self.name = name
    }

    /// The warehouse the first migration seeds. New products open their stock record here, and
    /// commands that name no warehouse use it; its id never changes, so other services may rely on it.
    public static let defaultID = WarehouseID(uuid: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!)
}
