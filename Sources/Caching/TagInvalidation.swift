/// Invalidation by tag for caches of whole answers (the GraphQL response cache).
///
/// A tag names something an answer was built from: `product:<id>`, `stock:<id>`, `products`
/// (any list of products). Invalidating a tag makes every answer built from it stale at once,
/// however many there are, without finding them: each change moves a global *position*
/// forward and records it on the tag. An answer remembers the position read *before* it was
/// computed, and stays current while none of its tags changed after that position.
///
/// Why this is safe: a tag is invalidated only after the change committed. A reader that read the
/// position before the invalidation sees the tag as changed and treats its answer as stale; one
/// that read it after computes from committed data.
///
/// A change is also *recent* for `hold` after it: answers computed then are not stored at all,
/// which covers a second-level cache (the product cache) that drops its entry a moment after the
/// commit rather than at the same instant.
///
/// Adapters: ``InMemoryTagInvalidation`` (one process: the single node) and
/// ``RedisTagInvalidation`` (shared by the gateways and services of the distributed topology).
/// Both pass one contract suite. Errors are the backend's; callers treat them as "not current".
public protocol TagInvalidation: Sendable {
    /// The current position; read it before computing an answer.
    func position() async throws -> UInt64

    /// Whether none of `tags` changed after `position`: a stored answer may still be served.
    func isCurrent(_ tags: [String], since position: UInt64) async throws -> Bool

    /// Whether an answer computed from `position` may be stored: current, and no tag changed
    /// within the hold.
    func mayStore(_ tags: [String], since position: UInt64) async throws -> Bool

    /// Marks the tags changed. Call after the change committed.
    func invalidate(_ tags: [String]) async throws

    /// How long a change is remembered. Answers must not be kept longer than this: a forgotten
    /// change would make an answer older than it look current.
    var retention: Duration { get }
}

/// A ``TagInvalidation`` that knows from this process's memory whether answers are current,
/// without waiting: the response cache can then answer a hit on the connection's event loop
/// (``ResponseCache/immediateHit(_:)``).
public protocol LocalTagInvalidation: TagInvalidation {
    /// ``TagInvalidation/isCurrent(_:since:)``, answered at once.
    func isCurrentLocally(_ tags: [String], since position: UInt64) -> Bool
}
