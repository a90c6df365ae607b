import Metrics
import Synchronization

/// Request counts and latency per operation name, recorded where requests arrive over HTTP
/// (`GraphQLHTTP`), whatever executes them — a subgraph or the federation gateway. Calls the
/// gateway makes to in-process subgraphs do not pass through HTTP and are not counted twice.
///
/// Names come from clients, so only the first `maximumNames` distinct ones get their own series;
/// the rest share "other".
final class OperationMetrics: Sendable {
    static let shared = OperationMetrics()
    static let maximumNames = 200
    private let names = Mutex(Set<String>())

    func record(operation: String?, outcome: GraphQLOutcome, duration: Duration) {
        let name = label(for: operation)
        let status: String
        switch outcome.kind {
        case .requestError, .methodNotAllowed: status = "rejected"
        case .executed: status = outcome.result.errors.isEmpty ? "ok" : "error"
        }
        Counter(label: "graphql_requests_total", dimensions: [("operation", name), ("outcome", status)]).increment()
        Timer(label: "graphql_request_duration_seconds", dimensions: [("operation", name)]).recordNanoseconds(
            duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        )
    }

    private func label(for operation: String?) -> String {
        guard let operation, !operation.isEmpty else { return "anonymous" }
        let name = String(operation.prefix(64))
        return names.withLock { names in
            if names.contains(name) { return name }
            guard names.count < Self.maximumNames else { return "other" }
            names.insert(name)
            return name
        }
    }
}
