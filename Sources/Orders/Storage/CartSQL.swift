import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// Carts and the product offers they are priced from.
enum CartSQL {
    static func cart(_ buyer: UserID, lock: Bool = false, on connection: PostgresConnection, logger: Logger) async throws -> Cart {
        // Locking the buyer's lines serialises their checkouts and cart edits.
        var binds = PostgresBindings()
        binds.append(buyer.rawValue)
        let found = lock ? try await connection.run(LinesLocked.self, binds, logger: logger) : try await connection.run(Lines.self, binds, logger: logger)
        var rows: [(UUID, Int, Date)] = []
        for try await row in found { rows.append(try row.decode((UUID, Int, Date).self)) }
        let offers = try await ProductProjection.offers(rows.map { ProductID(uuid: $0.0) }, on: connection, logger: logger)
        return Cart(buyerID: buyer, lines: rows.map { row in
            CartLine(productID: ProductID(uuid: row.0), quantity: row.1, offer: offers[ProductID(uuid: row.0)], addedAt: row.2)
        })
    }

    /// A buyer's lines (prepared: read by every cart view, edit and checkout).
    enum Lines: PreparedSQL {
        static let name = "orders_lines"
        static let sql = "SELECT product_id, quantity, added_at FROM orders.cart_lines WHERE buyer_id = $1::text ORDER BY added_at, product_id"
    }

    enum LinesLocked: PreparedSQL {
        static let name = "orders_lines_locked"
        static let sql = Lines.sql + " FOR UPDATE"
    }

    static func set(_ buyer: UserID, product: ProductID, quantity: Int, at: Date, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("""
            INSERT INTO orders.cart_lines (buyer_id, product_id, quantity, added_at) VALUES (\(buyer.rawValue), \(product.uuid), \(quantity), \(at))
            ON CONFLICT (buyer_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity
            """, logger: logger)
    }

    @discardableResult
    static func remove(_ buyer: UserID, product: ProductID, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        let rows = try await connection.query(
            "DELETE FROM orders.cart_lines WHERE buyer_id = \(buyer.rawValue) AND product_id = \(product.uuid) RETURNING product_id", logger: logger
        ).collectAll()
        return !rows.isEmpty
    }

    static func clear(_ buyer: UserID, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("DELETE FROM orders.cart_lines WHERE buyer_id = \(buyer.rawValue)", logger: logger)
    }
}

/// Orders' copy of the catalog's products, kept from its events; the newest version wins.
enum ProductProjection {
    static func offers(_ ids: [ProductID], on connection: PostgresConnection, logger: Logger) async throws -> [ProductID: ProductOffer] {
        guard !ids.isEmpty else { return [:] }
        let found = try await connection.run(Offer.self, or: Offers.self, ids: ids.map(\.uuid), logger: logger)
        var offers: [ProductID: ProductOffer] = [:]
        for try await undecoded in found {
            let row = try undecoded.decode((UUID, String, String, Int64, String, Bool).self)
            guard let currency = try? Currency(code: row.4) else { continue }
            offers[ProductID(uuid: row.0)] = ProductOffer(
                id: ProductID(uuid: row.0), sellerID: UserID(row.1), title: row.2, price: Money(amount: row.3, currency: currency), isBuyable: row.5)
        }
        return offers
    }

    private static let offerColumns = """
        SELECT product_id, seller_id, title, price_amount, currency,
               status = 'PUBLISHED' OR (status = 'SCHEDULED' AND publish_at <= now())
        FROM orders.products
        """

    /// One product's offer (the usual cart) or several.
    enum Offer: PreparedSQL {
        static let name = "orders_offer"
        static let sql = offerColumns + " WHERE product_id = $1::uuid"
    }

    enum Offers: PreparedSQL {
        static let name = "orders_offers"
        static let sql = offerColumns + " WHERE product_id = ANY($1::uuid[])"
    }

    static func apply(
        productID: String, sellerID: String, title: String, amount: Int64, currency: String, status: String, publishAt: Date?, version: Int,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard let id = UUID(uuidString: productID) else {
            logger.warning("product event with a malformed id ignored", metadata: ["product.id": "\(productID.prefix(64))"])
            return
        }
        try await connection.query("""
            INSERT INTO orders.products (product_id, seller_id, title, price_amount, currency, status, publish_at, version)
            VALUES (\(id), \(sellerID), \(title), \(amount), \(currency), \(status), \(publishAt), \(version))
            ON CONFLICT (product_id) DO UPDATE SET seller_id = EXCLUDED.seller_id, title = EXCLUDED.title, price_amount = EXCLUDED.price_amount,
                currency = EXCLUDED.currency, status = EXCLUDED.status, publish_at = COALESCE(EXCLUDED.publish_at, orders.products.publish_at),
                version = EXCLUDED.version
            WHERE orders.products.version <= EXCLUDED.version
            """, logger: logger)
    }

    static func applyPrice(productID: String, amount: Int64, currency: String, version: Int, on connection: PostgresConnection, logger: Logger) async throws {
        guard let id = UUID(uuidString: productID) else { return }
        try await connection.query("""
            UPDATE orders.products SET price_amount = \(amount), currency = \(currency), version = \(version)
            WHERE product_id = \(id) AND version <= \(version)
            """, logger: logger)
    }
}
