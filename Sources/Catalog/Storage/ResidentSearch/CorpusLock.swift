#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The corpus behind a readers-writer lock: searches read it side by side; the feed's writes
/// (a batch of changes every quarter second, a rebuild now and then) take it alone. Reads are
/// short and never suspend, so blocking a thread for one is cheaper than queueing on an actor.
final class CorpusLock: @unchecked Sendable {
    private var corpus = ResidentCorpus()
    private let lock: UnsafeMutablePointer<pthread_rwlock_t>

    init() {
        lock = .allocate(capacity: 1)
        precondition(pthread_rwlock_init(lock, nil) == 0, "pthread_rwlock_init failed")
    }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func read<Result>(_ body: (ResidentCorpus) throws -> Result) rethrows -> Result {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(corpus)
    }

    func write<Result>(_ body: (inout ResidentCorpus) throws -> Result) rethrows -> Result {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body(&corpus)
    }
}
