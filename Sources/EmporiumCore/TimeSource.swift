public import Foundation

/// Wall-clock time, injected so that scheduling and expiry rules are testable.
public protocol TimeSource: Sendable {
    func now() -> Date
}

/// The real clock.
public struct SystemTimeSource: TimeSource {
    public init() {}
    public func now() -> Date { Date() }
}
