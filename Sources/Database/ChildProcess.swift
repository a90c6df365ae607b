package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs PostgreSQL's command-line tools without blocking a Swift concurrency thread.
///
/// Not `Foundation.Process`: on Linux it learns that a child exited when a socket it leaves open in
/// the child reaches EOF, and `pg_ctl start` hands every inherited descriptor to the server it
/// daemonizes, so `pg_ctl`'s exit was never noticed (the call hung until the server stopped). Here
/// children are started with `posix_spawn`, every descriptor above 2 is closed in them, and exits
/// are collected with `waitpid(WNOHANG)` polling, which nothing can hold open.
///
/// Output goes to a temporary file rather than a pipe, so a chatty child never stalls on a full pipe.
///
/// `package`-visible for `EmporiumTesting`, whose test servers start the same way (`spawnServer`).
package enum ChildProcess {
    struct Result: Sendable {
        var status: Int32
        var output: String
        var timedOut: Bool
    }

    /// Runs `executable` with `arguments` to completion; a non-zero exit is not an error here
    /// (callers judge `status`). The child runs in `/` so a service user never starts in an
    /// unreadable directory (e.g. root's home).
    static func run(_ executable: String, _ arguments: [String], timeout: Duration) async throws -> Result {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("emporium-db-\(UUID().uuidString).out").path
        let outputFD = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard outputFD >= 0 else {
            throw DatabaseError(.commandFailed, "Cannot create a temporary file at \(outputPath).")
        }
        defer { unlink(outputPath) }
        let pid: pid_t
        do {
            defer { close(outputFD) }
            pid = try self.spawn(executable, arguments, stdin: nil, stdout: outputFD)
        }

        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var timedOut = false
        var killDeadline: ContinuousClock.Instant?
        var delay = 5
        var exitCode: Int32?
        while true {
            exitCode = Self.reap(pid)
            if exitCode != nil { break }
            if !timedOut, clock.now >= deadline {
                timedOut = true
                kill(pid, SIGTERM)
                killDeadline = clock.now + .seconds(2)
            } else if let killAt = killDeadline, clock.now >= killAt {
                kill(pid, SIGKILL)
                killDeadline = nil
            }
            // Not cancellable on purpose: abandoning the child would leave a zombie and, for
            // pg_ctl start, a server nobody knows about. The timeout bounds the wait instead.
            try? await Task.sleep(for: .milliseconds(delay))
            delay = min(delay * 2, 50)
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return Result(status: exitCode ?? -1, output: output, timedOut: timedOut)
    }

    /// Starts a long-running server (a test's redis-server or Kafka broker) with its output
    /// discarded. The caller owns the process: it signals it and collects its exit with `reap(_:)`.
    /// `newProcessGroup` keeps a terminal's Ctrl-C (sent to the foreground group) from reaching it.
    package static func spawnServer(_ executable: String, _ arguments: [String], newProcessGroup: Bool = false) throws -> pid_t {
        try self.spawn(
            executable, arguments, stdin: nil, stdout: nil,
            defaultSignals: [SIGTERM, SIGINT, SIGHUP, SIGPIPE], newProcessGroup: newProcessGroup)
    }

    /// The exit code (128 + signal when killed) once `pid` has exited, collecting it; nil while it
    /// runs. -1 when it cannot be waited for (not our child, or collected already).
    package static func reap(_ pid: pid_t) -> Int32? {
        var status: Int32 = 0
        let reaped = waitpid(pid, &status, WNOHANG)
        if reaped == pid { return Self.exitCode(status) }
        if reaped < 0, errno != EINTR { return -1 }
        return nil
    }

    /// Starts a child that is never waited for and may outlive this process (the watchdog).
    /// `stdin` is dup'ed onto the child's descriptor 0.
    static func spawnDetached(_ executable: String, _ arguments: [String], stdin: Int32) throws {
        _ = try self.spawn(executable, arguments, stdin: stdin, stdout: nil)
    }

    /// `defaultSignals` get default handling in the child. A test server needs SIGTERM among them:
    /// the test runner may ignore or block it, and a server that inherits that never stops. The
    /// PostgreSQL tools and the watchdog keep what they inherit (only SIGPIPE is reset), unchanged:
    /// resetting more would change how the production watchdog reacts to a SIGTERM.
    private static func spawn(
        _ executable: String, _ arguments: [String], stdin: Int32?, stdout: Int32?,
        defaultSignals: [Int32] = [SIGPIPE], newProcessGroup: Bool = false
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdin {
            posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }
        if let stdout {
            posix_spawn_file_actions_adddup2(&actions, stdout, 1)
            posix_spawn_file_actions_adddup2(&actions, stdout, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        // Close everything else the child would inherit (event loop sockets, test runner pipes):
        // pg_ctl passes it all on to the long-lived server.
        for fd in Self.openDescriptors() where fd > 2 && fd != stdin && fd != stdout {
            posix_spawn_file_actions_addclose(&actions, fd)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in defaultSignals { sigaddset(&defaults, signal) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK
        if newProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= POSIX_SPAWN_SETPGROUP
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        // `cd /` through the shell: posix_spawn_file_actions_addchdir_np is not visible from Swift.
        let argv = ["/bin/sh", "-c", "cd / && exec \"$0\" \"$@\"", executable] + arguments
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, &cArguments, environ)
        guard result == 0 else {
            throw DatabaseError(.commandFailed, "Cannot run \(executable): \(String(cString: strerror(result))).")
        }
        return pid
    }

    private static func openDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        if !names.isEmpty { return names.compactMap { Int32($0) } }
        return Array(3..<256)
    }

    private static func exitCode(_ status: Int32) -> Int32 {
        if status & 0x7f == 0 { return (status >> 8) & 0xff }   // WIFEXITED → WEXITSTATUS
        return 128 + (status & 0x7f)                            // killed by a signal
    }
}
