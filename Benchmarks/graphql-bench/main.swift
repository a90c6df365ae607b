// graphql-bench: the GraphQL path's own cost, in process — no HTTP, no PostgreSQL. The catalog
// and inventory services run on in-memory stores (1,000 products, 20 categories, stock in two
// warehouses), the federation gateway calls them in process as a single node does, and each
// scenario sends real requests with variables, as clients send them.
//
//   swift build -c release --product graphql-bench --scratch-path .build-bench
//   .build-bench/release/graphql-bench [--iterations 3000] [--seconds 5] [--scenario NAME[,NAME...]]
//
// Per scenario: every request's answer is checked (no errors, the expected data) before anything
// is timed; then a warm-up; then `--iterations` operations one after another on one task (mean,
// p50, p99 wall time, and process CPU per operation); then 32 tasks back to back for
// `--seconds` (operations per second, CPU per operation). An operation is what the HTTP edge
// does with a parsed request: execute it and write the JSON response body.
//
// Compare commits by CPU µs/op first: when other work shares the cores it moves far less than
// wall time does. Numbers from different machines do not compare.
import Foundation
import NIOCore
import NIOPosix

// As `emporium` does: Swift concurrency runs on NIO's event loops, so timers the gateway
// schedules land on the loop the task is already on.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

/// Unbuffered, so that each row shows as soon as its scenario ends.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let options = BenchmarkOptions(arguments: CommandLine.arguments)
let dataset = BenchmarkDataset()
let node = try InProcessNode(dataset: dataset)
let all: [Scenario] = [
    .subgraphBySlug(node, dataset),
    .subgraphPage(node, dataset),
    .subgraphEntities(node, dataset),
    .gatewayBySlug(node, dataset),
    .gatewayPageWithStock(node, dataset),
]
let unknown = options.scenarios.filter { name in !all.contains { $0.name == name } }
if !unknown.isEmpty {
    BenchmarkOptions.fail("unknown scenario \(unknown.joined(separator: ", ")); known: \(all.map(\.name).joined(separator: ", "))")
}
let selected = options.scenarios.isEmpty ? all : all.filter { options.scenarios.contains($0.name) }
let runner = ScenarioRunner(iterations: options.iterations, warmUp: options.warmUp, seconds: options.seconds, concurrency: options.concurrency)

let table = ResultTable(concurrency: options.concurrency)
say("graphql-bench: \(dataset.products.count) products, \(options.iterations) sequential operations per scenario after "
    + "\(options.warmUp) warm-up, \(options.concurrency) tasks for \(options.seconds) s")
// Other work on the machine shows in wall time and in ops/s: say how busy it was.
let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
say("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(load) at start")
say(table.header)
var results: [ScenarioResult] = []
for scenario in selected {
    do {
        let result = try await runner.run(scenario)
        results.append(result)
        say(table.row(result))
    } catch {
        FileHandle.standardError.write(Data("graphql-bench: \(scenario.name): \(error)\n".utf8))
        exit(1)
    }
}
say(table.legend(results))
