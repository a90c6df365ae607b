/// Arithmetic on numbers that came from outside (list sizes, costs, counts) saturates: a limit
/// check must see "too big", never a trap that ends the process or a wrapped negative number
/// that slips under the limit.
extension Int {
    /// `self + other`, held at `Int.max`/`Int.min` instead of trapping.
    public func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }

    /// `self * other`, held at `Int.max`/`Int.min` instead of trapping.
    public func multipliedSaturated(by other: Int) -> Int {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }
}
