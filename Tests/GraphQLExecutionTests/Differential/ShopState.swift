import Synchronization

/// The mutable side of the shop, passed to both executors as their context: the counter, log and
/// favourite colours that mutations change. Root mutation fields must run one after another, each
/// with its whole subtree, so every mutation's answer (and the `live` views read inside its
/// subtree) shows the order they ran in. Reset before each executor runs an operation.
final class ShopState: Sendable {
    struct Values: Sendable, Equatable, CustomStringConvertible {
        var counter = 0
        var history: [Int] = []
        var log: [String] = []
        var favorites: [String: String] = [:]

        var description: String {
            "counter \(counter), history \(history), log \(log), favorites \(favorites.sorted { $0.key < $1.key })"
        }
    }

    let fixture: ShopFixture
    private let values = Mutex(Values())

    init(fixture: ShopFixture = .standard) {
        self.fixture = fixture
    }

    func reset() {
        values.withLock { $0 = Values() }
    }

    var snapshot: Values { values.withLock { $0 } }

    /// Adds `by` (wrapping: a client may send Int.max) and returns the new value.
    func increment(by: Int) -> CounterSnapshot {
        values.withLock { state in
            state.counter = state.counter &+ by
            state.history.append(state.counter)
            return CounterSnapshot(value: state.counter)
        }
    }

    func append(_ entry: String, times: Int) -> CounterSnapshot {
        values.withLock { state in
            for _ in 0..<min(max(times, 0), 3) { state.log.append(entry) }
            return CounterSnapshot(value: state.counter)
        }
    }

    func setFavorite(_ color: String, of personID: String) -> PersonRecord? {
        guard let person = fixture.person(personID) else { return nil }
        values.withLock { $0.favorites[personID] = color }
        return person
    }

    func favoriteColor(of person: PersonRecord) -> String? {
        values.withLock { $0.favorites[person.id] } ?? person.favoriteColor
    }

    /// Throws with the counter in the message, so a mutation error shows when it ran.
    func failMutation(code: Int) throws -> CounterSnapshot {
        let counter = values.withLock { $0.counter }
        throw ResolverFailure("mutation failed with code \(code) at counter \(counter)")
    }
}

/// A short suspension that ignores cancellation: GraphQLSwift cancels sibling tasks when a
/// non-null error propagates, and a `CancellationError` would add errors of its own.
func pause(microseconds: Int) async {
    try? await Task.sleep(nanoseconds: UInt64(min(max(microseconds, 0), 200)) * 1_000)
}
