import NIOCore
import Synchronization

/// Where a produced record ended up.
public struct KafkaRecordMetadata: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}

/// The pending outcome of one batch, shared by every record in it.
final class DeliveryCompletion: Sendable {
    private enum State {
        case pending([CheckedContinuation<Int64, any Error>])
        case done(Result<Int64, KafkaError>)
    }
    private let state = Mutex<State>(.pending([]))

    /// Completes once; later calls are ignored (a batch is answered exactly once).
    func complete(_ result: Result<Int64, KafkaError>) {
        let waiters: [CheckedContinuation<Int64, any Error>] = state.withLock { state in
            guard case .pending(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for w in waiters { w.resume(with: result.mapError { $0 as any Error }) }
    }

    var isComplete: Bool {
        state.withLock { if case .done = $0 { return true } else { return false } }
    }

    /// The batch's base offset once the broker has acknowledged it.
    func baseOffset() async throws -> Int64 {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Int64, any Error>) in
            let done: Result<Int64, KafkaError>? = state.withLock { state in
                switch state {
                case .pending(var waiters):
                    waiters.append(c)
                    state = .pending(waiters)
                    return nil
                case .done(let r):
                    return r
                }
            }
            if let done { c.resume(with: done.mapError { $0 as any Error }) }
        }
    }
}

/// A record accepted by ``KafkaProducer/enqueue(topic:key:value:headers:partition:)``; await
/// ``metadata`` for the outcome. Awaiting is optional: the producer delivers either way.
public struct KafkaDelivery: Sendable {
    let completion: DeliveryCompletion
    let topic: String
    let partition: Int32
    let index: Int

    /// The record's partition and offset; throws the ``KafkaError`` that failed its batch.
    public var metadata: KafkaRecordMetadata {
        get async throws {
            let base = try await completion.baseOffset()
            return KafkaRecordMetadata(topic: topic, partition: partition, offset: base + Int64(index))
        }
    }
}
