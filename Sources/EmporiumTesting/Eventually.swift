/// A condition that did not hold within its time.
public struct TimedOutWaiting: Error, CustomStringConvertible {
    public let what: String
    public let timeout: Duration
    public var description: String { "timed out after \(timeout) waiting for \(what)" }
}

/// Polls `condition` every `interval` until it holds; throws ``TimedOutWaiting`` naming `what`
/// when it still does not after `timeout` (checked once more at the deadline). An error thrown by
/// `condition` ends the wait at once.
///
/// For effects a test cannot await directly (a client reconnecting, a relay publishing); where
/// an event exists, await the event instead.
public func eventually(
    _ what: String, timeout: Duration = .seconds(10), interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: interval)
    }
    if try await condition() { return }
    throw TimedOutWaiting(what: what, timeout: timeout)
}
