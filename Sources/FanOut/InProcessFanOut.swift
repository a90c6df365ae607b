public import NIOCore
import Synchronization

/// Channels within one process (the single node): a publish hands the message to each follower's
/// stream directly.
public final class InProcessFanOut: FanOut {
    private let followers = Mutex<[String: [Int: AsyncStream<ByteBuffer>.Continuation]]>([:])
    private let nextID = Atomic<Int>(0)

    public init() {}

    public func publish(_ message: ByteBuffer, to channel: String) async throws {
        let targets = followers.withLock { $0[channel].map { Array($0.values) } ?? [] }
        for continuation in targets { continuation.yield(message) }
    }

    public func follow(_ channel: String) -> FanOutMessages {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        followers.withLock { $0[channel, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.followers.withLock { all in
                all[channel]?[id] = nil
                if all[channel]?.isEmpty == true { all[channel] = nil }
            }
        }
        return FanOutMessages(stream)
    }

    /// Channels with at least one follower.
    public var followedChannels: Set<String> { followers.withLock { Set($0.keys) } }
}
