import EmporiumCore
import Foundation

/// Orders' input rules, in one place.
public enum OrderRules {
    public static let maximumQuantity = 1_000
    public static let maximumCartLines = 100
    public static let maximumReasonLength = 500

    public static func quantity(_ value: Int, field: String = "quantity") throws -> Int {
        guard (1...maximumQuantity).contains(value) else {
            throw EmporiumError.badInput("the quantity must be 1 to \(maximumQuantity) (got \(value))", field: field)
        }
        return value
    }

    /// 1 to 128 visible ASCII characters: clients use a UUID or similar.
    public static func idempotencyKey(_ raw: String, field: String = "input.idempotencyKey") throws -> String {
        guard (1...128).contains(raw.utf8.count), raw.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw EmporiumError.badInput("an idempotency key is 1 to 128 visible ASCII characters (a UUID will do)", field: field)
        }
        return raw
    }

    public static func reason(_ raw: String?, field: String = "reason") throws -> String? {
        guard let raw else { return nil }
        let reason = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { return nil }
        try plain(reason, field: field, maximum: maximumReasonLength)
        return reason
    }

    public static func address(_ address: ShippingAddress, field: String = "input.shippingAddress") throws -> ShippingAddress {
        func text(_ value: String, _ name: String, _ maximum: Int) throws -> String {
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { throw EmporiumError.badInput("the \(name) is required", field: "\(field).\(name)") }
            try plain(trimmed, field: "\(field).\(name)", maximum: maximum)
            return trimmed
        }
        func optional(_ value: String?, _ name: String, _ maximum: Int) throws -> String? {
            guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            return try text(value, name, maximum)
        }
        let country = address.country.trimmingCharacters(in: .whitespaces).uppercased()
        guard country.utf8.count == 2, country.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
            throw EmporiumError.badInput("the country is a two-letter ISO 3166 code such as RU or DE", field: "\(field).country")
        }
        var phone = try optional(address.phone, "phone", 32)
        if let digits = phone {
            guard digits.unicodeScalars.allSatisfy({ "+0123456789 ()-".unicodeScalars.contains($0) }) else {
                throw EmporiumError.badInput("a phone number has digits, spaces, '+', '-' and parentheses only", field: "\(field).phone")
            }
            phone = digits
        }
        return ShippingAddress(
            name: try text(address.name, "name", 200), line1: try text(address.line1, "line1", 200), line2: try optional(address.line2, "line2", 200),
            city: try text(address.city, "city", 100), postalCode: try text(address.postalCode, "postalCode", 20), country: country, phone: phone)
    }

    /// No control characters (NUL cannot be stored; the others break logs and labels), bounded
    /// in code points as PostgreSQL's length() counts them.
    static func plain(_ text: String, field: String, maximum: Int) throws {
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw EmporiumError.badInput("control characters are not allowed", field: field)
        }
        guard text.unicodeScalars.count <= maximum else {
            throw EmporiumError.badInput("at most \(maximum) characters (got \(text.unicodeScalars.count))", field: field)
        }
    }
}
