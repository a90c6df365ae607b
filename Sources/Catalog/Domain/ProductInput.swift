import EmporiumCore
import Foundation

/// A product's editable fields as a client sends them, before validation.
public struct ProductFieldsInput: Sendable {
    public var title: String?
    public var description: String?
    public var priceAmount: Int64?
    public var priceCurrency: String?
    public var compareAtAmount: Int64??
    public var categoryID: String??
    public var attributes: [ProductAttribute]?
    public var imageURLs: [String]?

    public init(
        title: String? = nil, description: String? = nil, priceAmount: Int64? = nil, priceCurrency: String? = nil,
        compareAtAmount: Int64?? = nil, categoryID: String?? = nil, attributes: [ProductAttribute]? = nil,
        imageURLs: [String]? = nil
    ) {
        self.title = title
        self.description = description
        self.priceAmount = priceAmount
        self.priceCurrency = priceCurrency
        self.compareAtAmount = compareAtAmount
        self.categoryID = categoryID
        self.attributes = attributes
        self.imageURLs = imageURLs
    }
}

/// The catalog's input rules, in one place so that create and update agree. Lengths are counted
/// as the database counts them and control characters are refused (``TextRules``).
public enum ProductRules {
    public static let titleLength = 1...200
    public static let maximumDescriptionLength = 10_000
    public static let maximumAttributes = 50
    public static let attributeKeyLength = 1...64
    public static let maximumAttributeValueLength = 256
    public static let maximumImages = 20
    public static let maximumURLLength = 2048

    public static func title(_ raw: String, field: String = "input.title") throws -> String {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw EmporiumError.badInput("the title must not be empty", field: field) }
        try TextRules.refuseControlCharacters(in: title, field: field)
        guard titleLength.contains(TextRules.length(title)) else {
            throw EmporiumError.badInput("the title must be at most \(titleLength.upperBound) characters (got \(TextRules.length(title)))", field: field)
        }
        return title
    }

    public static func description(_ raw: String, field: String = "input.description") throws -> String {
        guard TextRules.length(raw) <= maximumDescriptionLength else {
            throw EmporiumError.badInput("the description must be at most \(maximumDescriptionLength) characters (got \(TextRules.length(raw)))", field: field)
        }
        try TextRules.refuseControlCharacters(in: raw, field: field, allowingLineBreaks: true)
        return raw
    }

    public static func attributes(_ raw: [ProductAttribute], field: String = "input.attributes") throws -> [ProductAttribute] {
        guard raw.count <= maximumAttributes else {
            throw EmporiumError.badInput("at most \(maximumAttributes) attributes are allowed (got \(raw.count))", field: field)
        }
        var seen = Set<String>()
        return try raw.enumerated().map { index, attribute in
            let key = attribute.key.trimmingCharacters(in: .whitespacesAndNewlines)
            guard attributeKeyLength.contains(TextRules.length(key)) else {
                throw EmporiumError.badInput("an attribute key must be 1 to \(attributeKeyLength.upperBound) characters", field: "\(field)[\(index)].key")
            }
            try TextRules.refuseControlCharacters(in: key, field: "\(field)[\(index)].key")
            guard TextRules.length(attribute.value) <= maximumAttributeValueLength else {
                throw EmporiumError.badInput("an attribute value must be at most \(maximumAttributeValueLength) characters", field: "\(field)[\(index)].value")
            }
            try TextRules.refuseControlCharacters(in: attribute.value, field: "\(field)[\(index)].value")
            guard seen.insert(key).inserted else {
                throw EmporiumError.badInput("the attribute key '\(key)' appears twice", field: "\(field)[\(index)].key")
            }
            return ProductAttribute(key: key, value: attribute.value)
        }
    }

    public static func imageURLs(_ raw: [String], field: String = "input.imageUrls") throws -> [String] {
        guard raw.count <= maximumImages else {
            throw EmporiumError.badInput("at most \(maximumImages) images are allowed (got \(raw.count))", field: field)
        }
        return try raw.enumerated().map { index, text in
            try TextRules.refuseControlCharacters(in: text, field: "\(field)[\(index)]")
            guard TextRules.length(text) <= maximumURLLength,
                  let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                  scheme == "https" || scheme == "http", url.host?.isEmpty == false
            else {
                throw EmporiumError.badInput("'\(text.prefix(80))' is not an http(s) URL", field: "\(field)[\(index)]")
            }
            return text
        }
    }

    public static let sellerIDLength = 1...200

    /// A seller id an admin names (or a list filter names): stored and compared as text.
    public static func sellerID(_ raw: String, field: String) throws -> String {
        try TextRules.refuseControlCharacters(in: raw, field: field)
        guard sellerIDLength.contains(TextRules.length(raw)) else {
            throw EmporiumError.badInput("a seller id must be 1 to \(sellerIDLength.upperBound) characters", field: field)
        }
        return raw
    }

    /// A compare-at ("was") price must be in the price's currency and above it.
    public static func compareAtPrice(_ amount: Int64?, price: Money, field: String = "input.compareAtPrice") throws -> Money? {
        guard let amount else { return nil }
        let money = try Money.price(amount: amount, currency: price.currency.code, field: field)
        guard money.amount > price.amount else {
            throw EmporiumError.badInput("the compare-at price must be higher than the price", field: field)
        }
        return money
    }
}
