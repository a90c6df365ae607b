/// Batches and caches lookups by key within one request, so that resolving a field on N items
/// costs one storage round trip instead of N (the GraphQL N+1 problem).
///
/// The engine's batch resolvers ask for a whole level of keys at once (``loadMany(_:)``): one
/// round trip, no waiting. Single ``load(_:)``s of resolvers called per item join a batch that
/// is dispatched once the callers running concurrently have had a chance to add their keys.
/// Create one loader per request: its cache must not outlive the request.
public actor DataLoader<Key: Hashable & Sendable, Value: Sendable> {
    public typealias BatchLoad = @Sendable ([Key]) async throws -> [Key: Value]

    /// What the loader knows of a key: its value (or its absence), or the load that will tell.
    private enum Entry {
        case loaded(Value?)
        /// A single load waiting in the batching window.
        case waiting(Task<Value?, any Error>)
        /// Part of a batch of `loadMany` in flight (its number), answered by the batch's dictionary.
        case batch(Int)
    }

    private let batchLoad: BatchLoad
    private let maximumBatchSize: Int
    private var cache: [Key: Entry] = [:]
    private var pending: [Key] = []
    private var pendingContinuations: [Key: [CheckedContinuation<Value?, any Error>]] = [:]
    private var dispatchScheduled = false
    /// Who waits for each `loadMany` batch in flight, by batch number.
    private var batchWaiters: [Int: [CheckedContinuation<[Key: Value], any Error>]] = [:]
    private var nextBatch = 0

    public init(maximumBatchSize: Int = 1000, _ batchLoad: @escaping BatchLoad) {
        self.batchLoad = batchLoad
        self.maximumBatchSize = maximumBatchSize
    }

    /// The value for `key`, or `nil` when the batch function did not return it. A key not yet
    /// known waits a few scheduler turns for loads running concurrently (resolvers called per
    /// item) to join its batch; prefer ``loadMany(_:)`` when the keys are known together.
    public func load(_ key: Key) async throws -> Value? {
        switch cache[key] {
        case .loaded(let value): return value
        case .waiting(let task): return try await task.value
        case .batch(let batch): return try await waitFor(batch)[key]
        case nil:
            // A task per key, so concurrent loads of the same key join it; awaited right below.
            let task = Task<Value?, any Error> { try await self.enqueue(key) }
            cache[key] = .waiting(task)
            do {
                let value = try await task.value
                cache[key] = .loaded(value)
                return value
            } catch {
                cache[key] = nil  // a failed load may be retried later
                throw error
            }
        }
    }

    /// The values of `keys` (absent when the batch function did not return them). Keys nobody
    /// asked for yet go to the batch function together, at once: all of them are known here, so
    /// there is no need to wait for more (and no batch to split on a loaded machine). Keys
    /// already loaded cost a dictionary read.
    public func loadMany(_ keys: [Key]) async throws -> [Key: Value] {
        var result: [Key: Value] = [:]
        var missing: [Key] = []
        var inFlight: [Key] = []
        var seen = Set<Key>()
        for key in keys where seen.insert(key).inserted {
            switch cache[key] {
            case .loaded(let value): if let value { result[key] = value }
            case .some: inFlight.append(key)
            case nil: missing.append(key)
            }
        }
        var start = 0
        while start < missing.count {
            let chunk = Array(missing[start..<min(start + maximumBatchSize, missing.count)])
            start += chunk.count
            // Loads of these keys arriving while the batch runs wait for its answer.
            let batch = nextBatch
            nextBatch += 1
            for key in chunk { cache[key] = .batch(batch) }
            batchWaiters[batch] = []
            do {
                let values = try await batchLoad(chunk)
                for key in chunk {
                    cache[key] = .loaded(values[key])
                    if let value = values[key] { result[key] = value }
                }
                for waiter in batchWaiters.removeValue(forKey: batch) ?? [] { waiter.resume(returning: values) }
            } catch {
                for key in chunk { cache[key] = nil }  // a failed load may be retried later
                for waiter in batchWaiters.removeValue(forKey: batch) ?? [] { waiter.resume(throwing: error) }
                throw error
            }
        }
        // Read again: a batch awaited above may have finished (or failed) meanwhile.
        for key in inFlight {
            let value: Value? = switch cache[key] {
            case .loaded(let value): value
            case .waiting(let task): try await task.value
            case .batch(let batch): try await waitFor(batch)[key]
            case nil: try await loadMany([key])[key]
            }
            if let value { result[key] = value }
        }
        return result
    }

    private func waitFor(_ batch: Int) async throws -> [Key: Value] {
        try await withCheckedThrowingContinuation { batchWaiters[batch, default: []].append($0) }
    }

    /// Seeds the cache with values already at hand (for example the items of a list just read).
    public func prime(_ key: Key, _ value: Value) {
        if cache[key] == nil { cache[key] = .loaded(value) }
    }

    /// Seeds the cache with many values in one call (one hop to the loader, not one per value).
    public func prime(_ values: [(Key, Value)]) {
        for (key, value) in values where cache[key] == nil { cache[key] = .loaded(value) }
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
            for (_, waiters) in continuations {
                for waiter in waiters { waiter.resume(throwing: error) }
            }
        }
    }
}
