import EmporiumCore
import Foundation

/// What Orders knows of a catalog product, kept from the catalog's events (never a call to the
/// catalog): enough to price a cart and snapshot an order.
public struct ProductOffer: Sendable, Equatable {
    public let id: ProductID
    public let sellerID: UserID
    public let title: String
    public let price: Money
    /// Published (and visible now): only such products can be bought.
    public let isBuyable: Bool
}

public struct CartLine: Sendable, Equatable {
    public let productID: ProductID
    public let quantity: Int
    /// Nil when the catalog never announced the product (or it was removed from the projection).
    public let offer: ProductOffer?
    public let addedAt: Date

    public var lineTotal: Money? { offer.map { Money(amount: $0.price.amount * Int64(quantity), currency: $0.price.currency) } }
}

/// A buyer's cart: one per buyer, in one currency.
public struct Cart: Sendable, Equatable {
    public let buyerID: UserID
    public let lines: [CartLine]

    public var currency: Currency? { lines.compactMap(\.offer?.price.currency).first }

    /// The sum at today's prices; nil when empty.
    public var total: Money? {
        guard let currency else { return nil }
        return Money(amount: lines.compactMap(\.lineTotal?.amount).reduce(0, +), currency: currency)
    }
}
