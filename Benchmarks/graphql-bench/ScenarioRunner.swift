import GraphQL
import GraphQLExecution
import GraphQLSupport

/// Measures scenarios: every request's answer checked first, a warm-up, then latency on one task
/// (operations one after another, so that wall time per operation approaches its CPU cost), then
/// throughput with many tasks for a fixed time.
struct ScenarioRunner: Sendable {
    let iterations: Int
    let warmUp: Int
    let seconds: Int
    let concurrency: Int

    /// Throws ``AnswerMismatch`` when an answer has errors or is not the expected data.
    @concurrent func run(_ scenario: Scenario) async throws -> ScenarioResult {
        var responseBytes = 0
        for (index, request) in scenario.requests.enumerated() {
            let (outcome, bytes) = await Self.perform(request, on: scenario.executor)
            let answer = outcome.result
            guard answer.errors.isEmpty else { throw AnswerMismatch("request \(index) answered errors: \(answer.errors)") }
            try scenario.check(index, answer)
            responseBytes = max(responseBytes, bytes)
        }
        for iteration in 0..<warmUp {
            try await Self.performChecked(scenario, iteration % scenario.requests.count)
        }
        let latency = try await sequential(scenario)
        let throughput = try await concurrent(scenario)
        return ScenarioResult(
            scenario: scenario, responseBytes: responseBytes, latency: latency.durations, cpuPerOperation: latency.cpu,
            operationsPerSecond: throughput.rate, concurrentCPUPerOperation: throughput.cpu)
    }

    /// `iterations` operations on this task, rotating over the requests.
    private func sequential(_ scenario: Scenario) async throws -> (durations: [Duration], cpu: Duration) {
        var durations: [Duration] = []
        durations.reserveCapacity(iterations)
        let clock = ContinuousClock()
        let cpuStart = ProcessCPUTime.now()
        for iteration in 0..<iterations {
            let start = clock.now
            try await Self.performChecked(scenario, iteration % scenario.requests.count)
            durations.append(clock.now - start)
        }
        return (durations, (ProcessCPUTime.now() - cpuStart) / iterations)
    }

    /// `concurrency` tasks sending back to back for `seconds`. With at least as many requests as
    /// tasks, each task rotates over its own share, so no two send the same request at once.
    private func concurrent(_ scenario: Scenario) async throws -> (rate: Double, cpu: Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .seconds(seconds)
        let cpuStart = ProcessCPUTime.now()
        let (count, concurrency) = (scenario.requests.count, concurrency)
        let operations = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<concurrency {
                let share = count >= concurrency ? Array(stride(from: task, to: count, by: concurrency)) : [task % count]
                group.addTask {
                    var done = 0
                    while clock.now < deadline {
                        try await Self.performChecked(scenario, share[done % share.count])
                        done += 1
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = clock.now - start
        let cpu = ProcessCPUTime.now() - cpuStart
        return (Double(operations) / elapsed.seconds, cpu / max(operations, 1))
    }

    private static func performChecked(_ scenario: Scenario, _ index: Int) async throws {
        let (outcome, _) = await perform(scenario.requests[index], on: scenario.executor)
        guard outcome.errors.isEmpty else { throw AnswerMismatch("request \(index) answered errors during the run: \(outcome.errors)") }
    }

    /// One operation as the HTTP edge performs it, minus the socket and the request's JSON:
    /// a request context (anonymous, with a fresh request id), execution, and the response body
    /// written as JSON. Writing is included because the engine defers work to it (its result tree
    /// is serialized without building a `Map` first).
    private static func perform(_ request: GraphQLSupport.GraphQLRequest, on executor: any GraphQLExecutor) async -> (GraphQLOutcome, Int) {
        let outcome = await executor.execute(request, info: GraphQLRequestInfo(principal: nil))
        var body: [UInt8] = []
        body.reserveCapacity(1024)
        outcome.writeJSON(into: &body)
        return (outcome, body.count)
    }
}
