public import NIOCore

/// Named channels of small messages between the processes of a deployment: the notifications
/// service publishes `user:<id>` and `product:<id>`, realtime nodes follow the channels their
/// clients watch. At most once: a message published while no one follows its channel is gone —
/// what matters is also in a database (a client resumes from its notifications' offsets).
///
/// Adapters: ``InProcessFanOut`` for the single node, ``RedisFanOut`` across nodes.
public protocol FanOut: Sendable {
    /// Sends `message` to every current follower of `channel`, in every process.
    func publish(_ message: ByteBuffer, to channel: String) async throws
    /// The messages of `channel` from now on, until the consumer stops iterating.
    func follow(_ channel: String) -> FanOutMessages
}

/// The messages of one followed channel, in publication order.
public struct FanOutMessages: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer
    let stream: AsyncStream<ByteBuffer>

    public init(_ stream: AsyncStream<ByteBuffer>) { self.stream = stream }

    public func makeAsyncIterator() -> AsyncStream<ByteBuffer>.AsyncIterator { stream.makeAsyncIterator() }
}

/// Channel names, one scheme for publishers and followers.
public enum FanOutChannel {
    /// A user's new notifications.
    public static func user(_ id: String) -> String { "user:" + id }
    /// A product's changes (catalog fields, stock).
    public static func product(_ id: String) -> String { "product:" + id }
    /// An order's status changes.
    public static func order(_ id: String) -> String { "order:" + id }
}
