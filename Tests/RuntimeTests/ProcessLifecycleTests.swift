import Logging
import Runtime
import ServiceLifecycle
import Synchronization
import Testing

/// A stop is bounded: a service that ignores graceful shutdown is cancelled once the grace
/// period is over, instead of keeping the process alive.
@Suite struct ProcessLifecycleTests {
    final class Flag: Sendable {
        let raised = Atomic(false)
    }

    /// Ends only when cancelled, as a hung request or connection would.
    struct Stubborn: Service {
        let cancelled: Flag

        func run() async throws {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(10))
            }
            cancelled.raised.store(true, ordering: .relaxed)
        }
    }

    /// Ends as soon as a stop is asked for.
    struct Cooperative: Service {
        func run() async throws {
            try? await gracefulShutdown()
        }
    }

    /// Runs `service` under the process lifecycle, asks it to stop, and says whether the group
    /// returned within 30 s of that.
    func stopsInTime(_ service: any Service, grace: Duration) async throws -> Bool {
        var configuration = RuntimeConfiguration()
        configuration.shutdownGracePeriod = grace
        configuration.shutdownCancellationGrace = .seconds(5)
        let group = ProcessLifecycle.group(running: service, configuration: configuration, logger: Logger(label: "test.lifecycle"))
        return try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask { try await group.run(); return true }
            tasks.addTask { try await Task.sleep(for: .seconds(30)); return false }
            try await Task.sleep(for: .milliseconds(100))
            await group.triggerGracefulShutdown()
            let first = try await tasks.next() ?? false
            tasks.cancelAll()
            return first
        }
    }

    @Test func aStuckServiceIsCancelledAfterTheGracePeriod() async throws {
        let cancelled = Flag()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try await stopsInTime(Stubborn(cancelled: cancelled), grace: .milliseconds(300)), "the group did not return within 30 s of the stop")
        let wasCancelled = cancelled.raised.load(ordering: .relaxed)
        #expect(wasCancelled, "the stuck service was never cancelled")
        #expect(clock.now - start >= .milliseconds(300), "cancelled before the grace period was over")
    }

    @Test func aCooperativeServiceStopsWithoutWaitingForTheGracePeriod() async throws {
        let clock = ContinuousClock()
        let start = clock.now
        #expect(try await stopsInTime(Cooperative(), grace: .seconds(20)))
        // The bound separates "stopped at once" from "waited for the 20 s grace", with room for
        // a machine whose two cores also run the other suites (6.5 s seen once under that load).
        #expect(clock.now - start < .seconds(15), "a service that stops at once must not wait for the grace period")
    }
}
