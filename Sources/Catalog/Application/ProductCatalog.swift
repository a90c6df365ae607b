import EmporiumCore
import Foundation
import Identity
import Jobs
import Logging

/// The catalog's use cases: what a client may ask and change, with validation and permissions.
///
/// Everything here speaks domain types and throws `EmporiumError`; the GraphQL layer only
/// translates.
public struct ProductCatalog: Sendable {
    public let products: any ProductStore
    public let categories: any CategoryStore
    public let clock: any TimeSource
    /// Sales, views and category counts, kept from events.
    public let counters: any CounterStore
    /// The catalog's job queue (scheduled publications), for admins; nil without a database.
    public let jobs: JobQueue?
    /// Scheduled discounts (their jobs change the price); nil where none can run.
    public let discounts: (any DiscountStore)?
    /// Spreadsheet exports (a job writes each); nil where none can run.
    public let exports: (any ExportStore)?
    /// Uploaded product images (a job makes their sizes); nil where none can be kept.
    public let images: (any ImageStore)?
    /// Search, facets, type-ahead and synonyms (ProductCatalog+Search.swift).
    public let searchIndex: any SearchIndex

    public init(
        products: any ProductStore, categories: any CategoryStore, search: any SearchIndex, counters: any CounterStore = ZeroCounterStore(),
        jobs: JobQueue? = nil, discounts: (any DiscountStore)? = nil, exports: (any ExportStore)? = nil, images: (any ImageStore)? = nil,
        clock: any TimeSource = SystemTimeSource()
    ) {
        self.images = images
        searchIndex = search
        self.counters = counters
        self.jobs = jobs
        self.discounts = discounts
        self.exports = exports
        self.products = products
        self.categories = categories
        self.clock = clock
    }

    // MARK: Reads

    /// A product the viewer may see; `NOT_FOUND` otherwise (invisible products do not leak).
    public func product(id: ProductID, viewer: Principal?) async throws -> Product {
        guard let product = try await products.product(id: id), isVisible(product, to: viewer) else {
            throw EmporiumError.notFound("no product with id \(id)")
        }
        return product
    }

    public func product(slug text: String, viewer: Principal?) async throws -> Product {
        guard let slug = Slug(validating: text) else {
            throw EmporiumError.badInput("'\(text.prefix(64))' is not a valid slug (lowercase letters, digits and single hyphens)", field: "slug")
        }
        guard let product = try await products.product(slug: slug), isVisible(product, to: viewer) else {
            throw EmporiumError.notFound("no product with slug '\(slug)'")
        }
        return product
    }

    /// The category named by a filter and its descendants (nil: any category); NOT_FOUND when it
    /// does not exist.
    func categorySubtree(_ text: String?, field: String) async throws -> [CategoryID]? {
        guard let text else { return nil }
        let id = try CategoryID(parsing: text, field: field)
        let subtree = try await categories.subtree(of: id)
        guard !subtree.isEmpty else { throw EmporiumError.notFound("no category with id \(id)") }
        return subtree
    }

    /// A price range as a filter gives it: neither bound negative, the lower not above the upper.
    static func checkPriceRange(min: Int64?, max: Int64?, fieldPrefix: String) throws {
        if let min, min < 0 { throw EmporiumError.badInput("minPrice cannot be negative", field: fieldPrefix + "minPrice") }
        if let max, max < 0 { throw EmporiumError.badInput("maxPrice cannot be negative", field: fieldPrefix + "maxPrice") }
        if let min, let max, min > max { throw EmporiumError.badInput("minPrice must not exceed maxPrice", field: fieldPrefix + "minPrice") }
    }

    public func isVisible(_ product: Product, to viewer: Principal?) -> Bool {
        switch ProductVisibility(principal: viewer) {
        case .all: return true
        case .publicOrOwnedBy(let owner): return product.sellerID == owner || product.isPubliclyVisible(at: clock.now())
        case .publicOnly: return product.isPubliclyVisible(at: clock.now())
        }
    }

    public func list(filter: ProductFilter?, first: Int?, after: String?, viewer: Principal?) async throws -> Page<Product> {
        let limit = try PageSize.validate(first)
        var query = ProductQuery(visibility: ProductVisibility(principal: viewer), now: clock.now(), limit: limit + 1)
        if let after { query.after = try Self.decodePosition(after) }
        if let filter {
            query.categoryIDs = try await categorySubtree(filter.categoryID, field: "filter.categoryId")
            query.sellerID = try filter.sellerID.map { UserID(try ProductRules.sellerID($0, field: "filter.sellerId")) }
            try Self.checkPriceRange(min: filter.minPrice, max: filter.maxPrice, fieldPrefix: "filter.")
            query.minPrice = filter.minPrice
            query.maxPrice = filter.maxPrice
            query.currency = try filter.currency.map { try Currency(code: $0, field: "filter.currency") }
            query.statuses = filter.statuses
        }
        let rows = try await products.list(query)
        let items = Array(rows.prefix(limit))
        return Page(
            items: items,
            hasNextPage: rows.count > limit,
            cursor: { Self.encodePosition(ProductPosition(createdAt: items[$0].createdAt, id: items[$0].id)) }
        )
    }

    // MARK: Commands

    public func createProduct(_ input: ProductFieldsInput, sellerID requestedSeller: String?, by principal: Principal?) async throws -> Product {
        let caller = try Permissions.require(principal, anyOf: [.seller])
        var seller = caller.userID
        if let requestedSeller, requestedSeller != caller.userID.rawValue {
            guard caller.isAdmin else { throw EmporiumError(.forbidden, "only admins may create products for another seller") }
            seller = UserID(try ProductRules.sellerID(requestedSeller, field: "input.sellerId"))
        }
        guard let rawTitle = input.title else { throw EmporiumError.badInput("a title is required", field: "input.title") }
        guard let amount = input.priceAmount, let currency = input.priceCurrency else {
            throw EmporiumError.badInput("a price is required", field: "input.price")
        }
        let title = try ProductRules.title(rawTitle)
        let price = try Money.price(amount: amount, currency: currency, field: "input.price")
        let compareAt = try ProductRules.compareAtPrice(input.compareAtAmount ?? nil, price: price)
        let categoryID = try await validatedCategory(input.categoryID ?? nil)
        let now = Self.millisecondPrecision(clock.now())
        let product = Product(
            id: ProductID(), sellerID: seller, title: title, slug: Slug(from: title, fallback: "product"),
            description: try ProductRules.description(input.description ?? ""), price: price, compareAtPrice: compareAt,
            categoryID: categoryID, attributes: try ProductRules.attributes(input.attributes ?? []),
            imageURLs: try ProductRules.imageURLs(input.imageURLs ?? []), status: .draft, publishAt: nil,
            createdAt: now, updatedAt: now, version: 1
        )
        return try await products.create(product)
    }

    public func updateProduct(id: ProductID, expectedVersion: Int, changes: ProductFieldsInput, by principal: Principal?) async throws -> Product {
        var product = try await ownedProduct(id: id, by: principal)
        guard product.status != .archived else {
            throw EmporiumError(.conflict, "an archived product cannot be edited; restore it as a draft first")
        }
        if let title = changes.title {
            let validated = try ProductRules.title(title)
            if validated != product.title {
                product.title = validated
                let wanted = Slug(from: validated, fallback: "product")
                // Keep the slug when the new title slugifies to the same base (e.g. a case change).
                if wanted != product.slug, !Self.isSuffixed(product.slug, base: wanted) {
                    product.slug = wanted
                }
            }
        }
        if let description = changes.description { product.description = try ProductRules.description(description) }
        if changes.priceAmount != nil || changes.priceCurrency != nil {
            product.price = try Money.price(
                amount: changes.priceAmount ?? product.price.amount,
                currency: changes.priceCurrency ?? product.price.currency.code, field: "input.price"
            )
        }
        if let compareAt = changes.compareAtAmount {
            product.compareAtPrice = try ProductRules.compareAtPrice(compareAt, price: product.price)
        } else if let existing = product.compareAtPrice {
            guard existing.currency == product.price.currency else {
                throw EmporiumError.badInput("changing the currency needs a new compare-at price (or removeCompareAtPrice)", field: "input.compareAtPrice")
            }
            product.compareAtPrice = try ProductRules.compareAtPrice(existing.amount, price: product.price)
        }
        if let category = changes.categoryID { product.categoryID = try await validatedCategory(category) }
        if let attributes = changes.attributes { product.attributes = try ProductRules.attributes(attributes) }
        if let images = changes.imageURLs { product.imageURLs = try ProductRules.imageURLs(images) }
        product.updatedAt = clock.now()
        return try await products.update(product, expectedVersion: try Self.checkVersion(expectedVersion, product))
    }

    /// Publishes now, or schedules publication when `publishAt` is in the future.
    public func publishProduct(id: ProductID, expectedVersion: Int?, publishAt: Date?, by principal: Principal?) async throws -> Product {
        var product = try await ownedProduct(id: id, by: principal)
        let now = clock.now()
        let next: ProductStatus = (publishAt.map { $0 > now } ?? false) ? .scheduled : .published
        if product.status == .published && next == .published { return product }
        try product.status.requireTransition(to: next)
        product.status = next
        product.publishAt = next == .scheduled ? publishAt : (product.publishAt ?? now)
        product.updatedAt = now
        return try await products.update(product, expectedVersion: try Self.checkVersion(expectedVersion ?? product.version, product))
    }

    /// A scheduled product goes back to draft; its publication job is cancelled with the change.
    public func cancelScheduledPublication(id: ProductID, expectedVersion: Int?, by principal: Principal?) async throws -> Product {
        var product = try await ownedProduct(id: id, by: principal)
        guard product.status == .scheduled else {
            throw EmporiumError(.conflict, "product \(id) is \(product.status.rawValue), not scheduled")
        }
        product.status = .draft
        product.publishAt = nil
        product.updatedAt = clock.now()
        return try await products.update(product, expectedVersion: try Self.checkVersion(expectedVersion ?? product.version, product))
    }

    public func archiveProduct(id: ProductID, expectedVersion: Int?, by principal: Principal?) async throws -> Product {
        var product = try await ownedProduct(id: id, by: principal)
        if product.status == .archived { return product }
        try product.status.requireTransition(to: .archived)
        product.status = .archived
        product.updatedAt = clock.now()
        return try await products.update(product, expectedVersion: try Self.checkVersion(expectedVersion ?? product.version, product))
    }

    // MARK: Discounts

    /// Schedules a discount of the caller's product: its price changes at `startsAt` (now when
    /// past) and returns at `endsAt`.
    public func scheduleDiscount(
        productID: ProductID, percent: Int?, price: (amount: Int64, currency: String)?, startsAt: Date, endsAt: Date, by principal: Principal?
    ) async throws -> Discount {
        let discounts = try requireDiscounts()
        let product = try await ownedProduct(id: productID, by: principal)
        guard product.status != .archived else { throw EmporiumError(.conflict, "product \(productID) is archived") }
        let terms = try DiscountRules.terms(percent: percent, price: price, current: product.price)
        let now = clock.now()
        let (start, end) = try DiscountRules.window(startsAt: Self.millisecondPrecision(startsAt), endsAt: Self.millisecondPrecision(endsAt), now: Self.millisecondPrecision(now))
        return try await discounts.schedule(Discount(id: UUID(), productID: productID, terms: terms, startsAt: start, endsAt: end, state: .scheduled), at: now)
    }

    /// Cancels a scheduled discount, or ends a running one now (the regular price returns).
    public func cancelDiscount(id: UUID, by principal: Principal?) async throws -> Discount {
        let discounts = try requireDiscounts()
        _ = try Permissions.require(principal, anyOf: [.seller])
        guard let discount = try await discounts.discount(id: id) else { throw EmporiumError.notFound("no discount with id \(id)") }
        _ = try await ownedProduct(id: discount.productID, by: principal)
        return try await discounts.cancel(id, at: clock.now())
    }

    /// Each product's discounts: all of them for its seller and admins, the running one for
    /// everyone else. One query for all the products.
    public func discounts(of products: [Product], viewer: Principal?) async throws -> [[Discount]] {
        guard let discounts, !products.isEmpty else { return products.map { _ in [] } }
        let found = try await discounts.discounts(of: products.map(\.id))
        return visibleParts(found, of: products, viewer: viewer) { $0.state == .active }
    }

    /// Per product, what `viewer` may see of its parts (discounts, images): every one for admins
    /// and the product's seller, the public ones for everybody else.
    func visibleParts<Part>(
        _ found: [ProductID: [Part]], of products: [Product], viewer: Principal?, isPublic: (Part) -> Bool
    ) -> [[Part]] {
        let visibility = ProductVisibility(principal: viewer)
        return products.map { product in
            let all = found[product.id] ?? []
            switch visibility {
            case .all: return all
            case .publicOrOwnedBy(let seller) where seller == product.sellerID: return all
            default: return all.filter(isPublic)
            }
        }
    }

    private func requireDiscounts() throws -> any DiscountStore {
        guard let discounts else { throw EmporiumError(.unavailable, "discounts are not available in this deployment") }
        return discounts
    }

    public func createCategory(name rawName: String, slug rawSlug: String?, parentID: String?, by principal: Principal?) async throws -> Category {
        _ = try Permissions.require(principal, anyOf: [.admin])
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(TextRules.length(name)) else {
            throw EmporiumError.badInput("a category name must be 1 to 100 characters", field: "input.name")
        }
        try TextRules.refuseControlCharacters(in: name, field: "input.name")
        let slug: Slug
        if let rawSlug {
            guard let valid = Slug(validating: rawSlug) else {
                throw EmporiumError.badInput("'\(rawSlug.prefix(64))' is not a valid slug", field: "input.slug")
            }
            slug = valid
        } else {
            slug = Slug(from: name, fallback: "category")
        }
        let parent = try parentID.map { try CategoryID(parsing: $0, field: "input.parentId") }
        return try await categories.create(Category(id: CategoryID(), parentID: parent, slug: slug, name: name))
    }

    // MARK: Helpers

    private func ownedProduct(id: ProductID, by principal: Principal?) async throws -> Product {
        let caller = try Permissions.require(principal, anyOf: [.seller])
        guard let product = try await products.product(id: id) else {
            throw EmporiumError.notFound("no product with id \(id)")
        }
        _ = try Permissions.requireOwner(caller, owner: product.sellerID, what: "products")
        return product
    }

    private func validatedCategory(_ raw: String?) async throws -> CategoryID? {
        guard let raw else { return nil }
        let id = try CategoryID(parsing: raw, field: "input.categoryId")
        guard try await categories.categories(ids: [id])[id] != nil else {
            throw EmporiumError.badInput("no category with id \(id)", field: "input.categoryId")
        }
        return id
    }

    private static func checkVersion(_ expected: Int, _ product: Product) throws -> Int {
        guard expected == product.version else {
            throw EmporiumError(.conflict, "the product was changed meanwhile (expected version \(expected), current \(product.version)); re-read it and retry")
        }
        return expected
    }

    /// Whether `slug` is `base` plus a collision suffix (`base-2`).
    private static func isSuffixed(_ slug: Slug, base: Slug) -> Bool {
        guard slug.rawValue.hasPrefix(base.rawValue + "-") else { return false }
        let rest = slug.rawValue.dropFirst(base.rawValue.count + 1)
        return !rest.isEmpty && rest.allSatisfy(\.isNumber)
    }

    /// Timestamps are kept to the millisecond so that they survive every Date ↔ database
    /// conversion exactly (cursors compare them).
    static func millisecondPrecision(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }

    static func encodePosition(_ position: ProductPosition) -> String {
        Cursor(["p", String(Int64((position.createdAt.timeIntervalSince1970 * 1_000_000).rounded())), position.id.description]).encoded
    }

    /// 1970-01-01 to 9999-12-31: every creation time a product can have.
    static let cursorMicroseconds: ClosedRange<Int64> = 0...253_402_300_799_999_999

    static func decodePosition(_ text: String) throws -> ProductPosition {
        let cursor = try Cursor(decoding: text)
        // A cursor is client input like any other: its time must be one a product can have, so
        // that turning it back into microseconds for the query cannot overflow.
        guard cursor.values.count == 3, cursor.values[0] == "p", let micros = Int64(cursor.values[1]),
              Self.cursorMicroseconds.contains(micros), let id = try? ProductID(parsing: cursor.values[2])
        else {
            throw EmporiumError.badInput("'\(text.prefix(64))' is not a product list cursor", field: "after")
        }
        return ProductPosition(createdAt: Date(timeIntervalSince1970: Double(micros) / 1_000_000), id: id)
    }
}
