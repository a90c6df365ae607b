import Testing

struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out: \(what)" }
}

/// Runs `body`, failing with `TimedOut` after `seconds` (every wait in these tests is bounded).
func withTimeout<T: Sendable>(_ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw TimedOut(what: what) }
        return value
    }
}

/// Collects records from several consumers.
actor RecordLog {
    struct Entry: Hashable {
        var consumer: Int
        var partition: Int32
        var offset: Int64
        var value: String
    }
    private(set) var entries: [Entry] = []
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []

    func add(_ e: Entry) {
        entries.append(e)
        let uniqueCount = Set(entries.map(\.value)).count
        waiters.removeAll { w in
            if uniqueCount >= w.count { w.continuation.resume(); return true }
            return false
        }
    }

    /// Waits until `count` distinct values were seen.
    func waitForUnique(_ count: Int) async {
        if Set(entries.map(\.value)).count >= count { return }
        await withCheckedContinuation { waiters.append((count, $0)) }
    }
}
