// Gateway benchmarks (docs/BENCHMARKS.md):
//
// 1. Overhead: the same "products with their stock" read, through the gateway (one request) and
//    directly against the subgraphs (the client asks catalog, then inventory's `_entities` for the
//    ids it got), at --concurrency clients for --seconds each; requests/s and p50/p99.
// 2. Planning: a cold plan of a 30-field, 3-level operation, and the same plan from the cache.
//
//   gateway-bench --gateway URL --catalog URL --inventory URL --seller ID [--seconds 15] [--concurrency 32]
//   gateway-bench --planning-only
// scripts/bench-gateway starts the servers and runs it.

import AsyncHTTPClient
import Foundation
import Gateway
import NIOCore
import Runtime

struct Options {
    var gateway = "", catalog = "", inventory = "", seller = ""
    var seconds = 15
    var concurrency = 32
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
            case "--seconds": seconds = Int(value) ?? seconds
            case "--concurrency": concurrency = Int(value) ?? concurrency
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

/// One logical read through the gateway: 20 products with catalog fields and stock.
func throughGateway(_ client: HTTPClient) async throws {
    _ = try await post(client, options.gateway, [
        "query": "query($s: ID!) { products(first: 20, filter: { sellerId: $s }) { edges { node { \(productFields) \(stockFields) } } } }",
        "variables": ["s": options.seller],
    ])
}

/// The same read without the gateway: catalog first, then inventory for those ids.
func direct(_ client: HTTPClient) async throws {
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

func load(_ label: String, _ client: HTTPClient, _ operation: @escaping @Sendable (HTTPClient) async throws -> Void) async throws {
    for _ in 0..<50 { try await operation(client) }  // warm-up: connections, caches, plan cache
    let clock = ContinuousClock()
    let end = clock.now + .seconds(options.seconds)
    let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
        for _ in 0..<options.concurrency {
            group.addTask {
                var samples: [Double] = []
                while clock.now < end {
                    let start = clock.now
                    try await operation(client)
                    let d = clock.now - start
                    samples.append(Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
                }
                return samples
            }
        }
        return try await group.reduce(into: []) { $0 += $1 }.sorted()
    }
    print(String(format: "%@: %.0f req/s, p50 %.2f ms, p99 %.2f ms (%d requests, %d clients)", label,
                 Double(latencies.count) / Double(options.seconds), latencies[latencies.count / 2], latencies[latencies.count * 99 / 100],
                 latencies.count, options.concurrency))
}

try planningBenchmark()
if !options.planningOnly {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = options.concurrency
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    try await load("direct (catalog, then inventory _entities)", client, direct)
    try await load("through the gateway", client, throughGateway)
    try await load("direct again (drift check)", client, direct)
    try await client.shutdown().get()  // top-level code picks the future-returning overload
}
print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")
