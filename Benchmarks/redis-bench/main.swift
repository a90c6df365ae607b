// redis-bench: the Redis client's GET/SET throughput (50 concurrent callers, and pipelined) next
// to `redis-benchmark` against the same server in the same run, plus rate-limit decisions/s.
//
//   swift run -c release redis-bench [--requests N] [--clients C] [--pipeline P] [--url redis://host:port]
//
// Without --url it starts a private redis-server on a free port (and stops it afterwards).
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Redis
#if REDIS_BENCH_RATELIMIT
import RateLimiting
#endif

struct Options {
    var requests = 1_000_000
    var clients = 50
    var pipeline = 16
    var url: String?

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--requests": self.requests = Int(iterator.next() ?? "") ?? self.requests
            case "--clients": self.clients = Int(iterator.next() ?? "") ?? self.clients
            case "--pipeline": self.pipeline = Int(iterator.next() ?? "") ?? self.pipeline
            case "--url": self.url = iterator.next()
            default:
                print("usage: redis-bench [--requests N] [--clients C] [--pipeline P] [--url redis://host:port]")
                exit(2)
            }
        }
    }
}

func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

func run(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// Parses `redis-benchmark -q` output: "SET: 123456.79 requests per second, p50=0.2 msec".
func parseRedisBenchmark(_ output: String) -> [String: Double] {
    var result: [String: Double] = [:]
    for line in output.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
        let parts = line.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { continue }
        let number = parts[1].trimmingCharacters(in: .whitespaces).split(separator: " ").first.flatMap { Double($0) }
        if let number { result[String(parts[0]).trimmingCharacters(in: .whitespaces)] = number }
    }
    return result
}

func measure(clients: Int, operationsPerClient: Int, _ operation: @escaping @Sendable (Int) async throws -> Int) async throws -> Double {
    let start = ContinuousClock.now
    let total = try await withThrowingTaskGroup(of: Int.self) { group in
        for client in 0..<clients {
            group.addTask {
                var done = 0
                while done < operationsPerClient { done += try await operation(client) }
                return done
            }
        }
        return try await group.reduce(0, +)
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return Double(total) / seconds
}

func format(_ value: Double) -> String { String(format: "%10.0f", value) }

func benchmark() async throws {
    let options = Options(arguments: CommandLine.arguments)
    var serverProcess: Process?
    var configuration: RedisConfiguration
    if let url = options.url {
        configuration = try RedisConfiguration(url: url)
    } else {
        let port = freePort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        serverProcess = process
        configuration = RedisConfiguration(host: "127.0.0.1", port: port)
        try await Task.sleep(for: .milliseconds(300))
    }
    configuration.connectionCount = 4
    configuration.commandTimeout = .seconds(30)

    let host = configuration.host
    let port = configuration.port
    print("redis-bench: \(options.clients) clients, \(options.requests) requests per test, pipeline \(options.pipeline), server \(host):\(port)")
    print("cores: \(ProcessInfo.processInfo.activeProcessorCount); client and server share them")

    // redis-benchmark first, same server, same request count, 3-byte values (its default).
    let base = ["-h", host, "-p", "\(port)", "-c", "\(options.clients)", "-n", "\(options.requests)", "-t", "get,set", "-q"]
    let reference = parseRedisBenchmark(try run("/usr/bin/redis-benchmark", base))
    let referencePipelined = parseRedisBenchmark(try run("/usr/bin/redis-benchmark", base + ["-P", "\(options.pipeline)"]))

    var logger = Logger(label: "redis-bench")
    logger.logLevel = .warning
    let client = RedisClient(configuration: configuration, logger: logger)

    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await client.run() }
        _ = try await client.ping()
        let perClient = options.requests / options.clients
        let pipelineDepth = options.pipeline
        let value = RESPArgument("xxx")

        let set = try await measure(clients: options.clients, operationsPerClient: perClient) { _ in
            try await client.set("key:__rand_int__", to: value)
            return 1
        }
        let get = try await measure(clients: options.clients, operationsPerClient: perClient) { _ in
            _ = try await client.get("key:__rand_int__")
            return 1
        }
        let setCommands = Array(repeating: RESPCommand("SET", "key:__rand_int__", value), count: pipelineDepth)
        let getCommands = Array(repeating: RESPCommand("GET", "key:__rand_int__"), count: pipelineDepth)
        let setPipelined = try await measure(clients: options.clients, operationsPerClient: perClient) { _ in
            try await client.pipeline(setCommands).count
        }
        let getPipelined = try await measure(clients: options.clients, operationsPerClient: perClient) { _ in
            try await client.pipeline(getCommands).count
        }

        print("")
        print("                          redis-bench   redis-benchmark   ratio")
        func row(_ name: String, _ ours: Double, _ theirs: Double?) {
            let ratio = theirs.map { String(format: "%.2f", ours / $0) } ?? "-"
            print("\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(format(ours)) ops/s \(format(theirs ?? 0)) ops/s   \(ratio)")
        }
        row("SET, 50 callers", set, reference["SET"])
        row("GET, 50 callers", get, reference["GET"])
        row("SET, pipelined P=\(pipelineDepth)", setPipelined, referencePipelined["SET"])
        row("GET, pipelined P=\(pipelineDepth)", getPipelined, referencePipelined["GET"])

        #if REDIS_BENCH_RATELIMIT
        let limiter = RedisRateLimiter(client: client, keyPrefix: "bench:ratelimit:")
        let limit = RateLimit(limit: 30, window: .seconds(10))
        let decisions = try await measure(clients: options.clients, operationsPerClient: max(1, perClient / 10)) { _ in
            // 1000 distinct clients, as on a real search endpoint.
            _ = try await limiter.acquire(key: "search:ip:\(Int.random(in: 0..<1000))", limit: limit)
            return 1
        }
        print("")
        print("rate-limit decisions (sliding-window log, Lua): \(format(decisions)) decisions/s")
        #else
        print("")
        print("rate-limit decisions: skipped (build with the RateLimiting dependency and -D REDIS_BENCH_RATELIMIT)")
        #endif
        group.cancelAll()
    }

    if let serverProcess {
        // SIGKILL: a child of Foundation's Process may have SIGTERM blocked.
        kill(serverProcess.processIdentifier, SIGKILL)
        serverProcess.waitUntilExit()
    }
}

try await benchmark()
