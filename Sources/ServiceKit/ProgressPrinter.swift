import Foundation
import Synchronization

/// Progress for long commands: a redrawn bar on a terminal, plain lines (every 10%) otherwise,
/// so that logs in CI stay readable.
public final class ProgressPrinter: Sendable {
    private let total: Int
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    /// The last decile printed (plain output); called from the seeder's progress callback.
    private let lastDecile = Mutex(-1)
    private let started = Date()

    public init(total: Int) {
        self.total = max(total, 1)
    }

    public func update(_ done: Int) {
        let fraction = min(Double(done) / Double(total), 1)
        let rate = Double(done) / max(Date().timeIntervalSince(started), 0.001)
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            print(String(format: "\r%@ %3.0f%%  %d/%d  %.0f rows/s", bar, fraction * 100, done, total, rate), terminator: done >= total ? "\n" : "")
            fflush(nil)
        } else {
            let decile = Int(fraction * 10)
            let isNew = lastDecile.withLock { last in
                defer { last = decile }
                return last != decile
            }
            guard isNew else { return }
            print(String(format: "progress: %d/%d (%.0f%%), %.0f rows/s", done, total, fraction * 100, rate))
            fflush(nil)
        }
    }
}
