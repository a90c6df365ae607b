import Synchronization

/// ``TagInvalidation`` in this process's memory, for the single node (where the services that
/// change data and the gateway that caches answers share the process).
///
/// Memory is bounded by the tags changed within `retention`: older changes are forgotten
/// (amortised: a sweep runs when the table has doubled since the last one).
public final class InMemoryTagInvalidation: LocalTagInvalidation {
    public let retention: Duration
    public let hold: Duration
    private let clock: ContinuousClock

    private struct Change {
        var position: UInt64
        var at: ContinuousClock.Instant
    }

    private struct State {
        var position: UInt64 = 0
        var changes: [String: Change] = [:]
        var sweepAt = 1024
    }

    private let state = Mutex(State())

    public init(retention: Duration = .seconds(600), hold: Duration = .seconds(1), clock: ContinuousClock = ContinuousClock()) {
        precondition(retention > hold, "retention must exceed hold")
        self.retention = retention
        self.hold = hold
        self.clock = clock
    }

    public func position() -> UInt64 {
        state.withLock { $0.position }
    }

    public func isCurrent(_ tags: [String], since position: UInt64) -> Bool {
        state.withLock { state in
            tags.allSatisfy { (state.changes[$0]?.position ?? 0) <= position }
        }
    }

    public func isCurrentLocally(_ tags: [String], since position: UInt64) -> Bool {
        isCurrent(tags, since: position)
    }

    public func mayStore(_ tags: [String], since position: UInt64) -> Bool {
        let recent = clock.now - hold
        return state.withLock { state in
            tags.allSatisfy { tag in
                guard let change = state.changes[tag] else { return true }
                return change.position <= position && change.at < recent
            }
        }
    }

    public func invalidate(_ tags: [String]) {
        guard !tags.isEmpty else { return }
        let now = clock.now
        state.withLock { state in
            state.position += 1
            for tag in tags { state.changes[tag] = Change(position: state.position, at: now) }
            if state.changes.count >= state.sweepAt {
                let forgotten = now - retention
                state.changes = state.changes.filter { $0.value.at >= forgotten }
                state.sweepAt = max(1024, state.changes.count * 2)
            }
        }
    }

    /// Tags whose change is still remembered (for tests and metrics).
    public var rememberedCount: Int {
        state.withLock { $0.changes.count }
    }
}
