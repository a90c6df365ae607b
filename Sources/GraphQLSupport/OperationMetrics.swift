import GraphQL
import Metrics
import Synchronization

/// Request counts and latency per operation name, recorded where requests arrive over HTTP
/// (`GraphQLHTTP`), whatever executes them — a subgraph or the federation gateway. Calls the
/// gateway makes to in-process subgraphs do not pass through HTTP and are not counted twice.
///
/// Names come from clients, so a name gets its own series only once it is common: after
/// `admissionCount` requests, counted among at most `maximumCandidates` recent names (when they
/// are full, every count is halved). A flood of made-up names (each rare) folds into "other"
/// and cannot use up the `maximumNames` series that real operations need.
final class OperationMetrics: Sendable {
    static let shared = OperationMetrics()
    static let maximumNames = 200
    static let admissionCount = 100
    static let maximumCandidates = 1000
    private let names = Mutex(OperationNames())
    /// Metric handles by label: making one asks the metrics backend to look it up (a lock and
    /// string keys), which on the response cache's hit path cost as much as the hit itself.
    /// Bounded by the labels: at most `maximumNames` + 2 names, four outcomes.
    private let handles = Mutex(Handles())

    private struct Handles {
        var counters: [String: [String: Counter]] = [:]
        var timers: [String: Timer] = [:]
    }

    /// The outcome label of an answer the response cache gave: nothing was executed.
    static let cachedStatus = "cached"
    /// The outcome label of a request the overload gate refused (503): nothing was executed.
    static let overloadedStatus = "overloaded"

    /// `rejected` (nothing ran), `ok`, or `error` (executed with errors).
    static func status(of outcome: GraphQLOutcome) -> String {
        switch outcome.kind {
        case .requestError, .methodNotAllowed: "rejected"
        case .executed: outcome.errors.isEmpty ? "ok" : "error"
        }
    }

    func record(operation: String?, status: String, duration: Duration) {
        let name = label(for: operation)
        let (counter, timer) = handles.withLock { handles in
            let counter = handles.counters[name]?[status] ?? {
                let made = Counter(label: "graphql_requests_total", dimensions: [("operation", name), ("outcome", status)])
                handles.counters[name, default: [:]][status] = made
                return made
            }()
            let timer = handles.timers[name] ?? {
                let made = Timer(label: "graphql_request_duration_seconds", dimensions: [("operation", name)])
                handles.timers[name] = made
                return made
            }()
            return (counter, timer)
        }
        counter.increment()
        timer.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    func label(for operation: String?) -> String {
        guard let operation, !operation.isEmpty else { return "anonymous" }
        let name = String(operation.prefix(64))
        return names.withLock { $0.label(for: name) }
    }
}

/// The admission state behind `OperationMetrics.label(for:)`.
struct OperationNames {
    private var admitted: Set<String> = []
    private var candidates: [String: Int] = [:]

    mutating func label(for name: String) -> String {
        if admitted.contains(name) { return name }
        guard admitted.count < OperationMetrics.maximumNames else { return "other" }
        let count = (candidates[name] ?? 0) + 1
        if count >= OperationMetrics.admissionCount {
            candidates[name] = nil
            admitted.insert(name)
            return name
        }
        if candidates[name] == nil, candidates.count >= OperationMetrics.maximumCandidates {
            // Halving forgets the rare names (a flood's) and keeps the common ones ahead.
            candidates = candidates.compactMapValues { $0 / 2 > 0 ? $0 / 2 : nil }
            if candidates.count >= OperationMetrics.maximumCandidates { candidates.removeAll(keepingCapacity: true) }
        }
        candidates[name] = count
        return "other"
    }
}
