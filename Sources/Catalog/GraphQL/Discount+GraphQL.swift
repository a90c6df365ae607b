import EmporiumCore
import Foundation
import GraphQL
import GraphQLExecution
import GraphQLSupport

extension Discount: GraphQLObject {
    var idText: String { UUIDText.lowercase(id) }
    var productIDText: String { productID.description }

    var percentOff: Int? {
        if case .percent(let percent) = terms { return percent }
        return nil
    }

    var fixedPrice: Money? {
        if case .price(let money) = terms { return money }
        return nil
    }
}

enum DiscountStateValue: String, GraphQLEnum {
    case SCHEDULED, ACTIVE, ENDED, CANCELLED
}

/// `DiscountInput` as the client sends it.
struct DiscountInputValue: Codable, Sendable {
    let percent: Int?
    let price: MoneyInput?
    let startsAt: DateTime
    let endsAt: DateTime
}

extension CatalogResolver {
    @Sendable static func scheduleDiscount(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Discount {
        let id = try ProductID(parsing: try arguments.requiredString("productId"), field: "productId")
        guard let input = try arguments.decode(DiscountInputValue.self, "input") else {
            throw EmporiumError.badInput("input is required", field: "input")
        }
        return try await context.catalog.scheduleDiscount(
            productID: id, percent: input.percent, price: input.price.map { (Int64($0.amount), $0.currency) },
            startsAt: input.startsAt.date, endsAt: input.endsAt.date, by: context.principal)
    }

    @Sendable static func cancelDiscount(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> Discount {
        let text = try arguments.requiredString("id")
        guard let id = UUIDText.parse(text) else { throw EmporiumError.badInput("'\(text.prefix(64))' is not a discount id", field: "id") }
        return try await context.catalog.cancelDiscount(id: id, by: context.principal)
    }
}

extension Product {
    /// The discounts of a level's products, one query for the level.
    @Sendable static func discounts(_ products: [Product], _: FieldArguments, context: CatalogContext) async throws -> [[Discount]] {
        try await context.catalog.discounts(of: products, viewer: context.principal)
    }
}
