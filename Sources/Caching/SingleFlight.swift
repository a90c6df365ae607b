import Synchronization

/// Collapses concurrent calls for the same key into one: the first caller runs the operation,
/// later callers wait for its result. Protects the database from a stampede of misses on one
/// hot key.
///
/// Callers that join a flight share its outcome, including its error — except cancellation: if
/// the leading caller's task is cancelled, the callers that joined run the operation again
/// (one of them leading) instead of failing with someone else's `CancellationError`.
public final class SingleFlight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private enum Role: Sendable {
        case leader
        case follower(Value)
        /// The leader was cancelled: try again.
        case retry
    }

    private let flights = Mutex<[Key: [CheckedContinuation<Role, any Error>]]>([:])

    public init() {}

    /// Number of keys with a flight in progress.
    public var inFlightCount: Int { self.flights.withLock { $0.count } }

    /// Callers waiting on the flight for `key` (not counting the one running it).
    func followerCount(for key: Key) -> Int {
        self.flights.withLock { $0[key]?.count ?? 0 }
    }

    public func run(key: Key, _ operation: () async throws -> Value) async throws -> Value {
        while true {
            let role = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Role, any Error>) in
                let isLeader = self.flights.withLock { flights in
                    if flights[key] != nil {
                        flights[key]!.append(continuation)
                        return false
                    }
                    flights[key] = []
                    return true
                }
                if isLeader { continuation.resume(returning: .leader) }
            }
            switch role {
            case .follower(let value):
                return value
            case .retry:
                try Task.checkCancellation()
                continue
            case .leader:
                let result: Result<Value, any Error>
                do {
                    result = .success(try await operation())
                } catch {
                    result = .failure(error)
                }
                let followers = self.flights.withLock { $0.removeValue(forKey: key) } ?? []
                let leaderCancelled = Task.isCancelled && (try? result.get()) == nil
                for follower in followers {
                    if leaderCancelled {
                        follower.resume(returning: .retry)
                    } else {
                        follower.resume(with: result.map { .follower($0) })
                    }
                }
                return try result.get()
            }
        }
    }
}
