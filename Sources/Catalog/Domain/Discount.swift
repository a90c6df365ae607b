import EmporiumCore
import Foundation

/// A price reduction for a time: the price changes when it starts and returns when it ends.
public struct Discount: Sendable, Equatable {
    public enum State: String, Sendable {
        case scheduled, active, ended, cancelled
    }

    /// How the discounted price is found: a percentage off the regular price, or a fixed price.
    public enum Terms: Sendable, Equatable {
        case percent(Int)
        case price(Money)
    }

    public let id: UUID
    public let productID: ProductID
    public let terms: Terms
    public let startsAt: Date
    public let endsAt: Date
    public var state: State
    /// Why a discount ended without running, or ended early.
    public var note: String?

    /// The price while it runs, from the regular one; nil when that would not lower it (the
    /// seller lowered the regular price below a fixed discount price meanwhile).
    public func price(from regular: Money) -> Money? {
        let amount: Int64 = switch terms {
        case .percent(let percent):
            // Split so that no product of two large numbers can overflow; rounded down.
            (regular.amount / 100) * Int64(100 - percent) + (regular.amount % 100) * Int64(100 - percent) / 100
        case .price(let price): price.amount
        }
        return amount < regular.amount ? Money(amount: amount, currency: regular.currency) : nil
    }
}

/// What a seller may ask for: exactly one of percent (1–99) or price (below the current price,
/// in its currency); an end after the start and in the future; at most a year long.
public enum DiscountRules {
    public static let longest: TimeInterval = 366 * 86_400

    public static func terms(percent: Int?, price: (amount: Int64, currency: String)?, current: Money) throws -> Discount.Terms {
        switch (percent, price) {
        case (let percent?, nil):
            guard (1...99).contains(percent) else { throw EmporiumError.badInput("a discount is 1 to 99 percent", field: "input.percent") }
            return .percent(percent)
        case (nil, let price?):
            let money = try Money.price(amount: price.amount, currency: price.currency, field: "input.price")
            guard money.currency == current.currency else {
                throw EmporiumError.badInput("the discount price must be in the product's currency (\(current.currency.code))", field: "input.price.currency")
            }
            guard money.amount < current.amount else {
                throw EmporiumError.badInput("the discount price must be below the current price", field: "input.price.amount")
            }
            return .price(money)
        default:
            throw EmporiumError.badInput("give either percent or price, not both", field: "input")
        }
    }

    /// The window, with a start in the past meaning "now".
    public static func window(startsAt: Date, endsAt: Date, now: Date) throws -> (Date, Date) {
        let start = max(startsAt, now)
        guard endsAt > start else { throw EmporiumError.badInput("a discount must end after it starts and in the future", field: "input.endsAt") }
        guard endsAt.timeIntervalSince(start) <= longest else {
            throw EmporiumError.badInput("a discount lasts at most 366 days", field: "input.endsAt")
        }
        return (start, endsAt)
    }
}

/// Discounts kept with the products they change.
public protocol DiscountStore: Sendable {
    /// Schedules `discount` (state `scheduled`) with its two jobs; `CONFLICT` when it overlaps
    /// another scheduled or running discount of the product.
    func schedule(_ discount: Discount, at now: Date) async throws -> Discount
    /// Cancels a scheduled discount, or ends a running one now (the regular price returns).
    func cancel(_ id: UUID, at now: Date) async throws -> Discount
    func discount(id: UUID) async throws -> Discount?
    /// Each product's discounts, newest start first (at most 20 each).
    func discounts(of products: [ProductID]) async throws -> [ProductID: [Discount]]
}
