import EmporiumCore
import Foundation
import Logging
import Database
import Jobs
import Messaging
import PostgresNIO

/// ``ProductStore`` on PostgreSQL (schema `catalog`).
///
/// Every write also appends the change's integration events (``ProductEvents``) to
/// `catalog.outbox` in the same transaction, so an event exists exactly when its change committed.
public struct PostgresProductStore: ProductStore {
    let client: PostgresClient
    let logger: Logger
    let outbox = Outbox(schema: "catalog")
    /// Where scheduled publications become jobs (nil: none are enqueued; reads still treat a
    /// scheduled product as published from its time).
    let jobs: JobQueue?

    public init(client: PostgresClient, jobs: JobQueue? = nil, logger: Logger) {
        self.client = client
        self.jobs = jobs
        self.logger = logger
    }

    public func create(_ product: Product) async throws -> Product {
        do {
            return try await client.transaction(logger: logger) { connection in
                let slug = try await allocateSlug(product.slug, for: product.id, on: connection)
                var stored = product
                stored.slug = slug
                var sql = SQLBuilder("INSERT INTO catalog.products AS p (id, seller_id, title, slug, description, price_amount, currency, compare_at_amount, category_id, attributes, image_urls, status, publish_at, created_at, updated_at, version) VALUES (")
                let values = [
                    sql.bind(product.id.uuid), sql.bind(product.sellerID.rawValue), sql.bind(product.title),
                    sql.bind(slug.rawValue), sql.bind(product.description), sql.bind(product.price.amount),
                    sql.bind(product.price.currency.code), sql.bind(product.compareAtPrice?.amount),
                    sql.bind(product.categoryID?.uuid), sql.bindJSON(ProductRow.attributesJSON(product.attributes)),
                    sql.bind(product.imageURLs), sql.bind(product.status.rawValue), sql.bind(product.publishAt),
                    sql.bind(product.createdAt), sql.bind(product.updatedAt), sql.bind(Int32(product.version)),
                ]
                sql.append(values.joined(separator: ", ") + ") RETURNING " + ProductRow.columns)
                let rows = try await connection.query(sql.query, logger: logger)
                for try await row in rows { stored = try ProductRow.decode(row) }
                try await outbox.append(try ProductEvents.envelopes(from: nil, to: stored), on: connection, logger: logger)
                return stored
            }
        } catch {
            throw translate(error)
        }
    }

    public func update(_ product: Product, expectedVersion: Int) async throws -> Product {
        do {
            return try await client.transaction(logger: logger) { connection in
                guard let previous = try await lockProduct(product.id, on: connection) else { throw EmporiumError.notFound("no product with id \(product.id)") }
                // While a discount runs, its prices are the discount's: the seller's change would be
                // undone at its end, so it is refused instead.
                if product.price != previous.price || product.compareAtPrice != previous.compareAtPrice,
                   let ends = try await runningDiscountEnd(product.id, on: connection) {
                    throw EmporiumError(
                        .conflict, "a discount runs on this product until \(ends); cancel it (cancelDiscount) before changing the price or the compare-at price",
                        field: "input.price")
                }
                var slug = product.slug
                if slug != previous.slug {
                    slug = try await allocateSlug(product.slug, for: product.id, on: connection)
                }
                var sql = SQLBuilder("UPDATE catalog.products AS p SET ")
                sql.append("title = \(sql.bind(product.title)), slug = \(sql.bind(slug.rawValue)), description = \(sql.bind(product.description)), ")
                sql.append("price_amount = \(sql.bind(product.price.amount)), currency = \(sql.bind(product.price.currency.code)), ")
                sql.append("compare_at_amount = \(sql.bind(product.compareAtPrice?.amount)), category_id = \(sql.bind(product.categoryID?.uuid)), ")
                sql.append("attributes = \(sql.bindJSON(ProductRow.attributesJSON(product.attributes))), image_urls = \(sql.bind(product.imageURLs)), ")
                sql.append("status = \(sql.bind(product.status.rawValue)), publish_at = \(sql.bind(product.publishAt)), ")
                sql.append("updated_at = \(sql.bind(product.updatedAt)), version = p.version + 1 ")
                sql.append("WHERE p.id = \(sql.bind(product.id.uuid)) AND p.version = \(sql.bind(Int32(expectedVersion))) RETURNING \(ProductRow.columns)")
                var updated: Product?
                for try await row in try await connection.query(sql.query, logger: logger) { updated = try ProductRow.decode(row) }
                guard let updated else {
                    throw EmporiumError(.conflict, "the product was changed meanwhile (expected version \(expectedVersion)); re-read it and retry")
                }
                try await outbox.append(try ProductEvents.envelopes(from: previous, to: updated), on: connection, logger: logger)
                if let jobs { try await PublicationJobs.sync(from: previous, to: updated, queue: jobs, on: connection, logger: logger) }
                return updated
            }
        } catch {
            throw translate(error)
        }
    }

    /// The product, its row locked for the caller's transaction: every change of a product (an
    /// edit, a publication, a discount's start or end) takes this lock first.
    func lockProduct(_ id: ProductID, on connection: PostgresConnection) async throws -> Product? {
        var lock = SQLBuilder("SELECT \(ProductRow.columns) FROM catalog.products p WHERE p.id = ")
        lock.append("\(lock.bind(id.uuid)) FOR UPDATE")
        var product: Product?
        for try await row in try await connection.query(lock.query, logger: logger) { product = try ProductRow.decode(row) }
        return product
    }

    public func product(id: ProductID) async throws -> Product? {
        try await client.execute(ProductsByIDStatement(ids: [id.uuid]), logger: logger).collectAll().first
    }

    public func products(ids: [ProductID]) async throws -> [ProductID: Product] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.execute(ProductsByIDStatement(ids: ids.map(\.uuid)), logger: logger).collectAll()
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func product(slug: Slug) async throws -> Product? {
        // The current slug is unique on products; former slugs resolve through product_slugs.
        try await client.execute(ProductBySlugStatement(slug: slug.rawValue), logger: logger).collectAll().first
    }

    public func list(_ query: ProductQuery) async throws -> [Product] {
        var sql = SQLBuilder()
        var conditions = [ProductRow.visibilityClause(query.visibility, now: query.now, into: &sql)]
        if let categories = query.categoryIDs { conditions.append("p.category_id = ANY(\(sql.bind(categories.map(\.uuid))))") }
        if let seller = query.sellerID { conditions.append("p.seller_id = \(sql.bind(seller.rawValue))") }
        if let min = query.minPrice { conditions.append("p.price_amount >= \(sql.bind(min))") }
        if let max = query.maxPrice { conditions.append("p.price_amount <= \(sql.bind(max))") }
        if let currency = query.currency { conditions.append("p.currency = \(sql.bind(currency.code))") }
        if let statuses = query.statuses { conditions.append("p.status = ANY(\(sql.bind(statuses.map(\.rawValue))))") }
        if let after = query.after {
            // Exact microseconds, never a floating-point timestamp: the cursor must not skip or repeat rows.
            let micros = Int64((after.createdAt.timeIntervalSince1970 * 1_000_000).rounded())
            conditions.append("(p.created_at, p.id) < (timestamptz 'epoch' + \(sql.bind(micros)) * interval '1 microsecond', \(sql.bind(after.id.uuid)))")
        }
        let limit = sql.bind(Int64(query.limit))
        let head = "SELECT \(ProductRow.columns) FROM catalog.products p WHERE "
        // Binds are numbered as they were added; the text is assembled afterwards.
        sql.append(head + conditions.joined(separator: " AND ") + " ORDER BY p.created_at DESC, p.id DESC LIMIT \(limit)")
        return try await fetch(sql.query)
    }

    // MARK: Helpers

    private func fetch(_ query: PostgresQuery) async throws -> [Product] {
        var products: [Product] = []
        for try await row in try await client.query(query, logger: logger) {
            products.append(try ProductRow.decode(row))
        }
        return products
    }

    /// Claims `wanted`, or the first free `wanted-N`, in the shared slug namespace. A slug the
    /// product itself had before may be taken back.
    private func allocateSlug(_ wanted: Slug, for id: ProductID, on connection: PostgresConnection) async throws -> Slug {
        for _ in 0..<8 {
            let pattern = wanted.rawValue + "-%"
            let takenQuery: PostgresQuery = "SELECT slug, product_id FROM catalog.product_slugs WHERE slug = \(wanted.rawValue) OR slug LIKE \(pattern)"
            let rows = try await connection.query(takenQuery, logger: logger).decode((String, UUID).self).collectAll()
            var taken = Set<String>()
            for (slug, owner) in rows {
                if slug == wanted.rawValue, owner == id.uuid { return wanted }
                if owner != id.uuid { taken.insert(slug) }
            }
            var candidate = wanted
            var n = 2
            while taken.contains(candidate.rawValue) {
                candidate = wanted.withSuffix(n)
                n += 1
            }
            let claim: PostgresQuery = "INSERT INTO catalog.product_slugs (slug, product_id) VALUES (\(candidate.rawValue), \(id.uuid)) ON CONFLICT (slug) DO NOTHING RETURNING slug"
            let inserted = try await connection.query(claim, logger: logger).decode(String.self).collectAll()
            if !inserted.isEmpty { return candidate }
            // Someone claimed it between our read and insert: look again.
        }
        throw EmporiumError(.conflict, "could not allocate a unique slug for '\(wanted)'; retry")
    }

    private func translate(_ error: any Error) -> any Error {
        let error = PostgresErrors.unwrap(error)
        if error is EmporiumError { return error }
        let translated = ProductConstraintErrors.translate(
            sqlState: PostgresErrors.sqlState(of: error), constraint: PostgresErrors.constraint(of: error), detail: String(reflecting: error)
        )
        return translated ?? error
    }
}

