import Database
import EmporiumCore
import Foundation
import Jobs
import Logging
import Messaging
import PostgresNIO

/// Discounts as two jobs each: `catalog.discount-start` at the start lowers the price (the
/// regular price becomes the compare-at price), `catalog.discount-end` at the end puts back what
/// the product had. Every step locks the product's row, so a discount, an edit by the seller and
/// the other discount's jobs never interleave; each change goes out as the product's events
/// (`PriceChanged`, `ProductUpdated`), which also invalidate cached answers.
enum DiscountJobs {
    static let start = "catalog.discount-start"
    static let end = "catalog.discount-end"
    static let queue = PublicationJobs.queue

    struct Payload: Codable, Sendable {
        var discountId: String
    }

    static func keys(_ id: UUID) -> [String] { ["discount-start:\(id)", "discount-end:\(id)"] }

    static let columns = "d.id, d.product_id, d.percent, d.price_amount, p.currency, d.starts_at, d.ends_at, d.state, d.note"
    typealias Row = (UUID, UUID, Int32?, Int64?, String, Date, Date, String, String?)

    static func decode(_ row: Row) throws -> Discount {
        let stored = EmporiumError(.internalError, "a stored discount is malformed")
        guard let state = Discount.State(rawValue: row.7) else { throw stored }
        let terms: Discount.Terms
        if let percent = row.2 {
            terms = .percent(Int(percent))
        } else if let amount = row.3, let currency = try? Currency(code: row.4, field: "currency") {
            terms = .price(Money(amount: amount, currency: currency))
        } else {
            throw stored
        }
        return Discount(id: row.0, productID: ProductID(uuid: row.1), terms: terms, startsAt: row.5, endsAt: row.6, state: state, note: row.8)
    }
}

extension PostgresProductStore: DiscountStore {
    public func schedule(_ discount: Discount, at now: Date) async throws -> Discount {
        let logger = logger
        let jobs = jobs
        return try await client.transaction(logger: logger) { connection in
            guard try await lockProduct(discount.productID, on: connection) != nil else {
                throw EmporiumError.notFound("no product with id \(discount.productID)")
            }
            let overlapping = try await connection.query("""
                SELECT starts_at, ends_at FROM catalog.discounts
                WHERE product_id = \(discount.productID.uuid) AND state IN ('scheduled', 'active')
                  AND starts_at < \(discount.endsAt) AND ends_at > \(discount.startsAt)
                LIMIT 1
                """, logger: logger).decode((Date, Date).self).collectAll()
            if let (starts, ends) = overlapping.first {
                throw EmporiumError(.conflict, "the product has a discount from \(starts) to \(ends) already; discounts of one product cannot overlap", field: "input.startsAt")
            }
            let (percent, price): (Int32?, Int64?) = switch discount.terms {
            case .percent(let percent): (Int32(percent), nil)
            case .price(let money): (nil, money.amount)
            }
            try await connection.query("""
                INSERT INTO catalog.discounts (id, product_id, percent, price_amount, starts_at, ends_at, state, created_at)
                VALUES (\(discount.id), \(discount.productID.uuid), \(percent), \(price), \(discount.startsAt), \(discount.endsAt), 'scheduled', \(now))
                """, logger: logger)
            if let jobs {
                let payload = DiscountJobs.Payload(discountId: discount.id.uuidString.lowercased())
                let keys = DiscountJobs.keys(discount.id)
                _ = try await jobs.enqueue(JobRequest(
                    kind: DiscountJobs.start, payload: payload, queue: DiscountJobs.queue, runAt: discount.startsAt, uniqueKey: keys[0],
                    maxAttempts: 25, timeout: .seconds(60)), on: connection)
                _ = try await jobs.enqueue(JobRequest(
                    kind: DiscountJobs.end, payload: payload, queue: DiscountJobs.queue, runAt: discount.endsAt, uniqueKey: keys[1],
                    maxAttempts: 25, timeout: .seconds(60)), on: connection)
            }
            var scheduled = discount
            scheduled.state = .scheduled
            return scheduled
        }
    }

    /// The start job's work: lowers the price if the discount is still scheduled; answers
    /// whether it did.
    public func startDiscount(id: UUID, at now: Date) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            guard let discount = try await lockDiscount(id, on: connection), discount.state == .scheduled,
                  let previous = try await lockProduct(discount.productID, on: connection)
            else { return false }
            // A start that runs only after the end (the workers were down) never lowers the
            // price: nothing would put it back.
            guard now < discount.endsAt else {
                try await connection.query(
                    "UPDATE catalog.discounts SET state = 'ended', note = 'not started: its end had passed' WHERE id = \(id)", logger: logger)
                return false
            }
            guard let price = discount.price(from: previous.price) else {
                try await connection.query("""
                    UPDATE catalog.discounts SET state = 'ended', note = 'not started: the price was already at or below the discount price'
                    WHERE id = \(id)
                    """, logger: logger)
                return false
            }
            try await connection.query("""
                UPDATE catalog.discounts SET state = 'active', regular_amount = \(previous.price.amount), regular_compare_at = \(previous.compareAtPrice?.amount)
                WHERE id = \(id)
                """, logger: logger)
            try await reprice(previous, to: price.amount, compareAt: previous.price.amount, at: now, on: connection)
            return true
        }
    }

    /// The end job's work: puts back the regular price if the discount runs; answers whether it did.
    public func endDiscount(id: UUID, at now: Date) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            try await finish(id, note: nil, at: now, on: connection)
        }
    }

    public func cancel(_ id: UUID, at now: Date) async throws -> Discount {
        try await client.transaction(logger: logger) { connection in
            guard let discount = try await lockDiscount(id, on: connection) else { throw EmporiumError.notFound("no discount with id \(id)") }
            switch discount.state {
            case .scheduled:
                try await connection.query("UPDATE catalog.discounts SET state = 'cancelled', note = 'cancelled' WHERE id = \(id)", logger: logger)
            case .active:
                _ = try await finish(id, note: "ended early", at: now, on: connection)
            case .ended, .cancelled:
                throw EmporiumError(.conflict, "the discount has \(discount.state.rawValue) already")
            }
            // Neither job has anything left to do.
            try await connection.query("""
                UPDATE catalog.jobs SET state = 'cancelled', finished_at = now(), last_error = 'the discount was cancelled'
                WHERE unique_key = ANY(\(DiscountJobs.keys(id))) AND state IN ('available', 'retryable')
                """, logger: logger)
            guard let cancelled = try await lockDiscount(id, on: connection) else { throw EmporiumError.notFound("no discount with id \(id)") }
            return cancelled
        }
    }

    public func discount(id: UUID) async throws -> Discount? {
        try await client.withConnection { connection in
            try await connection.query(
                "SELECT \(unescaped: DiscountJobs.columns) FROM catalog.discounts d JOIN catalog.products p ON p.id = d.product_id WHERE d.id = \(id)",
                logger: logger
            ).decode(DiscountJobs.Row.self).collectAll().map(DiscountJobs.decode).first
        }
    }

    public func discounts(of products: [ProductID]) async throws -> [ProductID: [Discount]] {
        guard !products.isEmpty else { return [:] }
        let rows = try await client.query("""
            SELECT \(unescaped: DiscountJobs.columns) FROM catalog.products p
            CROSS JOIN LATERAL (SELECT * FROM catalog.discounts WHERE product_id = p.id ORDER BY starts_at DESC LIMIT 20) d
            WHERE p.id = ANY(\(products.map(\.uuid)))
            """, logger: logger).decode(DiscountJobs.Row.self).collectAll()
        return Dictionary(grouping: try rows.map(DiscountJobs.decode), by: \.productID)
    }

    /// Whether a discount runs on the product (its row locked by the caller): its end, or nil.
    func runningDiscountEnd(_ product: ProductID, on connection: PostgresConnection) async throws -> Date? {
        try await connection.query(
            "SELECT ends_at FROM catalog.discounts WHERE product_id = \(product.uuid) AND state = 'active' LIMIT 1", logger: logger
        ).decode(Date.self).collectAll().first
    }

    // MARK: Steps (inside the caller's transaction)

    private func finish(_ id: UUID, note: String?, at now: Date, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "SELECT state, regular_amount, regular_compare_at, product_id FROM catalog.discounts WHERE id = \(id) FOR UPDATE", logger: logger
        ).decode((String, Int64?, Int64?, UUID).self).collectAll()
        guard let (state, regular, regularCompareAt, productID) = rows.first, state == "active", let regular,
              let previous = try await lockProduct(ProductID(uuid: productID), on: connection)
        else { return false }
        try await connection.query("UPDATE catalog.discounts SET state = 'ended', note = \(note) WHERE id = \(id)", logger: logger)
        try await reprice(previous, to: regular, compareAt: regularCompareAt, at: now, on: connection)
        return true
    }

    private func reprice(_ previous: Product, to amount: Int64, compareAt: Int64?, at now: Date, on connection: PostgresConnection) async throws {
        var sql = SQLBuilder("UPDATE catalog.products AS p SET ")
        sql.append("price_amount = \(sql.bind(amount)), compare_at_amount = \(sql.bind(compareAt)), ")
        sql.append("updated_at = \(sql.bind(max(now, previous.updatedAt))), version = p.version + 1 WHERE p.id = \(sql.bind(previous.id.uuid)) RETURNING \(ProductRow.columns)")
        var updated: Product?
        for try await row in try await connection.query(sql.query, logger: logger) { updated = try ProductRow.decode(row) }
        guard let updated else { throw EmporiumError(.internalError, "a locked product vanished") }
        try await outbox.append(try ProductEvents.envelopes(from: previous, to: updated), on: connection, logger: logger)
    }

    private func lockDiscount(_ id: UUID, on connection: PostgresConnection) async throws -> Discount? {
        try await connection.query("""
            SELECT \(unescaped: DiscountJobs.columns) FROM catalog.discounts d JOIN catalog.products p ON p.id = d.product_id
            WHERE d.id = \(id) FOR UPDATE OF d
            """, logger: logger).decode(DiscountJobs.Row.self).collectAll().map(DiscountJobs.decode).first
    }
}
