#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Redis

/// A private `redis-server` on a free 127.0.0.1 port under a temporary directory.
///
/// Each test gets its own server (they start in a few milliseconds), so tests can stop and
/// restart theirs and nothing leaks between them. Keys are still prefixed per test.
public actor RedisServer {
    public struct NotInstalled: Error, CustomStringConvertible {
        public var description: String { "redis-server not found on PATH; install it with: apt-get install -y redis-server" }
    }

    public struct StartFailed: Error, CustomStringConvertible {
        public var description: String
    }

    public let port: Int
    public let directory: URL
    private let extraArguments: [String]
    private var process: ServerProcess?

    private init(port: Int, directory: URL, extraArguments: [String]) {
        self.port = port
        self.directory = directory
        self.extraArguments = extraArguments
    }

    public nonisolated var configuration: RedisConfiguration {
        RedisConfiguration(host: "127.0.0.1", port: self.port, connectTimeout: .seconds(2), commandTimeout: .seconds(5),
                           reconnectBackoff: .init(initial: .milliseconds(20), maximum: .milliseconds(200)))
    }

    public static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/sbin", "/usr/local/bin"] {
            let candidate = "\(directory)/redis-server"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw NotInstalled()
    }

    public static func start(extraArguments: [String] = []) async throws -> RedisServer {
        try TestServers.admit("redis-server")
        _ = try self.executable()
        var lastError: (any Error)?
        for _ in 0..<5 {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let server = RedisServer(port: try LocalPort.free(), directory: directory, extraArguments: extraArguments)
            do {
                try await server.launch()
                return server
            } catch {
                lastError = error
                await server.stop()
            }
        }
        throw lastError ?? StartFailed(description: "redis-server did not start")
    }

    /// Starts (or restarts) the server on the same port.
    public func launch() async throws {
        let process = try ServerProcess.start(try Self.executable(), [
            "--port", "\(self.port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", self.directory.path, "--daemonize", "no", "--loglevel", "warning",
        ] + self.extraArguments)
        self.process = process
        let port = self.port
        do {
            try await process.waitUntilReady(timeout: .seconds(10), interval: .milliseconds(10)) { Self.answersPing(port: port) }
        } catch let error as ServerProcess.StartFailed {
            switch error.reason {
            case .exited: throw StartFailed(description: "redis-server exited (port \(port) taken?)")
            case .timedOut: throw StartFailed(description: "redis-server did not answer PING within 10 s")
            }
        }
    }

    /// Stops the server (SIGTERM, then SIGKILL) and waits for it to exit.
    public func stop(removeDirectory: Bool = true) async {
        // Without persistence there is nothing to flush: a short grace before SIGKILL.
        self.process?.stop(grace: .milliseconds(500))
        self.process = nil
        if removeDirectory { try? FileManager.default.removeItem(at: self.directory) }
    }

    /// Stops the server and starts it again on the same port (an outage for the clients).
    public func restart(downtime: Duration = .milliseconds(200)) async throws {
        await self.stop(removeDirectory: false)
        try await Task.sleep(for: downtime)
        try await self.launch()
    }

    /// Sends a raw PING and checks for `+PONG` (independent of the client under test).
    private static func answersPing(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return false }
        let ping = Array("PING\r\n".utf8)
        guard send(fd, ping, ping.count, 0) == ping.count else { return false }
        var reply = [UInt8](repeating: 0, count: 16)
        let received = recv(fd, &reply, reply.count, 0)
        return received > 0 && String(decoding: reply[..<received], as: UTF8.self).hasPrefix("+PONG")
    }
}

/// Runs `body` with a fresh server, stopped afterwards even when `body` throws.
public func withRedisServer<T: Sendable>(extraArguments: [String] = [], _ body: (RedisServer) async throws -> T) async throws -> T {
    let server = try await RedisServer.start(extraArguments: extraArguments)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Runs `body` with a running client (its `run()` in a child task), shut down afterwards.
public func withRedisClient<T: Sendable>(_ configuration: RedisConfiguration, _ body: (RedisClient) async throws -> T) async throws -> T {
    let client = RedisClient(configuration: configuration)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await client.run() }
        do {
            let result = try await body(client)
            group.cancelAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// A key prefix unique to one test, so that tests never share keys.
public func uniquePrefix(_ name: String = #function) -> String {
    "test:\(name.prefix { $0 != "(" }):\(UUID().uuidString.prefix(8)):"
}
