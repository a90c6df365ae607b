/// What one scenario measured.
struct ScenarioResult: Sendable {
    let scenario: Scenario
    /// The largest response body among the scenario's requests.
    let responseBytes: Int
    /// Wall time of each sequential operation.
    let latency: [Duration]
    /// Process CPU time per operation over the sequential run.
    let cpuPerOperation: Duration
    let operationsPerSecond: Double
    /// Process CPU time per operation over the concurrent run.
    let concurrentCPUPerOperation: Duration

    /// How many cores the process kept busy during the concurrent run.
    var coresUsed: Double { operationsPerSecond * concurrentCPUPerOperation.seconds }

    var mean: Duration { latency.reduce(.zero, +) / latency.count }

    /// The `p`-th percentile (0...100) of the sequential latencies, nearest rank.
    func percentile(_ p: Double) -> Duration {
        let sorted = latency.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}
