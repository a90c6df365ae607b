import Caching
import EmporiumCore
import Foundation
import Logging

/// A ``ProductStore`` that serves single-product reads through a cache (read-through), with
/// targeted invalidation: never a flush.
///
/// - A product is stored once, under `product:<id>`; a slug key `slug:<slug>` holds only the id,
///   so a product is never cached twice and a rename cannot leave a stale copy behind.
/// - Unknown slugs are cached briefly as absent (bots probing URLs do not reach the database).
/// - A change invalidates exactly that product's id key and its slug keys (before and after the
///   change) after the write committed; nothing else.
/// - Concurrent misses on one key cause one database read (single-flight), TTLs are jittered.
/// - When the cache fails, reads go to the database and the failure is counted; a failed
///   invalidation is logged and counted, and the entry lives at most until its TTL.
public struct CachedProductStore: ProductStore {
    let inner: any ProductStore
    let products: ReadThroughCache<Product>
    let slugs: ReadThroughCache<ProductID>
    let logger: Logger

    public init(inner: any ProductStore, cache: any Cache, policy: CachePolicy = CachePolicy(), logger: Logger) {
        self.inner = inner
        self.logger = logger
        products = ReadThroughCache(name: "product", cache: cache, policy: policy, logger: logger)
        slugs = ReadThroughCache(name: "product_slug", cache: cache, policy: policy, logger: logger)
    }

    static func key(_ id: ProductID) -> String { "product:\(id)" }
    static func key(_ slug: Slug) -> String { "slug:\(slug)" }

    public func product(id: ProductID) async throws -> Product? {
        try await products.value(forKey: Self.key(id)) { try await inner.product(id: id) }
    }

    public func product(slug: Slug) async throws -> Product? {
        let id = try await slugs.value(forKey: Self.key(slug)) { try await inner.product(slug: slug)?.id }
        guard let id else { return nil }
        return try await product(id: id)
    }

    /// Single lookups go through the cache; batches (lists, federation entity batches) go to the
    /// database in one statement, which is cheaper than many cache round trips.
    public func products(ids: [ProductID]) async throws -> [ProductID: Product] {
        guard ids.count == 1, let id = ids.first else { return try await inner.products(ids: ids) }
        return try await product(id: id).map { [id: $0] } ?? [:]
    }

    public func create(_ product: Product) async throws -> Product {
        let created = try await inner.create(product)
        // The slug may have been cached as unknown a moment ago.
        await invalidate([Self.key(created.slug)])
        return created
    }

    public func update(_ product: Product, expectedVersion: Int) async throws -> Product {
        let before = try await inner.product(id: product.id)
        let updated = try await inner.update(product, expectedVersion: expectedVersion)
        var keys = [Self.key(updated.id), Self.key(updated.slug)]
        if let before, before.slug != updated.slug { keys.append(Self.key(before.slug)) }
        await invalidate(keys)
        return updated
    }

    public func list(_ query: ProductQuery) async throws -> [Product] { try await inner.list(query) }

    private func invalidate(_ keys: [String]) async {
        do {
            try await products.invalidate(keys)
        } catch {
            logger.error("cache invalidation failed; entries expire with their TTL", metadata: ["cache.keys": "\(keys)", "error": "\(error)"])
        }
    }
}
