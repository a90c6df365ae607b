// Gateway benchmarks (docs/BENCHMARKS.md):
//
// 1. Overhead: the same "products with their stock" read through the distributed gateway (one
//    request), through a single node's composed API (in-process subgraph calls, with --node), and
//    directly against the subgraphs (the client asks catalog, then inventory's `_entities` for
//    the ids it got). Every round runs each path once, in a rotating order, so that the
//    machine's drift falls on all of them alike; the comparison with the direct path is the
//    median over --rounds of each round's own ratio (throughput) and difference (p50).
//    a. Throughput: --concurrency clients, each sending as soon as its last answer came.
//    b. Latency at a fixed rate: --concurrency clients sharing --rate requests/s (default half of
//       the direct path's throughput from a.), each on its own schedule; a latency counts from
//       the moment the request was due, so a stalled server cannot hide its queue (the
//       "coordinated omission" correction).
// 2. Planning: a cold plan of a 30-field, 3-level operation, and the same plan from the cache.
//
//   gateway-bench --gateway URL --catalog URL --inventory URL --seller ID [--node URL]
//                 [--seconds 6] [--concurrency 32] [--rounds 5] [--rate R]
//   gateway-bench --planning-only
// scripts/bench-gateway starts the servers and runs it.

import AsyncHTTPClient
import Foundation
import Gateway
import NIOCore
import NIOFoundationEssentialsCompat
import NIOHTTP1
import Runtime

struct Options {
    var gateway = "", catalog = "", inventory = "", seller = "", node = ""
    var seconds = 6
    var concurrency = 32
    var rounds = 5
    var rate: Double?
    var planningOnly = false

    init(_ arguments: [String]) {
        var i = 1
        while i < arguments.count {
            let value = i + 1 < arguments.count ? arguments[i + 1] : ""
            switch arguments[i] {
            case "--gateway": gateway = value
            case "--catalog": catalog = value
            case "--inventory": inventory = value
            case "--seller": seller = value
            case "--node": node = value
            case "--seconds": seconds = Int(value) ?? seconds
            case "--concurrency": concurrency = Int(value) ?? concurrency
            case "--rounds": rounds = max(1, Int(value) ?? rounds)
            case "--rate": rate = Double(value)
            case "--planning-only": planningOnly = true; i -= 1
            default: fatalError("unknown argument \(arguments[i]); see the comment at the top of main.swift")
            }
            i += 2
        }
    }
}

let options = Options(CommandLine.arguments)

// MARK: Planning

func planningBenchmark() throws {
    let supergraph = try Supergraph.compose(GatewayAssembly.builtInSubgraphs)
    // 30 fields over 3 levels (products → node → price/category/stock/warehouses), across both subgraphs.
    let query = """
        query Deep($first: Int) {
          products(first: $first) {
            pageInfo { hasNextPage endCursor }
            edges {
              cursor
              node {
                id sellerId title slug description status publishAt createdAt updatedAt version imageUrls
                price { amount currency formatted }
                compareAtPrice { amount currency }
                attributes { key value }
                category { id name slug }
                stock { available onHand reserved lowStock }
                inStock
              }
            }
          }
        }
        """
    let clock = ContinuousClock()
    var cold: [Duration] = []
    for _ in 0..<200 {
        let planner = QueryPlanner(supergraph: supergraph)  // an empty cache each time
        let start = clock.now
        _ = try planner.plan(query: query)
        cold.append(clock.now - start)
    }
    let planner = QueryPlanner(supergraph: supergraph)
    _ = try planner.plan(query: query)
    var cached: [Duration] = []
    for _ in 0..<20_000 {
        let start = clock.now
        _ = try planner.plan(query: query)
        cached.append(clock.now - start)
    }
    func micros(_ d: Duration) -> Double { Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12 }
    let c = cold.map(micros).sorted(), h = cached.map(micros).sorted()
    print(String(format: "planning, cold (30 fields, 3 levels): p50 %.0f µs, p99 %.0f µs", c[c.count / 2], c[c.count * 99 / 100]))
    print(String(format: "planning, cached: p50 %.1f µs, p99 %.1f µs", h[h.count / 2], h[h.count * 99 / 100]))
}

// MARK: Overhead

let productFields = "id title price { amount currency }"
let stockFields = "stock { available onHand } inStock"

func post(_ client: HTTPClient, _ url: String, _ body: [String: Any]) async throws -> [String: Any] {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "content-type", value: "application/json")
    // A trace context per request, as real clients send: the gateway forwards it, so identical
    // concurrent reads are not merged into one subgraph fetch (that would flatter the gateway).
    request.headers.add(name: "traceparent", value: "00-\(randomHex(32))-\(randomHex(16))-01")
    // The direct path plays the gateway's part at the node's internal subgraph endpoints.
    if let token = ProcessInfo.processInfo.environment["EMPORIUM_INTERNAL_TOKEN"] {
        request.headers.add(name: "Emporium-Internal-Token", value: token)
    }
    request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
    let response = try await client.execute(request, timeout: .seconds(30))
    let bytes = try await response.body.collect(upTo: 8 << 20)
    guard response.status == .ok, let json = try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any], json["errors"] == nil else {
        throw BenchError("\(url) answered \(response.status): \(String(buffer: bytes).prefix(300))")
    }
    return json
}

func randomHex(_ count: Int) -> String {
    String((0..<count).map { _ in "0123456789abcdef".randomElement()! })
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One logical read through a composed API (the distributed gateway or a node's `/graphql`):
/// 20 products with catalog fields and stock.
func throughGateway(_ url: String) -> @Sendable (HTTPClient) async throws -> Void {
    { client in
        _ = try await post(client, url, [
            "query": "query($s: ID!) { products(first: 20, filter: { sellerId: $s }) { edges { node { \(productFields) \(stockFields) } } } }",
            "variables": ["s": options.seller],
        ])
    }
}

/// The same read without the gateway: catalog first, then inventory for those ids.
@Sendable func direct(_ client: HTTPClient) async throws {
    let catalog = try await post(client, options.catalog, [
        "query": "query($s: ID!) { products(first: 20, filter: { sellerId: $s }) { edges { node { \(productFields) } } } }",
        "variables": ["s": options.seller],
    ])
    let edges = ((catalog["data"] as? [String: Any])?["products"] as? [String: Any])?["edges"] as? [[String: Any]] ?? []
    let ids = edges.compactMap { ($0["node"] as? [String: Any])?["id"] as? String }
    _ = try await post(client, options.inventory, [
        "query": "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { \(stockFields) } } }",
        "variables": ["r": ids.map { ["__typename": "Product", "id": $0] }],
    ])
}

struct Path: Sendable {
    let label: String
    let read: @Sendable (HTTPClient) async throws -> Void
}

struct Run {
    let requestsPerSecond: Double
    let p50: Double, p99: Double
}

func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

/// `options.concurrency` clients for `options.seconds`. Without a rate each client sends as soon
/// as its answer came; with one, client `i` is due every `concurrency / rate` seconds, offset by
/// its index, and its latency counts from when it was due.
func measure(_ path: Path, _ client: HTTPClient, rate: Double?) async throws -> Run {
    let clock = ContinuousClock()
    let start = clock.now
    let end = start + .seconds(options.seconds)
    let clients = options.concurrency
    let interval: Duration? = rate.map { .seconds(Double(clients) / $0) }
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for index in 0..<clients {
            group.addTask {
                var samples: [Double] = []
                var due = start + (interval.map { $0 * index / clients } ?? .zero)
                while due < end {
                    if let interval {
                        if due > clock.now { try await clock.sleep(until: due) }
                        try await path.read(client)
                        samples.append(milliseconds(clock.now - due))
                        due += interval
                    } else {
                        let sent = clock.now
                        try await path.read(client)
                        due = clock.now
                        samples.append(milliseconds(due - sent))
                    }
                }
                return samples
            }
        }
        return try await group.reduce(into: []) { $0 += $1 }.sorted()
    }
    let elapsed = milliseconds(clock.now - start) / 1000
    return Run(requestsPerSecond: Double(latencies.count) / elapsed,
               p50: latencies[latencies.count / 2], p99: latencies[latencies.count * 99 / 100])
}

func padded(_ label: String) -> String { label.padding(toLength: 26, withPad: " ", startingAt: 0) }

/// Every path once per round, the order rotating from round to round; prints each run, then
/// per path the medians and, against the first path (direct), the medians of the rounds' own
/// throughput ratios and p50 differences.
@discardableResult
func alternate(_ title: String, _ paths: [Path], _ client: HTTPClient, rate: Double?) async throws -> [[Run]] {
    print("\n== \(title)")
    var runs = Array(repeating: [Run](), count: paths.count)
    for round in 0..<options.rounds {
        for index in paths.indices.map({ (round + $0) % paths.count }) {
            let run = try await measure(paths[index], client, rate: rate)
            runs[index].append(run)
            print("round \(round + 1)  " + padded(paths[index].label)
                + String(format: " %6.0f req/s  p50 %7.2f ms  p99 %7.2f ms", run.requestsPerSecond, run.p50, run.p99))
        }
    }
    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
    print("medians over \(options.rounds) rounds:")
    for (index, path) in paths.enumerated() {
        let mine = runs[index]
        var line = "  " + padded(path.label) + String(format: " %6.0f req/s  p50 %7.2f ms  p99 %7.2f ms",
            median(mine.map(\.requestsPerSecond)), median(mine.map(\.p50)), median(mine.map(\.p99)))
        if index > 0 {
            let direct = runs[0]
            let ratio = median(zip(mine, direct).map { $0.requestsPerSecond / $1.requestsPerSecond })
            let added = median(zip(mine, direct).map { $0.p50 - $1.p50 })
            line += String(format: "  | vs direct, same round: throughput %.2f, p50 %+.2f ms", ratio, added)
        }
        print(line)
    }
    return runs
}

try planningBenchmark()
if !options.planningOnly {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = options.concurrency
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    var paths = [Path(label: "direct", read: direct), Path(label: "through the gateway", read: throughGateway(options.gateway))]
    if !options.node.isEmpty { paths.append(Path(label: "single node (in-process)", read: throughGateway(options.node))) }
    for path in paths { for _ in 0..<50 { try await path.read(client) } }  // connections, caches, plan cache
    let saturated = try await alternate("throughput: \(options.concurrency) clients, each sending when answered", paths, client, rate: nil)
    let rate = options.rate ?? (saturated[0].map(\.requestsPerSecond).sorted()[saturated[0].count / 2] / 2).rounded()
    try await alternate("latency at a fixed \(Int(rate)) req/s over \(options.concurrency) clients", paths, client, rate: rate)
    try await client.shutdown().get()  // top-level code picks the future-returning overload
}
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")
