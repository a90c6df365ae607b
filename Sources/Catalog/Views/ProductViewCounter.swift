import Contracts
import EmporiumCore
import Foundation
import GraphQL
import GraphQLSupport
import Logging
import Metrics
import ServiceKit
import ServiceLifecycle
import Synchronization

/// Counts product reads at the public edge — `product(id:)` and `productBySlug(slug:)` root
/// fields, answers from the response cache included — and publishes them in batches every
/// `interval`, straight to the event bus (not through an outbox): `ProductViewsCounted`.
///
/// Every 5 s rather than every 2: each flush costs PostgreSQL about 20 µs per distinct product
/// (the slug, the counter row, the search change log), and a product read many times between two
/// flushes costs it once (docs/BENCHMARKS.md, #15).
///
/// Never on the read's critical path: noting a view is a dictionary increment under a lock; a
/// query text is parsed once (the root fields it reads are remembered by text); when more than
/// `maximumKeys` distinct products wait for the next flush, further views are dropped (counted
/// in `emporium_product_views_dropped_total`), and a batch the bus refuses is dropped too.
public final class ProductViewCounter: EdgeObserver, Sendable {
    /// What a root field reads a product by: an inline value, or a variable's.
    enum Target: Sendable, Hashable {
        case id(String), idVariable(String), slug(String), slugVariable(String)
    }

    let publish: @Sendable ([EventEnvelope]) async throws -> Void
    let interval: Duration
    let maximumKeys: Int
    let logger: Logger
    private let pending = Mutex<[String: Int]>([:])
    private let targets = BoundedCache<String, [Target]>(maximumEntries: 2_000, maximumBytes: 4 << 20)
    private let dropped = Counter(label: "emporium_product_views_dropped_total")
    private let recorded = Counter(label: "emporium_product_views_total")

    public init(
        interval: Duration = .seconds(5), maximumKeys: Int = 50_000, logger: Logger,
        publish: @escaping @Sendable ([EventEnvelope]) async throws -> Void
    ) {
        self.publish = publish
        self.interval = interval
        self.maximumKeys = maximumKeys
        self.logger = logger
    }

    public func answered(_ request: GraphQLSupport.GraphQLRequest) {
        let found = targets(of: request.query)
        guard !found.isEmpty else { return }
        var keys: [String] = []
        for target in found {
            switch target {
            case .id(let id): keys.append("id:" + id)
            case .slug(let slug): keys.append("slug:" + slug)
            case .idVariable(let name): if let id = request.variables[name]?.string { keys.append("id:" + id) }
            case .slugVariable(let name): if let slug = request.variables[name]?.string { keys.append("slug:" + slug) }
            }
        }
        // Only plausible keys: an id is a UUID's length, a slug at most 200 bytes.
        keys = keys.filter { $0.utf8.count <= 205 }
        let lost = pending.withLock { pending in
            var lost = 0
            for key in keys {
                if pending[key] != nil || pending.count < maximumKeys { pending[key, default: 0] += 1 } else { lost += 1 }
            }
            return lost
        }
        recorded.increment(by: keys.count - lost)
        if lost > 0 { dropped.increment(by: lost) }
    }

    /// The product-reading root fields of `query`, parsed once per distinct text.
    func targets(of query: String) -> [Target] {
        // A cheap test first: most requests read no single product.
        guard query.containsBytes(of: "product") else { return [] }
        if let known = targets.value(for: query) { return known }
        var found: [Target] = []
        if case .success(let document) = DocumentParsing.parse(query) {
            for case let operation as OperationDefinition in document.definitions where operation.operation == .query {
                for case let field as Field in operation.selectionSet.selections {
                    let argument = field.name.value == "product" ? "id" : field.name.value == "productBySlug" ? "slug" : nil
                    guard let argument, let value = field.arguments.first(where: { $0.name.value == argument })?.value else { continue }
                    switch value {
                    case let text as StringValue: found.append(argument == "id" ? .id(text.value) : .slug(text.value))
                    case let variable as Variable: found.append(argument == "id" ? .idVariable(variable.name.value) : .slugVariable(variable.name.value))
                    default: continue
                    }
                }
            }
        }
        targets.store(found, for: query, bytes: query.utf8.count + 64)
        return found
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: self.interval) } catch { break }
                await self.flush()
            }
        }
        // What was counted before shutdown still goes out.
        await flush()
    }

    /// Publishes what was counted since the last flush, in batches of 1,000 products.
    public func flush() async {
        let counted = pending.withLock { pending in
            let taken = pending
            pending.removeAll(keepingCapacity: true)
            return taken
        }
        guard !counted.isEmpty else { return }
        let views = counted.map { key, count in
            key.hasPrefix("id:")
                ? ProductViewsCounted.Views(productId: String(key.dropFirst(3)), count: count)
                : ProductViewsCounted.Views(slug: String(key.dropFirst(5)), count: count)
        }
        do {
            var envelopes: [EventEnvelope] = []
            var start = 0
            while start < views.count {
                let batch = Array(views[start..<min(start + 1_000, views.count)])
                envelopes.append(try EventEnvelope(ProductViewsCounted(batchId: UUIDText.lowercase(UUID()), views: batch)))
                start += 1_000
            }
            // One batch after another: handled together, they were as many PostgreSQL backends
            // writing at once, and on a small machine those took the cores from the requests
            // for tens of milliseconds every flush (docs/BENCHMARKS.md, #15).
            for envelope in envelopes { try await publish([envelope]) }
        } catch {
            dropped.increment(by: views.reduce(0) { $0 + $1.count })
            logger.warning("product views dropped: the event bus refused them", metadata: ["views.products": "\(views.count)", "error": "\(error)"])
        }
    }
}
