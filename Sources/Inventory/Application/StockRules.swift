import EmporiumCore
import Foundation

/// The inventory's input rules, in one place so that GraphQL and Swift callers get the same
/// answers.
public enum StockRules {
    /// Per command: far above any real shipment, far below the `integer` columns' limit, so sums
    /// cannot overflow.
    public static let maximumQuantity = 1_000_000
    public static let maximumReservationLines = 100
    public static let maximumReasonLength = 500
    /// A reservation holds units at most this long; longer holds would starve other buyers.
    public static let maximumTTL: Duration = .seconds(7 * 24 * 3600)

    public static func quantity(_ value: Int, field: String = "quantity") throws -> Int {
        guard value > 0 else { throw EmporiumError.badInput("the quantity must be positive (got \(value))", field: field) }
        guard value <= maximumQuantity else {
            throw EmporiumError.badInput("the quantity must be at most \(maximumQuantity) (got \(value))", field: field)
        }
        return value
    }

    public static func delta(_ value: Int, field: String = "delta") throws -> Int {
        guard value != 0 else { throw EmporiumError.badInput("the adjustment must not be zero", field: field) }
        guard value.magnitude <= maximumQuantity else {  // `abs(Int.min)` would trap
            throw EmporiumError.badInput("an adjustment must be at most \(maximumQuantity) units either way (got \(value))", field: field)
        }
        return value
    }

    /// Adjustments must say why: the movement log is how stock discrepancies get explained.
    public static func reason(_ raw: String, field: String = "reason") throws -> String {
        let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw EmporiumError.badInput("an adjustment needs a reason", field: field) }
        try rejectControlCharacters(reason, field: field)
        // Code points, as PostgreSQL's length() counts them (an emoji flag is one character but two).
        guard reason.unicodeScalars.count <= maximumReasonLength else {
            throw EmporiumError.badInput("the reason must be at most \(maximumReasonLength) characters (got \(reason.unicodeScalars.count))", field: field)
        }
        return reason
    }

    public static func threshold(_ value: Int, field: String = "threshold") throws -> Int {
        guard (0...maximumQuantity).contains(value) else {
            throw EmporiumError.badInput("the threshold must be between 0 and \(maximumQuantity) (got \(value))", field: field)
        }
        return value
    }

    /// Upper-cased; letters, digits, `-` and `_`, up to 32 characters (as the table's CHECK).
    public static func warehouseCode(_ raw: String, field: String = "code") throws -> String {
        let code = raw.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        let allowed = code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }
        guard (1...32).contains(code.count), allowed, let first = code.first, first != "-", first != "_" else {
            throw EmporiumError.badInput("a warehouse code is 1 to 32 letters, digits, '-' or '_', starting with a letter or digit", field: field)
        }
        return code
    }

    public static func warehouseName(_ raw: String, field: String = "name") throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try rejectControlCharacters(name, field: field)
        guard (1...100).contains(name.unicodeScalars.count) else {
            throw EmporiumError.badInput("a warehouse name must be 1 to 100 characters", field: field)
        }
        return name
    }

    /// Control characters (NUL above all, which PostgreSQL text cannot hold) are refused as input
    /// errors instead of failing in the database.
    static func rejectControlCharacters(_ text: String, field: String) throws {
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw EmporiumError.badInput("control characters are not allowed", field: field)
        }
    }

    /// Merges lines of the same product and sorts by product id: the order in which stores lock
    /// stock, which is what keeps concurrent reservations from deadlocking.
    public static func reservationItems(_ items: [ReservationItem], field: String = "lines") throws -> [ReservationItem] {
        guard !items.isEmpty else { throw EmporiumError.badInput("a reservation needs at least one line", field: field) }
        guard items.count <= maximumReservationLines else {
            throw EmporiumError.badInput("a reservation may have at most \(maximumReservationLines) lines (got \(items.count))", field: field)
        }
        var totals: [ProductID: Int] = [:]
        for (index, item) in items.enumerated() {
            totals[item.productID, default: 0] += try quantity(item.quantity, field: "\(field)[\(index)].quantity")
        }
        return try totals.keys.sorted().map { id in
            ReservationItem(productID: id, quantity: try quantity(totals[id]!, field: field))
        }
    }

    public static func ttl(_ value: Duration, field: String = "ttlSeconds") throws -> Duration {
        guard value > .zero, value <= maximumTTL else {
            throw EmporiumError.badInput("a reservation's time to live must be positive and at most 7 days", field: field)
        }
        return value
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
