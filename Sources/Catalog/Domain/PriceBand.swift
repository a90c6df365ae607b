import EmporiumCore

/// A price band of the 1-2-5 series (…, 100–200, 200–500, 500–1,000, …, in minor units), the
/// way price facets read in any currency and at any price level without configuration.
/// `lower` is inclusive, `upper` exclusive; `upper` is nil for the band that reaches past the
/// largest price a product may have.
public struct PriceBand: Sendable, Equatable, Comparable {
    public let currency: Currency
    public let lower: Int64
    public let upper: Int64?

    public init(currency: Currency, lower: Int64, upper: Int64?) {
        self.currency = currency
        self.lower = lower
        self.upper = upper
    }

    /// The band `amount` falls in (0 has its own band, 0–1).
    public init(containing amount: Int64, currency: Currency) {
        let lower = Self.lowerEdge(of: amount)
        self.init(currency: currency, lower: lower, upper: Self.upperEdge(after: lower))
    }

    /// The largest 1·10ⁿ, 2·10ⁿ or 5·10ⁿ not above `amount`; 0 for amounts below 1.
    public static func lowerEdge(of amount: Int64) -> Int64 {
        guard amount >= 1 else { return 0 }
        var power: Int64 = 1
        while amount / power >= 10 { power *= 10 }  // amount / power ≥ 10 means power · 10 ≤ amount: no overflow
        let leading = amount / power
        return (leading >= 5 ? 5 : leading >= 2 ? 2 : 1) * power
    }

    /// The next edge of the series after `lower`; nil when it would pass `Money.maximumAmount`.
    public static func upperEdge(after lower: Int64) -> Int64? {
        guard lower >= 1 else { return 1 }
        var power: Int64 = 1
        while lower / power >= 10 { power *= 10 }
        let step: Int64 = lower / power == 1 ? 2 : lower / power == 2 ? 5 : 10
        let (next, overflow) = step.multipliedReportingOverflow(by: power)
        return overflow || next > Money.maximumAmount ? nil : next
    }

    public static func < (a: PriceBand, b: PriceBand) -> Bool {
        (a.currency.code, a.lower) < (b.currency.code, b.lower)
    }
}
