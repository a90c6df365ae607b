import EmporiumCore
import Foundation
import GraphQLExecution
import GraphQLSupport

extension ProductAttribute: GraphQLObject {}

/// Money as clients see it.
public struct MoneyView: Codable, Sendable, GraphQLObject {
    public let amount: Int
    public let currency: String
    /// "12.34 EUR", with the currency's number of decimals.
    public let formatted: String

    init(_ money: Money) {
        amount = Int(money.amount)
        currency = money.currency.code
        formatted = money.description
    }
}

/// GraphQL enum values are upper case by convention; the domain's are lower case.
public enum ProductStatusValue: String, Codable, Sendable, CaseIterable, GraphQLEnum {
    case DRAFT, SCHEDULED, PUBLISHED, ARCHIVED

    init(_ status: ProductStatus) {
        switch status {
        case .draft: self = .DRAFT
        case .scheduled: self = .SCHEDULED
        case .published: self = .PUBLISHED
        case .archived: self = .ARCHIVED
        }
    }

    var domain: ProductStatus {
        switch self {
        case .DRAFT: .draft
        case .SCHEDULED: .scheduled
        case .PUBLISHED: .published
        case .ARCHIVED: .archived
        }
    }
}

public struct PageInfoView: Codable, Sendable, GraphQLObject {
    public let hasNextPage: Bool
    public let endCursor: String?
}

public struct ProductEdge: Sendable, GraphQLObject {
    let page: Page<Product>
    let index: Int

    public var cursor: String { page.cursor(at: index) }
    public var node: Product { page.items[index] }
}

public struct ProductConnection: Sendable, GraphQLObject {
    public let edges: [ProductEdge]
    public let pageInfo: PageInfoView
    public var nodes: [Product] { edges.map(\.node) }

    init(_ page: Page<Product>) {
        edges = page.items.indices.map { ProductEdge(page: page, index: $0) }
        pageInfo = PageInfoView(hasNextPage: page.hasNextPage, endCursor: page.endCursor)
    }
}

// MARK: Inputs

public struct MoneyInput: Codable, Sendable {
    public let amount: Int
    public let currency: String
}

public struct AttributeInput: Codable, Sendable {
    public let key: String
    public let value: String
}

public struct ProductFilterInput: Codable, Sendable {
    public let categoryId: GraphID?
    public let sellerId: GraphID?
    public let minPrice: Int?
    public let maxPrice: Int?
    public let currency: String?
    public let statuses: [ProductStatusValue]?
}

public struct CreateProductInput: Codable, Sendable {
    public let title: String
    public let description: String?
    public let price: MoneyInput
    public let compareAtPrice: MoneyInput?
    public let categoryId: GraphID?
    public let attributes: [AttributeInput]?
    public let imageUrls: [String]?
    /// Admins may create products on behalf of a seller.
    public let sellerId: GraphID?
}

public struct UpdateProductInput: Codable, Sendable {
    public let title: String?
    public let description: String?
    public let price: MoneyInput?
    public let compareAtPrice: MoneyInput?
    public let removeCompareAtPrice: Bool?
    public let categoryId: GraphID?
    public let removeCategory: Bool?
    public let attributes: [AttributeInput]?
    public let imageUrls: [String]?
}

public struct CreateCategoryInput: Codable, Sendable {
    public let name: String
    public let slug: String?
    public let parentId: GraphID?
}
