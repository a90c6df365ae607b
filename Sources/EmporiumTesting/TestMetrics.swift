import CoreMetrics
import Synchronization

/// A minimal metrics backend for tests: counters by label and dimensions. Injected into the
/// adapter under test (never bootstrapped: the test process may hold other suites' backends).
public final class TestMetrics: MetricsFactory, Sendable {

    public final class TestCounter: CounterHandler, Sendable {
        public let value = Mutex<Int64>(0)
        public func increment(by amount: Int64) { self.value.withLock { $0 += amount } }
        public func reset() { self.value.withLock { $0 = 0 } }
    }

    private let counters = Mutex<[String: TestCounter]>([:])

    public init() {}

    public static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        ([label] + dimensions.map { "\($0.0)=\($0.1)" }).joined(separator: ",")
    }

    public func counter(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
        self.counters.withLock { $0[Self.key(label, dimensions)] }?.value.withLock { $0 } ?? 0
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        self.counters.withLock { counters in
            let key = Self.key(label, dimensions)
            if let existing = counters[key] { return existing }
            let counter = TestCounter()
            counters[key] = counter
            return counter
        }
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        NOOPMetricsHandler.instance
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler { NOOPMetricsHandler.instance }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        NOOPMetricsHandler.instance
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler { NOOPMetricsHandler.instance }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}
}
