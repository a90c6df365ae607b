import Foundation

/// The printed table: one row per scenario, in µs, then a legend of what each scenario is.
struct ResultTable {
    let concurrency: Int

    var header: String {
        let titles = ["scenario", "mean µs", "p50 µs", "p99 µs", "CPU µs/op", "ops/s @\(concurrency)", "CPU µs/op @\(concurrency)", "cores @\(concurrency)", "bytes"]
        return Self.line(titles)
    }

    func row(_ result: ScenarioResult) -> String {
        Self.line([
            result.scenario.name,
            Self.micros(result.mean), Self.micros(result.percentile(50)), Self.micros(result.percentile(99)),
            Self.micros(result.cpuPerOperation),
            String(format: "%.0f", result.operationsPerSecond),
            Self.micros(result.concurrentCPUPerOperation),
            String(format: "%.2f", result.coresUsed),
            String(result.responseBytes),
        ])
    }

    func legend(_ results: [ScenarioResult]) -> String {
        (["", "CPU µs/op: process CPU time (all threads) per operation. cores: CPU seconds per second during the\n"
            + "concurrent run (fewer than the machine's cores: other work took the rest, and ops/s is lower in proportion).\n"
            + "bytes: the largest response body."]
            + results.map { "  \($0.scenario.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \($0.scenario.summary)" })
            .joined(separator: "\n")
    }

    private static func micros(_ duration: Duration) -> String {
        String(format: "%.1f", duration.microseconds)
    }

    /// The first column left-aligned, the numbers right-aligned.
    private static func line(_ cells: [String]) -> String {
        let widths = [20, 9, 9, 9, 10, 11, 14, 9, 7]
        return zip(cells, widths).enumerated().map { index, pair in
            let (cell, width) = pair
            let padding = String(repeating: " ", count: max(width - cell.count, 0))
            return index == 0 ? cell + padding : padding + cell
        }.joined(separator: " ")
    }
}
