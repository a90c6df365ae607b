import EmporiumTesting
import Synchronization
import Testing
@testable import Caching

/// Every wait is bounded: a hung test is cancelled and fails instead of blocking CI.
@Suite(.timeLimit(.minutes(1)))
struct SingleFlightTests {
    struct Boom: Error {}

    @Test
    func concurrentCallsForOneKeyRunTheOperationOnce() async throws {
        let flight = SingleFlight<String, Int>()
        let runs = Tally()
        let callers = 50
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    try await flight.run(key: "hot") {
                        runs.increment()
                        // Hold the flight open until every other caller has joined it.
                        let deadline = ContinuousClock.now + .seconds(10)
                        while flight.followerCount(for: "hot") < callers - 1, ContinuousClock.now < deadline {
                            try await Task.sleep(for: .milliseconds(1))
                        }
                        return 42
                    }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(runs.count == 1)
        #expect(results == Array(repeating: 42, count: callers))
        #expect(flight.inFlightCount == 0)
    }

    @Test
    func errorsReachEveryCallerAndTheNextCallRunsAgain() async throws {
        let flight = SingleFlight<String, Int>()
        await #expect(throws: Boom.self) { try await flight.run(key: "k") { throw Boom() } }
        #expect(try await flight.run(key: "k") { 7 } == 7)
    }

    @Test
    func joinedCallersRunAgainWhenTheLeaderIsCancelled() async throws {
        let flight = SingleFlight<String, Int>()
        let leader = Task {
            try await flight.run(key: "k") {
                try await Task.sleep(for: .seconds(30))
                return 1
            }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        let follower = Task {
            // Join only once the leader's flight is open.
            while flight.inFlightCount == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
            return try await flight.run(key: "k") { 2 }
        }
        while flight.followerCount(for: "k") == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
        leader.cancel()
        await #expect(throws: CancellationError.self) { try await leader.value }
        #expect(try await follower.value == 2, "the follower ran its own operation instead of failing")
    }

    @Test
    func differentKeysDoNotWaitForEachOther() async throws {
        let flight = SingleFlight<String, String>()
        let value = try await flight.run(key: "outer") {
            try await flight.run(key: "inner") { "nested" }
        }
        #expect(value == "nested")
    }
}
