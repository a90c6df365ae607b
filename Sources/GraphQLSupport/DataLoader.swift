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

    /// The values of `keys` (absent when the batch function did not return them). Keys nobody
    /// asked for yet go to the batch function together, at once: all of them are known here, so
    /// there is no need to wait for more (and no batch to split on a loaded machine).
    public func loadMany(_ keys: [Key]) async throws -> [Key: Value] {
        let unique = Array(Set(keys))
        let missing = unique.filter { cache[$0] == nil }
        if !missing.isEmpty {
            let batchLoad = self.batchLoad
            // One task for the batch and one per key reading from it, so that concurrent loads
            // of these keys join them like any other in-flight load; awaited right below.
            let batch = Task<[Key: Value], any Error> { try await batchLoad(missing) }
            // Short-lived: each ends when the batch answers (awaited below, or by a joining load).
            for key in missing { cache[key] = Task { try await batch.value[key] } }
            do {
                _ = try await batch.value
            } catch {
                for key in missing { cache[key] = nil }  // a failed load may be retried later
                throw error
            }
        }
        var result: [Key: Value] = [:]
        for key in unique {
            if let value = try await cache[key]?.value { result[key] = value }
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
