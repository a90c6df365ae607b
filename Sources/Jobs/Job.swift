public import Foundation

/// available → running → completed; running → retryable (failed, retried later) or discarded
/// (out of attempts, kept for an operator); available, retryable or running → cancelled.
public enum JobState: String, Sendable, CaseIterable, Codable {
    case available, running, retryable, completed, discarded, cancelled

    /// Waiting for a worker or working: the states a unique key holds.
    public var isPending: Bool { self == .available || self == .running || self == .retryable }
}

/// One job as stored.
public struct JobRecord: Sendable, Equatable {
    public let id: Int64
    public let queue: String
    public let kind: String
    /// The payload as JSON text.
    public let payload: String
    public let state: JobState
    public let priority: Int
    public let runAt: Date
    public let attempts: Int
    public let maxAttempts: Int
    public let timeout: Duration
    public let uniqueKey: String?
    public let progress: Int
    public let progressMessage: String?
    public let lastError: String?
    public let createdAt: Date
    public let startedAt: Date?
    public let finishedAt: Date?

    /// The payload decoded.
    public func decode<Payload: Decodable>(_: Payload.Type) throws -> Payload {
        try JSONDecoder().decode(Payload.self, from: Data(payload.utf8))
    }
}

/// What to enqueue.
public struct JobRequest: Sendable {
    public var kind: String
    public var payload: String
    public var queue: String
    /// Higher runs first among due jobs (−100…100).
    public var priority: Int
    /// Not before this time (nil: now).
    public var runAt: Date?
    /// While a job with this key is pending, enqueueing another answers the pending one.
    public var uniqueKey: String?
    public var maxAttempts: Int
    /// A run longer than this is cancelled and counts as a failed attempt.
    public var timeout: Duration

    public init<Payload: Encodable>(
        kind: String, payload: Payload, queue: String = "default", priority: Int = 0, runAt: Date? = nil, uniqueKey: String? = nil,
        maxAttempts: Int = 20, timeout: Duration = .seconds(300)
    ) throws {
        self.kind = kind
        self.payload = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        self.queue = queue
        self.priority = max(-100, min(100, priority))
        self.runAt = runAt
        self.uniqueKey = uniqueKey
        self.maxAttempts = max(1, min(100, maxAttempts))
        self.timeout = timeout
    }
}

/// The answer to an enqueue: the job's id, and whether it is new or the pending one with the same key.
public struct EnqueuedJob: Sendable, Equatable {
    public let id: Int64
    public let isNew: Bool
}

/// Thrown by a handler for a failure that another attempt cannot mend (a damaged upload, an
/// impossible request): the job is discarded at once with `reason`, kept for an operator, who may
/// still retry it.
public struct UnretryableJobError: Error, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
