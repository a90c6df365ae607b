import EmporiumCore
import Foundation

/// A user's shop. `id` is the user's id: one shop per user.
public struct Seller: Sendable, Equatable {
    public let id: UserID
    public let shopName: String
    public let slug: Slug
    public let since: Date
}

/// A shop name: 1 to 80 characters after trimming, no control characters.
public enum ShopName {
    public static let maximumLength = 80

    public static func parse(_ text: String, field: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, TextRules.length(trimmed) <= maximumLength else {
            throw EmporiumError.badInput("a shop name has 1 to \(maximumLength) characters", field: field)
        }
        try TextRules.refuseControlCharacters(in: trimmed, field: field)
        return trimmed
    }
}

/// Shops, kept by the users service.
public protocol SellerStore: Sendable {
    /// Makes `user` a seller with this shop: adds the role and claims `slug`, or the first free
    /// `slug-N`. Throws `CONFLICT` when the user already has a shop.
    func activate(user: UserID, shopName: String, slug: Slug, at: Date) async throws -> Seller
    func sellers(ids: [UserID]) async throws -> [UserID: Seller]
}
