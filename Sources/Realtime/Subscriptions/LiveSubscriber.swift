import FanOut
import Identity
import NIOCore
import Synchronization

/// Where a subscriber's messages go: a connection, bound to its event loop.
public protocol LiveSink: AnyObject, Sendable {
    var eventLoop: any EventLoop { get }
    /// Writes `frame` (a whole WebSocket frame, ``ServerFrames``) if operation `id` still runs.
    /// Called on ``eventLoop``.
    func deliverOnLoop(_ frame: ByteBuffer, operation id: String)
}

/// One subscription of one connection.
public final class LiveSubscriber: Sendable {
    public let id: String
    public let plan: LivePlan
    public let principal: Principal?
    let sink: any LiveSink

    /// A replaying subscriber keeps its channel's signals until the replay is done, then takes
    /// only those after the last offset it sent: no gap, no duplicate.
    struct State {
        var replaying: Bool
        var kept: [LiveSignal] = []
        /// The highest notification offset sent (or `since`).
        var lastOffset: Int64
    }

    let state: Mutex<State>

    public init(id: String, plan: LivePlan, principal: Principal?, sink: any LiveSink) {
        self.id = id
        self.plan = plan
        self.principal = principal
        self.sink = sink
        state = Mutex(State(replaying: plan.since != nil, lastOffset: Int64(plan.since ?? 0)))
    }

    /// Whether `signal` is for this subscriber now (false: not its kind, already sent, or kept
    /// for after the replay).
    func accepts(_ signal: LiveSignal) -> Bool {
        guard signal.subject == plan.field.subject else { return false }
        guard let offset = signal.offset else { return true }
        return state.withLock { state in
            if state.replaying {
                state.kept.append(signal)
                return false
            }
            // One user's offsets rise; one at or below the last was sent already.
            guard offset > state.lastOffset else { return false }
            state.lastOffset = offset
            return true
        }
    }

    /// The replay sent everything up to `offset`.
    func replayed(upTo offset: Int64) {
        state.withLock { $0.lastOffset = max($0.lastOffset, offset) }
    }

    /// Signals kept during the replay that are still to send, oldest first; when there are
    /// none the subscriber goes live. Call until it answers nothing.
    func takeKept() -> [LiveSignal] {
        state.withLock { state in
            var seen = Set<Int64>()
            let due = state.kept.filter { ($0.offset ?? 0) > state.lastOffset && seen.insert($0.offset ?? 0).inserted }
                .sorted { ($0.offset ?? 0) < ($1.offset ?? 0) }
            state.kept = []
            if due.isEmpty {
                state.replaying = false
                return []
            }
            state.lastOffset = max(state.lastOffset, due.last?.offset ?? 0)
            return due
        }
    }
}
