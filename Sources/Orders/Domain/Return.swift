import EmporiumCore
import Foundation

public struct ReturnID: EntityID {
    public let uuid: UUID
    public init(uuid: UUID) { self.uuid = uuid }
    public static var entityName: String { "return" }
}

public enum ReturnStatus: String, Sendable, CaseIterable {
    case requested = "REQUESTED"
    /// Refunded through the payment provider; inventory restocks the units.
    case approved = "APPROVED"
    case refused = "REFUSED"
}

/// Units of one product to send back, at the price paid.
public struct ReturnLine: Sendable, Equatable {
    public let productID: ProductID
    public let quantity: Int
    public let unitPrice: Money
}

/// A buyer's request to send back part of one seller's delivery, and the seller's decision.
public struct ReturnRequest: Sendable, Equatable {
    public let id: ReturnID
    public let orderID: OrderID
    public let sellerOrderID: SellerOrderID
    public let buyerID: UserID
    public let sellerID: UserID
    public var status: ReturnStatus
    public let reason: String
    public var decisionNote: String?
    public let lines: [ReturnLine]
    public let amount: Money
    public var refundID: String?
    public let createdAt: Date
    public var decidedAt: Date?
}

/// The return rules, apart from storage.
public enum ReturnRules {
    /// Returns are open this long after delivery.
    public static let window: TimeInterval = 14 * 24 * 3600

    /// Checks a request against the seller order it names and what was returned before; returns
    /// the lines at the prices paid.
    public static func lines(
        _ requested: [(ProductID, Int)], of part: SellerOrder, alreadyReturned: [ProductID: Int], now: Date
    ) throws -> [ReturnLine] {
        guard part.status == .delivered, let delivered = part.deliveredAt else {
            throw EmporiumError(.conflict, "a return can be asked for once the seller's part is delivered (it is \(part.status.rawValue))")
        }
        guard now.timeIntervalSince(delivered) <= window else {
            throw EmporiumError(.conflict, "returns are open for 14 days after delivery; this part was delivered on \(delivered.formatted(.iso8601))")
        }
        guard !requested.isEmpty else { throw EmporiumError.badInput("a return needs at least one line", field: "lines") }
        guard requested.count <= OrderRules.maximumCartLines else { throw EmporiumError.badInput("too many lines", field: "lines") }
        var merged: [ProductID: Int] = [:]
        for (index, (product, quantity)) in requested.enumerated() {
            merged[product, default: 0] += try OrderRules.quantity(quantity, field: "lines[\(index)].quantity")
        }
        return try merged.keys.sorted().map { product in
            guard let line = part.lines.first(where: { $0.productID == product }) else {
                throw EmporiumError.badInput("product \(product) is not in this seller's part of the order", field: "lines")
            }
            let open = line.quantity - alreadyReturned[product, default: 0]
            guard merged[product]! <= open else {
                throw EmporiumError.badInput("only \(open) of product \(product) can still be returned (\(merged[product]!) asked)", field: "lines")
            }
            return ReturnLine(productID: product, quantity: merged[product]!, unitPrice: line.unitPrice)
        }
    }
}
