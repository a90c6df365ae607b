import Logging
import Synchronization
import Testing
@testable import GraphQLSupport

/// The public endpoint's admission when overloaded: writes ahead of reads, a refusal instead of
/// a wait longer than allowed, a bounded line, nothing left behind by a cancelled request.
@Suite struct OverloadGateTests {
    let logger = Logger(label: "test.overload")

    /// Holds the gate's only slot until `release()`.
    final class Holder: Sendable {
        private let (stream, continuation) = AsyncStream<Void>.makeStream()
        func hold() async { for await _ in stream { return } }
        func release() { continuation.yield() }
    }

    final class Recorder: Sendable {
        private let recorded = Mutex<[String]>([])
        func append(_ item: String) { recorded.withLock { $0.append(item) } }
        var items: [String] { recorded.withLock { $0 } }
    }

    /// Waits until `gate` runs one operation (the holder's).
    func waitForRunning(_ gate: OverloadGate) async throws {
        for _ in 0..<5_000 where gate.load.running == 0 { try await Task.sleep(for: .milliseconds(1)) }
        #expect(gate.load.running == 1)
    }

    /// Waits until `gate` has `count` requests in line.
    func waitForLine(_ gate: OverloadGate, _ count: Int) async throws {
        for _ in 0..<5_000 where gate.load.waiting < count { try await Task.sleep(for: .milliseconds(1)) }
        #expect(gate.load.waiting == count)
    }

    @Test func underTheLimitEverythingRunsAtOnce() async {
        let gate = OverloadGate(.init(limit: 2), logger: logger)
        #expect(await gate.run(.read) { 1 } == 1)
        #expect(await gate.run(.write) { 2 } == 2)
        #expect(gate.refusedCount == 0 && gate.load.running == 0)
    }

    @Test func writesGoAheadOfReadsThatWaitedLonger() async throws {
        let gate = OverloadGate(.init(limit: 1, maximumWait: .seconds(60)), logger: logger)
        let holder = Holder()
        let order = Recorder()
        let held = Task { await gate.run(.read) { await holder.hold() } }
        try await waitForRunning(gate)
        let read = Task { await gate.run(.read) { order.append("read") } }
        try await waitForLine(gate, 1)
        let write = Task { await gate.run(.write) { order.append("write") } }
        try await waitForLine(gate, 2)
        holder.release()
        _ = await (held.value, read.value, write.value)
        #expect(order.items == ["write", "read"])
        #expect(gate.load.running == 0 && gate.refusedCount == 0)
    }

    @Test func aWaitLongerThanAllowedIsRefusedAtOnce() async throws {
        let gate = OverloadGate(.init(limit: 1, maximumWait: .milliseconds(1)), logger: logger)
        // One operation of 20 ms teaches the gate what an operation takes.
        _ = await gate.run(.read) { try? await Task.sleep(for: .milliseconds(20)) }
        let holder = Holder()
        let held = Task { await gate.run(.read) { await holder.hold() } }
        try await waitForRunning(gate)
        let started = ContinuousClock.now
        #expect(await gate.run(.read) { "ran" } == nil)
        #expect(ContinuousClock.now - started < .milliseconds(500), "refused without waiting")
        #expect(gate.refusedCount == 1)
        holder.release()
        _ = await held.value
    }

    @Test func theLineIsBounded() async throws {
        let gate = OverloadGate(.init(limit: 1, maximumWait: .seconds(60), maximumWaiting: 2), logger: logger)
        let holder = Holder()
        let held = Task { await gate.run(.read) { await holder.hold() } }
        try await waitForRunning(gate)
        let waiting = [Task { await gate.run(.read) { 1 } }, Task { await gate.run(.read) { 2 } }]
        try await waitForLine(gate, 2)
        #expect(await gate.run(.write) { 3 } == nil)
        holder.release()
        _ = await held.value
        let (first, second) = (await waiting[0].value, await waiting[1].value)
        #expect(first == 1 && second == 2)
    }

    @Test func whoWaitedPastTheLimitIsRefusedWhenItsTurnComes() async throws {
        let gate = OverloadGate(.init(limit: 1, maximumWait: .milliseconds(50)), logger: logger)
        let holder = Holder()
        let held = Task { await gate.run(.read) { await holder.hold() } }
        try await waitForRunning(gate)
        // Nothing has finished yet, so nothing estimates a wait: this one is let into the line.
        let late = Task { await gate.run(.read) { "ran" } }
        try await waitForLine(gate, 1)
        try await Task.sleep(for: .milliseconds(100))
        holder.release()
        _ = await held.value
        #expect(await late.value == nil)
        #expect(gate.refusedCount == 1 && gate.load.running == 0)
    }

    @Test func aCancelledRequestLeavesTheLine() async throws {
        let gate = OverloadGate(.init(limit: 1, maximumWait: .seconds(60)), logger: logger)
        let holder = Holder()
        let held = Task { await gate.run(.read) { await holder.hold() } }
        try await waitForRunning(gate)
        let cancelled = Task { await gate.run(.read) { "ran" } }
        try await waitForLine(gate, 1)
        cancelled.cancel()
        #expect(await cancelled.value == nil)
        #expect(gate.load.waiting == 0)
        holder.release()
        _ = await held.value
        #expect(gate.load.running == 0)
        #expect(await gate.run(.read) { "next" } == "next")
    }
}
