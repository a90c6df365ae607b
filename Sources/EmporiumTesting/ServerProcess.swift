import Database
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A server a test starts (redis-server, the Tansu broker): started the way the PostgreSQL
/// cluster starts its tools (`posix_spawn`, default signal handling, no inherited descriptors,
/// output discarded), stopped with SIGTERM and, after a grace period, SIGKILL.
///
/// Not Foundation's `Process`: it passes on the test runner's blocked signals, so a child never
/// saw SIGTERM, and it learns of an exit through descriptors a server may hold open.
public final class ServerProcess: Sendable {
    /// Why a server did not become ready.
    public struct StartFailed: Error, CustomStringConvertible {
        public enum Reason: Sendable, Hashable {
            /// It exited first (often: another process took its port between probe and bind).
            case exited(status: Int32)
            case timedOut
        }

        public let reason: Reason
        public let description: String
    }

    public let pid: pid_t
    public let command: String
    /// The exit code once collected: `waitpid` may be called only once per exit.
    private let exitStatus = Mutex<Int32?>(nil)

    private init(pid: pid_t, command: String) {
        self.pid = pid
        self.command = command
    }

    /// Starts `executable` with `arguments`; `newProcessGroup` keeps a terminal's Ctrl-C from it.
    public static func start(_ executable: String, _ arguments: [String], newProcessGroup: Bool = false) throws -> ServerProcess {
        let pid = try ChildProcess.spawnServer(executable, arguments, newProcessGroup: newProcessGroup)
        return ServerProcess(pid: pid, command: ([executable] + arguments).joined(separator: " "))
    }

    public var isRunning: Bool {
        self.exitStatus.withLock { status in
            if status == nil { status = ChildProcess.reap(self.pid) }
            return status == nil
        }
    }

    /// Polls `isReady` (a connection probe: a server announces readiness no other way) until it
    /// holds while the process still runs; throws ``StartFailed`` when the process exits first or
    /// `timeout` passes (then the process is stopped).
    public func waitUntilReady(
        timeout: Duration = .seconds(10), interval: Duration = .milliseconds(20), _ isReady: () -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let ready = isReady()
            if let status = self.exitStatusIfExited() {
                throw StartFailed(reason: .exited(status: status), description: "\(self.command) exited with status \(status) before it was ready")
            }
            if ready { return }
            guard ContinuousClock.now < deadline else {
                self.stop()
                throw StartFailed(reason: .timedOut, description: "\(self.command) was not ready within \(timeout)")
            }
            try await Task.sleep(for: interval)
        }
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`; returns once it has exited.
    /// Synchronous so that `defer` blocks and exit handlers can call it.
    public func stop(grace: Duration = .seconds(3)) {
        guard self.isRunning else { return }
        kill(self.pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while self.isRunning, ContinuousClock.now < deadline { usleep(5_000) }
        guard self.isRunning else { return }
        kill(self.pid, SIGKILL)
        while self.isRunning { usleep(1_000) }
    }

    /// Stops the server when the test process exits normally, for servers shared by the whole
    /// process (nobody else knows when the last test is done with them).
    public func stopAtExit() {
        processesToStopAtExit.withLock { processes in
            if processes.isEmpty { atexit { stopProcessesAtExit() } }
            processes.append(self)
        }
    }

    private func exitStatusIfExited() -> Int32? {
        self.isRunning ? nil : self.exitStatus.withLock { $0 }
    }
}

private let processesToStopAtExit = Mutex<[ServerProcess]>([])

private func stopProcessesAtExit() {
    let processes = processesToStopAtExit.withLock { $0 }
    for process in processes { process.stop() }
}
