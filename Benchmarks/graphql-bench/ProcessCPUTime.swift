import Foundation

/// CPU time of the whole process (all threads): the engine's child tasks run on the cooperative
/// pool's threads, and their time is part of an operation's cost. Unlike wall time it hardly
/// grows when other work on the machine takes the cores away.
enum ProcessCPUTime {
    /// `clock()`: microsecond resolution, enough over the thousands of operations measured.
    static func now() -> Duration {
        .microseconds(Int64(clock()) * 1_000_000 / Int64(CLOCKS_PER_SEC))
    }
}
