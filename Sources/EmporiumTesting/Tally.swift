import Synchronization

/// A thread-safe count that closures can capture (an `Atomic` cannot be captured).
public final class Tally: Sendable {
    private let value = Atomic<Int>(0)

    public init() {}

    public func increment() { self.value.add(1, ordering: .relaxed) }
    public var count: Int { self.value.load(ordering: .relaxed) }
}
