import OrderedCollections
import Synchronization

/// Least-recently-used plans by normalized operation text and operation name.
final class PlanCache: Sendable {
    private struct State {
        var entries: OrderedDictionary<String, QueryPlan> = [:]
        var hits = 0
        var misses = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func plan(for key: String) -> QueryPlan? {
        state.withLock { state in
            guard let plan = state.entries.removeValue(forKey: key) else {
                state.misses += 1
                return nil
            }
            state.hits += 1
            state.entries[key] = plan
            return plan
        }
    }

    func store(_ plan: QueryPlan, for key: String) {
        state.withLock { state in
            state.entries[key] = plan
            if state.entries.count > capacity { state.entries.removeFirst() }
        }
    }

    var statistics: (hits: Int, misses: Int, count: Int) {
        state.withLock { ($0.hits, $0.misses, $0.entries.count) }
    }
}
