import EmporiumCore
import Foundation
import GraphQL
import GraphQLSupport
import OrderedCollections
import PostgresNIO

/// The products table's column list and its decoding into the domain type.
enum ProductRow {
    static let columns = """
        p.id, p.seller_id, p.title, p.slug, p.description, p.price_amount, p.currency, p.compare_at_amount, \
        p.category_id, p.attributes::text, p.image_urls, p.status, p.publish_at, p.created_at, p.updated_at, p.version
        """

    typealias Columns = (UUID, String, String, String, String, Int64, String, Int64?, UUID?, String, [String], String, Date?, Date, Date, Int32)

    static func decode(_ row: PostgresRow) throws -> Product {
        let c = try row.decode(Columns.self)
        return try product(c)
    }

    static func product(_ c: Columns) throws -> Product {
        let currency = try Currency(code: c.6)
        guard let slug = Slug(validating: c.3) else { throw EmporiumError(.internalError, "stored slug '\(c.3)' is malformed") }
        guard let status = ProductStatus(rawValue: c.11) else { throw EmporiumError(.internalError, "stored status '\(c.11)' is unknown") }
        let attributes = try attributes(c.9)
        return Product(
            id: ProductID(uuid: c.0), sellerID: UserID(c.1), title: c.2, slug: slug, description: c.4,
            price: Money(amount: c.5, currency: currency),
            compareAtPrice: c.7.map { Money(amount: $0, currency: currency) },
            categoryID: c.8.map { CategoryID(uuid: $0) }, attributes: attributes, imageURLs: c.10, status: status,
            publishAt: c.12, createdAt: c.13, updatedAt: c.14, version: Int(c.15)
        )
    }

    /// `[{"key":…,"value":…}]` as `attributesJSON` writes it. Read with `JSONMap`, not
    /// `JSONDecoder`: this runs for every product row read, and Codable cost several times more.
    static func attributes(_ json: String) throws -> [ProductAttribute] {
        if json == "[]" { return [] }
        let malformed = EmporiumError(.internalError, "stored product attributes are malformed")
        guard let list = (try? JSONMap.parse(Data(json.utf8)))?.array else { throw malformed }
        return try list.map { element in
            guard let object = element.dictionary, let key = object["key"]?.string, let value = object["value"]?.string else { throw malformed }
            return ProductAttribute(key: key, value: value)
        }
    }

    static func attributesJSON(_ attributes: [ProductAttribute]) -> String {
        (try? String(decoding: JSONEncoder().encode(attributes), as: UTF8.self)) ?? "[]"
    }

    /// The visibility rule as SQL over alias `p`.
    static func visibilityClause(_ visibility: ProductVisibility, now: Date, into builder: inout SQLBuilder) -> String {
        switch visibility {
        case .all:
            return "TRUE"
        case .publicOnly:
            let now = builder.bind(now)
            return "(p.status = 'published' OR (p.status = 'scheduled' AND p.publish_at <= \(now)))"
        case .publicOrOwnedBy(let seller):
            let now = builder.bind(now)
            let seller = builder.bind(seller.rawValue)
            return "(p.status = 'published' OR (p.status = 'scheduled' AND p.publish_at <= \(now)) OR p.seller_id = \(seller))"
        }
    }
}
