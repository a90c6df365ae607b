import ServiceLifecycle
import Synchronization

/// Holds background services back until the database schema is current: relays and consumers
/// would otherwise query tables that the start-up migration has not created yet.
final class StartGate: Sendable {
    private let isOpen = Atomic(false)

    func open() { isOpen.store(true, ordering: .releasing) }

    /// Returns when the gate opens; throws `CancellationError` if cancelled first. Polls:
    /// start-up happens once, and polling keeps cancellation trivially correct.
    func wait() async throws {
        while !isOpen.load(ordering: .acquiring) {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// A service that starts only once its gate opens; a shutdown before that simply ends it.
struct GatedService: Service {
    let gate: StartGate
    let inner: any Service

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await gate.wait() }
        } catch is CancellationError {
            return
        }
        try await inner.run()
    }
}
