/// An amount of money in minor units (cents, kopecks) of one currency.
///
/// Integers, never floating point: prices must add up exactly.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    public let amount: Int64
    public let currency: Currency

    /// The largest amount accepted: 2^31 − 1 minor units, because GraphQL's `Int` is 32-bit
    /// (21,474,836.47 in a two-decimal currency; see docs/catalog.md).
    public static let maximumAmount: Int64 = Int64(Int32.max)

    public init(amount: Int64, currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    /// Validates a price from user input: non-negative, bounded, with a known currency.
    public static func price(amount: Int64, currency code: String, field: String) throws -> Money {
        let currency = try Currency(code: code, field: "\(field).currency")
        guard amount >= 0 else {
            throw EmporiumError.badInput("a price cannot be negative (got \(amount))", field: "\(field).amount")
        }
        guard amount <= maximumAmount else {
            throw EmporiumError.badInput("a price cannot exceed \(maximumAmount) minor units", field: "\(field).amount")
        }
        return Money(amount: amount, currency: currency)
    }

    /// "12.34 EUR": the amount with the currency's number of decimals.
    public var description: String {
        let digits = currency.minorUnitDigits
        guard digits > 0 else { return "\(amount) \(currency)" }
        var divisor: UInt64 = 1
        for _ in 0..<digits { divisor *= 10 }
        let sign = amount < 0 ? "-" : ""
        // The magnitude, not abs(): abs(Int64.min) traps.
        let whole = amount.magnitude / divisor
        let fraction = String(amount.magnitude % divisor)
        return "\(sign)\(whole).\(String(repeating: "0", count: digits - fraction.count))\(fraction) \(currency)"
    }
}
