import EmporiumCore

/// Plans by operation text (as sent, and as printed from the document) and operation name.
/// Bounded in bytes as well as entries (`BoundedCache`): the keys are client text.
final class PlanCache: Sendable {
    /// A plan is taken to cost this much per byte of its key: the key, the normalized operation
    /// and the subgraph operations, all proportional to the operation's text.
    static let bytesPerKeyByte = 8

    private let cache: BoundedCache<String, QueryPlan>

    init(capacity: Int, maximumBytes: Int = 64 << 20) {
        cache = BoundedCache(maximumEntries: capacity, maximumBytes: maximumBytes)
    }

    func plan(for key: String) -> QueryPlan? {
        cache.value(for: key)
    }

    func store(_ plan: QueryPlan, for key: String) {
        cache.store(plan, for: key, bytes: key.utf8.count * Self.bytesPerKeyByte)
    }

    var statistics: (hits: Int, misses: Int, count: Int) {
        let statistics = cache.statistics
        return (statistics.hits, statistics.misses, statistics.entries)
    }
}
