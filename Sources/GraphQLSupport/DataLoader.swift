/// Batches and caches lookups by key within one request, so that resolving a field on N items
/// costs one storage round trip instead of N (the GraphQL N+1 problem).
///
/// Loads requested while a batch is being collected join it; the batch is dispatched once the
/// callers that run concurrently (GraphQL resolves list items in a task group) have had a chance
/// to add their keys. Create one loader per request: its cache must not outlive the request.
public actor DataLoader<Key: Hashable & Sendable, Value: Sendable> {
    public typealias BatchLoad = @Sendable ([Key]) async throws -> [Key: Value]

    private let batchLoad: BatchLoad
    private let maximumBatchSize: Int
    private var cache: [Key: Task<Value?, any Error>] = [:]
    private var pending: [Key] = []
    private var pendingContinuations: [Key: [CheckedContinuation<Value?, any Error>]] = [:]
    private var dispatchScheduled = false

    public init(maximumBatchSize: Int = 1000, _ batchLoad: @escaping BatchLoad) {
        self.batchLoad = batchLoad
        self.maximumBatchSize = maximumBatchSize
    }

    /// The value for `key`, or `nil` when the batch function did not return it.
    public func load(_ key: Key) async throws -> Value? {
        if let task = cache[key] { return try await task.value }
        // A task per key, so concurrent loads of the same key join it; awaited right below.
        let task = Task<Value?, any Error> { try await self.enqueue(key) }
        cache[key] = task
        return try await task.value
    }

    public func loadMany(_ keys: [Key]) async throws -> [Key: Value] {
        var result: [Key: Value] = [:]
        try await withThrowingTaskGroup(of: (Key, Value?).self) { group in
            for key in Set(keys) { group.addTask { (key, try await self.load(key)) } }
            for try await (key, value) in group { if let value { result[key] = value } }
        }
        return result
    }

    /// Seeds the cache with values already at hand (for example the items of a list just read).
    public func prime(_ key: Key, _ value: Value) {
        // An already finished task: the cache holds tasks so loads in flight can be joined.
        if cache[key] == nil { cache[key] = Task { value } }
    }

    private func enqueue(_ key: Key) async throws -> Value? {
        try await withCheckedThrowingContinuation { continuation in
            if pendingContinuations[key] == nil { pending.append(key) }
            pendingContinuations[key, default: []].append(continuation)
            if !dispatchScheduled {
                dispatchScheduled = true
                // Fire and forget, on purpose: the batch must run outside any one caller, which
                // waits in its continuation; it lives only until the batch is answered.
                Task { await self.dispatchWhenSettled() }
            }
        }
    }

    /// Waits until no new keys arrive across a few scheduler turns, then runs the batch.
    private func dispatchWhenSettled() async {
        var quietTurns = 0
        var turns = 0
        while quietTurns < 3 && turns < 200 && pending.count < maximumBatchSize {
            let before = pending.count
            await Task.yield()
            turns += 1
            quietTurns = pending.count == before ? quietTurns + 1 : 0
        }
        let keys = pending
        let continuations = pendingContinuations
        pending = []
        pendingContinuations = [:]
        dispatchScheduled = false
        do {
            let values = try await batchLoad(keys)
            for (key, waiters) in continuations {
                for waiter in waiters { waiter.resume(returning: values[key]) }
            }
        } catch {
            for (key, waiters) in continuations {
                cache[key] = nil // a failed load may be retried by a later request step
                for waiter in waiters { waiter.resume(throwing: error) }
            }
        }
    }
}
