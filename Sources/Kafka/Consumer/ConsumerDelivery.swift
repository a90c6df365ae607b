import NIOCore
import Synchronization

/// Records fetched and not yet handed out, and what the application has processed. Shared by
/// the consumer's fetch path and the record iterator; no `await` happens under its lock.
///
/// A record counts as processed once the iterator is asked for the next one (or `commit()` is
/// called), so commits never include a record the application may still be working on. The
/// same holds for a batch: all of it counts once the next batch is asked for.
final class ConsumerDelivery: Sendable {
    enum Step {
        /// Never empty.
        case batch([KafkaConsumerRecord])
        case empty(epoch: UInt64)
        case finished(KafkaError?)
    }

    private struct State {
        var buffer = CircularBuffer<KafkaConsumerRecord>()
        /// Bumped on every assignment change; fetches started under an older epoch are dropped.
        var epoch: UInt64 = 0
        var assigned: Set<TopicPartition> = []
        /// Next offset to commit per partition.
        var processed: [TopicPartition: Int64] = [:]
        /// The records last handed out (the last of each partition is enough) and their epoch.
        var lastReturned: (offsets: [TopicPartition: Int64], epoch: UInt64)?
        var finished: KafkaError??
    }

    private let state = Mutex(State())

    /// Up to `limit` buffered records (in fetch order, so in offset order per partition).
    func nextBatch(limit: Int) -> Step {
        state.withLock { s in
            markLastProcessed(&s)
            guard !s.buffer.isEmpty else {
                if let finished = s.finished { return .finished(finished) }
                return .empty(epoch: s.epoch)
            }
            var batch: [KafkaConsumerRecord] = []
            var offsets: [TopicPartition: Int64] = [:]
            while batch.count < max(1, limit), let record = s.buffer.popFirst() {
                batch.append(record)
                offsets[record.topicPartition] = max(offsets[record.topicPartition] ?? record.offset, record.offset)
            }
            s.lastReturned = (offsets, s.epoch)
            return .batch(batch)
        }
    }

    private func markLastProcessed(_ s: inout State) {
        if let last = s.lastReturned, last.epoch == s.epoch {
            for (tp, offset) in last.offsets where s.assigned.contains(tp) {
                s.processed[tp] = max(s.processed[tp] ?? 0, offset + 1)
            }
        }
        s.lastReturned = nil
    }

    /// Counts the record last handed out as processed (explicit `commit()`).
    func markLastReturnedProcessed() {
        state.withLock { markLastProcessed(&$0) }
    }

    var epoch: UInt64 { state.withLock { $0.epoch } }

    /// Appends fetched records if no assignment change happened since `epoch`.
    @discardableResult
    func append(_ records: [KafkaConsumerRecord], epoch: UInt64) -> Bool {
        state.withLock { s in
            guard s.epoch == epoch, s.finished == nil else { return false }
            s.buffer.append(contentsOf: records)
            return true
        }
    }

    /// New assignment: drops buffered records, starts a new epoch.
    func assign(_ partitions: [TopicPartition], startingAt offsets: [TopicPartition: Int64]) -> UInt64 {
        state.withLock { s in
            s.epoch += 1
            s.buffer.removeAll()
            s.lastReturned = nil
            s.assigned = Set(partitions)
            s.processed = offsets
            return s.epoch
        }
    }

    /// Revocation: stops delivery of buffered records and returns the offsets to commit.
    func revoke() -> [TopicPartition: Int64] {
        state.withLock { s in
            markLastProcessed(&s)
            let processed = s.processed
            s.epoch += 1
            s.buffer.removeAll()
            s.assigned = []
            s.processed = [:]
            return processed
        }
    }

    /// Offsets processed so far in the current assignment.
    func processedOffsets() -> [TopicPartition: Int64] {
        state.withLock { $0.processed }
    }

    /// Ends the sequence (nil error: normal end).
    func finish(_ error: KafkaError?) {
        state.withLock { s in
            if s.finished == nil { s.finished = .some(error) }
        }
    }
}
