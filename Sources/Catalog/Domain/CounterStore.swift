import EmporiumCore

/// A product's counters as readers see them.
public struct ProductCounters: Sendable, Equatable {
    public var sales: Int64
    public var views: Int64

    public init(sales: Int64 = 0, views: Int64 = 0) {
        self.sales = sales
        self.views = views
    }
}

/// Where the counters are read. They are written by event consumers (``CounterProjections``),
/// never in a request that reads them.
public protocol CounterStore: Sendable {
    /// Batched; products never counted are absent (zero).
    func productCounters(ids: [ProductID]) async throws -> [ProductID: ProductCounters]
    /// Published products directly in each category; absent: zero.
    func categoryCounts(ids: [CategoryID]) async throws -> [CategoryID: Int64]
}

/// No counters (tests and benchmarks without a database): everything reads zero.
public struct ZeroCounterStore: CounterStore {
    public init() {}
    public func productCounters(ids _: [ProductID]) async throws -> [ProductID: ProductCounters] { [:] }
    public func categoryCounts(ids _: [CategoryID]) async throws -> [CategoryID: Int64] { [:] }
}
