import FanOut
import Logging

/// Tells live clients what was just committed, through the fan-out. At most once: a signal lost
/// here (the broker unreachable, the process gone) is still in the database, and a client that
/// resumes with `since` reads it there.
struct LiveFeed: Sendable {
    let fanOut: (any FanOut)?
    let logger: Logger

    /// How many publishes run at once: a price drop can announce 100,000 notifications.
    static let concurrency = 64

    func announce(_ signals: [(channel: String, signal: LiveSignal)]) async {
        guard let fanOut, !signals.isEmpty else { return }
        var failures = 0
        await withTaskGroup(of: Bool.self) { group in
            var next = signals.startIndex
            func startOne() {
                let (channel, signal) = signals[next]
                next += 1
                group.addTask {
                    do {
                        try await fanOut.publish(signal.encoded, to: channel)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            while next < signals.endIndex, next - signals.startIndex < Self.concurrency { startOne() }
            for await published in group {
                if !published { failures += 1 }
                if next < signals.endIndex { startOne() }
            }
        }
        if failures > 0 {
            logger.warning("live signals not published; clients read them when they resume", metadata: [
                "failed": "\(failures)", "of": "\(signals.count)",
            ])
        }
    }
}
