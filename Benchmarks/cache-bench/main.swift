// cache-bench: the in-process caches' throughput: `InMemoryCache` get/set (hit-heavy mix over
// 100k keys, 2 tasks) and `ResponseCache` lookup hits with `InMemoryTagInvalidation`.
//
//   swift build -c release --product cache-bench --build-path .build-release
//   .build-release/release/cache-bench [--operations N] [--tasks T] [--rounds R]
//
// No servers, no I/O: it measures the cost of the caches' own bookkeeping and locking.
import Caching
import Foundation
import GraphQL
import GraphQLSupport
import Logging
import NIOCore

struct Options {
    var operations = 2_000_000
    var tasks = 2
    var rounds = 3

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--operations": operations = Int(iterator.next() ?? "") ?? operations
            case "--tasks": tasks = Int(iterator.next() ?? "") ?? tasks
            case "--rounds": rounds = Int(iterator.next() ?? "") ?? rounds
            default:
                print("usage: cache-bench [--operations N per task] [--tasks T] [--rounds R]")
                exit(2)
            }
        }
    }
}

/// A small fast generator, one per task: `Int.random` would cost more than a cache hit.
struct XorShift {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}

/// Runs `operation` `perTask` times in each of `tasks` tasks; returns operations per second and
/// what the tasks counted (hits).
func measure(tasks: Int, perTask: Int, _ operation: @escaping @Sendable (_ task: Int, _ count: Int) async throws -> Int) async throws -> (
    rate: Double, counted: Int
) {
    let start = ContinuousClock.now
    let counted = try await withThrowingTaskGroup(of: Int.self) { group in
        for task in 0..<tasks { group.addTask { try await operation(task, perTask) } }
        return try await group.reduce(0, +)
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(tasks * perTask) / seconds, counted)
}

func format(_ value: Double) -> String { String(format: "%12.0f", value) }

let keyCount = 100_000

/// 90% gets, 10% sets, keys uniform over 100k; every key is stored before the clock starts.
func inMemoryCache(maximumEntries: Int, options: Options) async throws -> (rate: Double, hitRatio: Double) {
    let cache = InMemoryCache(maximumEntries: maximumEntries, maximumBytes: 256 << 20)
    let keys = (0..<keyCount).map { "product:\($0)" }
    let value = [UInt8](repeating: 7, count: 64)
    for key in keys { try await cache.set(key, to: value, ttl: .seconds(600)) }
    let result = try await measure(tasks: options.tasks, perTask: options.operations) { task, count in
        var random = XorShift(state: 0x9E37_79B9_7F4A_7C15 &+ UInt64(task) &* 0x1234_5678_9ABC_DEF1)
        var hits = 0
        for _ in 0..<count {
            let draw = random.next()
            let key = keys[Int(draw % UInt64(keyCount))]
            if draw >> 60 == 0 {  // 1 in 16
                try await cache.set(key, to: value, ttl: .seconds(600))
            } else if try await cache.get(key) != nil {
                hits += 1
            }
        }
        return hits
    }
    let gets = options.tasks * options.operations * 15 / 16
    return (result.rate, Double(result.counted) / Double(gets))
}

/// 1,000 stored answers (one product page each, 2 tags, 1 KB), looked up by 2 tasks.
func responseCache(options: Options) async throws -> (rate: Double, hitRatio: Double) {
    var logger = Logger(label: "cache-bench")
    logger.logLevel = .warning
    let tags = InMemoryTagInvalidation(hold: .milliseconds(1))
    let cache = ResponseCache(invalidation: tags, logger: logger)
    let query = "query ProductPage($slug: String!) { productBySlug(slug: $slug) { id title price { amount currency } stock { available } } }"
    let keys = (0..<1_000).map {
        ResponseCache.Key(GraphQLRequest(query: query, operationName: "ProductPage", variables: ["slug": .string("lamp-\($0)")]))
    }
    let position = tags.position()
    try await Task.sleep(for: .milliseconds(5))  // past the hold
    let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1_024)
    for (index, key) in keys.enumerated() {
        await cache.store(key, body: body, tags: ["product:\(index)", "stock:\(index)"], maxAge: .seconds(600), since: position)
    }
    let perTask = options.operations / 4
    let result = try await measure(tasks: options.tasks, perTask: perTask) { task, count in
        var random = XorShift(state: 0xDEAD_BEEF &+ UInt64(task) &* 0x1234_5678_9ABC_DEF1)
        var hits = 0
        for _ in 0..<count {
            if case .hit = await cache.lookup(keys[Int(random.next() % UInt64(keys.count))]) { hits += 1 }
        }
        return hits
    }
    return (result.rate, Double(result.counted) / Double(options.tasks * perTask))
}

let options = Options(arguments: CommandLine.arguments)
print("cache-bench: \(options.tasks) tasks, \(options.operations) InMemoryCache operations per task, \(options.rounds) rounds")
print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
print("")
print("round  InMemoryCache 200k entries (hits)   InMemoryCache 100k entries (hits)   ResponseCache hits/s (hits)")
for round in 1...options.rounds {
    let roomy = try await inMemoryCache(maximumEntries: 2 * keyCount, options: options)
    let tight = try await inMemoryCache(maximumEntries: keyCount, options: options)
    let response = try await responseCache(options: options)
    print(
        String(format: "%5d", round), format(roomy.rate), "ops/s", String(format: "(%.3f)", roomy.hitRatio),
        "   ", format(tight.rate), "ops/s", String(format: "(%.3f)", tight.hitRatio),
        "   ", format(response.rate), "/s", String(format: "(%.3f)", response.hitRatio)
    )
}
