#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import Synchronization

/// Milliseconds since the Unix epoch (record timestamps).
func currentTimeMillis() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}

/// A wake-up flag a single loop waits on. Unlike `AsyncStream`, waiting is not ended by task
/// cancellation, so a loop can keep draining its work during shutdown.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state = Mutex(State())

    func signal() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
            if let w = s.waiter {
                s.waiter = nil
                return w
            }
            s.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at once if signalled since the last wait, else waits for the next signal.
    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = state.withLock { s in
                if s.pending {
                    s.pending = false
                    return true
                }
                s.waiter = c
                return false
            }
            if resumeNow { c.resume() }
        }
    }

    /// Signals at `deadline` on `eventLoop` (a timer that task cancellation does not cut short).
    func signal(at deadline: ContinuousClock.Instant, on eventLoop: any EventLoop) {
        let delay = ContinuousClock.now.duration(to: deadline)
        eventLoop.scheduleTask(in: .nanoseconds(max(delay.nanoseconds, 0))) { self.signal() }
    }
}
