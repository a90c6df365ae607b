import Crypto
import Foundation
public import Logging
import PostgresNIO

/// A private PostgreSQL cluster in a directory, so `emporium serve` and the tests need nothing but
/// the PostgreSQL binaries: `initdb` on first use (the data is reused next time), start on a free
/// `127.0.0.1` port (or a given one), stop.
///
/// - The server listens on `127.0.0.1` only, with trust authentication for the `postgres`
///   superuser, and keeps its unix socket in `<parent>/<name>.sock` (beside the data directory), so
///   it never collides with a system cluster in `/var/run/postgresql`.
/// - As root, `initdb`, `pg_ctl` and `postgres` run as the `postgres` user through `runuser`
///   (PostgreSQL refuses to run as root), and the directories are handed to that user.
/// - The server never outlives the process that started it: a tiny watchdog shell, fed by a pipe
///   whose write end only this process holds, stops it when the process exits, even by `SIGKILL`.
/// - `forTesting` trades durability for speed (`fsync=off`, no `initdb` sync, more connections).
public actor PostgresCluster {
    private enum State {
        case stopped
        case starting(Task<PostgresEndpoint, any Error>)
        case running(PostgresEndpoint)
        case stopping(Task<Void, Never>)
    }

    /// The data directory (absolute).
    public nonisolated let dataDirectory: String
    /// The directory that holds the server's unix socket.
    public nonisolated let socketDirectory: String
    /// The server log (`server.log` in the data directory); its tail is quoted in start errors.
    public nonisolated let logFile: String

    private let requestedPort: Int?
    let forTesting: Bool
    let removeOnExit: Bool
    let logger: Logger
    private var state: State = .stopped
    var watchdogStarted = false

    /// Describes a cluster; nothing happens on disk until ``start()``.
    ///
    /// - Parameters:
    ///   - directory: the data directory (created if missing, `initdb`'ed if empty), e.g. `.emporium/postgres`.
    ///   - port: a fixed port; `nil` picks a free one at every start.
    ///   - forTesting: `fsync=off`, `synchronous_commit=off`, `full_page_writes=off`, 300 connections.
    ///   - removeOnExit: when the process exits, also delete the data and socket directories (test clusters in temp dirs).
    public init(directory: String, port: Int? = nil, forTesting: Bool = false, removeOnExit: Bool = false, logger: Logger) {
        let data = URL(fileURLWithPath: directory).standardizedFileURL.path
        let parent = (data as NSString).deletingLastPathComponent
        let name = (data as NSString).lastPathComponent
        var socket = (parent as NSString).appendingPathComponent("\(name).sock")
        // A unix socket path is limited to 107 bytes; `/.s.PGSQL.65535` takes 15 of them.
        if socket.utf8.count > 90 {
            let digest = SHA256.hash(data: Data(data.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
            socket = "/tmp/emporium-pg-\(digest)"
        }
        self.dataDirectory = data
        self.socketDirectory = socket
        self.logFile = (data as NSString).appendingPathComponent("server.log")
        self.requestedPort = port
        self.forTesting = forTesting
        self.removeOnExit = removeOnExit
        var logger = logger
        logger[metadataKey: "postgres.data"] = "\(data)"
        self.logger = logger
    }

    /// The endpoint while the server runs, `nil` otherwise.
    public var endpoint: PostgresEndpoint? {
        if case .running(let endpoint) = self.state { return endpoint }
        return nil
    }

    /// Initializes the cluster if needed, starts the server and returns once it accepts connections
    /// (`pg_ctl start -w`, bounded by 60 s). Calling it while running returns the same endpoint.
    public func start() async throws -> PostgresEndpoint {
        while true {
            switch self.state {
            case .running(let endpoint):
                return endpoint
            case .starting(let task):
                return try await task.value
            case .stopping(let task):
                await task.value
            case .stopped:
                // An unstructured task on purpose: concurrent start() and stop() callers await
                // this one start rather than each running pg_ctl. It is awaited right below and
                // records the outcome itself, so the state never lags behind a finished task
                // (a concurrent stop() must not spin on a completed start).
                let task = Task {
                    do {
                        let endpoint = try await self.performStart()
                        self.state = .running(endpoint)
                        return endpoint
                    } catch {
                        self.state = .stopped
                        throw error
                    }
                }
                self.state = .starting(task)
                return try await task.value
            }
        }
    }

    /// Stops the server with `pg_ctl stop -m fast` (open sessions are disconnected, the data is
    /// flushed). Idempotent: stopping a stopped cluster does nothing. Errors are logged, not thrown,
    /// because stop runs during shutdown where nobody could act on them.
    public func stop() async {
        while true {
            switch self.state {
            case .stopped:
                return
            case .stopping(let task):
                await task.value
                return
            case .starting(let task):
                _ = try? await task.value
            case .running:
                // Shared by concurrent stop() callers, who all await this one stop.
                let task = Task {
                    await self.performStop()
                    self.state = .stopped
                }
                self.state = .stopping(task)
                await task.value
                return
            }
        }
    }

    /// Creates database `name` unless it exists; returns whether it was created. Tests use it for a
    /// fresh database per suite; `emporium serve` for its application database.
    @discardableResult
    public func createDatabase(_ name: String) async throws -> Bool {
        guard let endpoint = self.endpoint else {
            throw DatabaseError(.notRunning, "The PostgreSQL cluster in \(self.dataDirectory) is not running; call start() first.")
        }
        let configuration = PostgresConnection.Configuration(
            host: endpoint.host, port: endpoint.port, username: endpoint.username,
            password: endpoint.password, database: endpoint.database, tls: .disable)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: self.logger)
        } catch {
            throw DatabaseError(.queryFailed, "Cannot connect to the PostgreSQL cluster at \(endpoint.host):\(endpoint.port).", underlying: error)
        }
        do {
            let rows = try await connection.query("SELECT 1 FROM pg_database WHERE datname = \(name)", logger: self.logger)
            var exists = false
            for try await _ in rows { exists = true }
            if !exists {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(SQLIdentifier.quote(name))"), logger: self.logger)
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
                    // Created concurrently by another caller: the outcome the caller wanted.
                    try? await connection.close()
                    return false
                }
            }
            try? await connection.close()
            return !exists
        } catch {
            try? await connection.close()
            throw DatabaseError(.queryFailed, "Cannot create database \"\(name)\": \(PostgresErrorText.summary(error))", underlying: error)
        }
    }

    // MARK: - Start

    private func performStart() async throws -> PostgresEndpoint {
        let binaries = try self.binaries()
        let runAs = try RunAs.current()
        try await self.prepareDirectories(runAs: runAs)
        if !FileManager.default.fileExists(atPath: (self.dataDirectory as NSString).appendingPathComponent("PG_VERSION")) {
            try await self.initdb(binaries: binaries, runAs: runAs)
        }
        if try await self.isServerRunning(binaries: binaries, runAs: runAs) {
            throw DatabaseError(
                .startFailed,
                "A PostgreSQL server is already running on \(self.dataDirectory) (another emporium process?); stop it with `\(runAs.displayPrefix)\(binaries.path("pg_ctl")) stop -D \(self.dataDirectory) -m fast`.")
        }

        let attempts = self.requestedPort == nil ? 5 : 1
        var lastError: DatabaseError?
        for attempt in 1...attempts {
            let port = try self.requestedPort ?? LoopbackPort.free()
            let logOffset = Self.fileSize(self.logFile)
            let arguments = [
                "start", "-D", self.dataDirectory, "-l", self.logFile, "-w", "-t", "60", "-s",
                "-o", self.serverOptions(port: port),
            ]
            let (program, fullArguments) = runAs.command(binaries.path("pg_ctl"), arguments)
            self.logger.debug("starting PostgreSQL", metadata: ["postgres.port": "\(port)", "attempt": "\(attempt)"])
            let result = try await ChildProcess.run(program, fullArguments, timeout: .seconds(90))
            if result.status == 0, !result.timedOut {
                self.startWatchdog(binaries: binaries, runAs: runAs)
                self.logger.info("PostgreSQL started", metadata: ["postgres.port": "\(port)"])
                return PostgresEndpoint(host: "127.0.0.1", port: port)
            }
            let serverLog = Self.readTail(self.logFile, from: logOffset)
            // The server's own FATAL line ("database files are incompatible with server", "could not
            // bind") is what an operator needs; it holds no secrets.
            let reason = serverLog.split(separator: "\n").last(where: { $0.contains("FATAL:") || $0.contains("PANIC:") })
                .map { " Server said: \($0.trimmingCharacters(in: .whitespaces))." } ?? ""
            lastError = DatabaseError(
                .startFailed,
                result.timedOut
                    ? "PostgreSQL in \(self.dataDirectory) did not become ready within 60 s; see \(self.logFile).\(reason)"
                    : "PostgreSQL in \(self.dataDirectory) failed to start on port \(port); see \(self.logFile).\(reason)",
                details: "pg_ctl (exit \(result.status)):\n\(result.output)\nserver log:\n\(serverLog)")
            if result.timedOut {
                // Do not leave a half-started server behind.
                await self.performStop()
            }
            let portTaken = serverLog.contains("could not bind") || serverLog.contains("Address already in use")
                || serverLog.contains("could not create any TCP/IP sockets")
            guard self.requestedPort == nil, portTaken else { break }
        }
        throw lastError ?? DatabaseError(.startFailed, "PostgreSQL did not start.")
    }

    /// The binaries for this data directory: those of the major version that created it when
    /// installed (Debian keeps several side by side), otherwise the usual search.
    private func binaries() throws -> PostgresBinaries {
        let versionFile = (self.dataDirectory as NSString).appendingPathComponent("PG_VERSION")
        if let text = try? String(contentsOfFile: versionFile, encoding: .utf8) {
            let major = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let matching = try? PostgresBinaries(binDirectory: "/usr/lib/postgresql/\(major)/bin") { return matching }
        }
        return try PostgresBinaries.locate()
    }

    private func serverOptions(port: Int) -> String {
        var options = [
            "-p \(port)",
            "-k \(Self.shellQuote(self.socketDirectory))",
            "-c listen_addresses=127.0.0.1",
        ]
        if self.forTesting {
            options += [
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
                "-c max_connections=300",
            ]
        } else {
            // PostgreSQL's defaults (128 MB of buffers) are sized for any machine; this cluster is
            // the node's own database, so it takes the usual quarter of the memory (at most 8 GB)
            // and plans with half as cache. Its buffers also stay resident where the OS reclaims
            // the page cache eagerly (this VM does), which otherwise turned reads into disk reads.
            let megabytes = Int(ProcessInfo.processInfo.physicalMemory >> 20)
            options += [
                "-c shared_buffers=\(min(max(megabytes / 4, 128), 8192))MB",
                "-c effective_cache_size=\(max(megabytes / 2, 256))MB",
            ]
        }
        // pg_ctl hands `-o` to /bin/sh, hence the shell quoting of the socket path.
        return options.joined(separator: " ")
    }

    private func prepareDirectories(runAs: RunAs) async throws {
        let fileManager = FileManager.default
        let parent = (self.dataDirectory as NSString).deletingLastPathComponent
        do {
            // Parents are created world-searchable: the `postgres` user must traverse them as root.
            try fileManager.createDirectory(atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            if !fileManager.fileExists(atPath: self.dataDirectory) {
                try fileManager.createDirectory(atPath: self.dataDirectory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            }
            if !fileManager.fileExists(atPath: self.socketDirectory) {
                try fileManager.createDirectory(atPath: self.socketDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw DatabaseError(.directoryUnusable, "Cannot create the PostgreSQL directory \(self.dataDirectory).", underlying: error)
        }
        guard case .postgresUser(let uid, let gid, _) = runAs else { return }
        for directory in [self.dataDirectory, self.socketDirectory] {
            let owner = (try? fileManager.attributesOfItem(atPath: directory)[.ownerAccountID] as? NSNumber)?.uint32Value
            if owner != uid {
                let result = try await ChildProcess.run("/bin/chown", ["-R", "\(uid):\(gid)", directory], timeout: .seconds(120))
                guard result.status == 0 else {
                    throw DatabaseError(.directoryUnusable, "Cannot hand \(directory) to the postgres user.", details: result.output)
                }
            }
        }
        let (program, arguments) = runAs.command("/usr/bin/test", ["-w", self.dataDirectory, "-a", "-w", self.socketDirectory])
        let check = try await ChildProcess.run(program, arguments, timeout: .seconds(30))
        guard check.status == 0 else {
            throw DatabaseError(
                .directoryUnusable,
                "The postgres user cannot reach \(self.dataDirectory): every parent directory needs search permission for it (for example `chmod o+x` on the parent that lacks it), or choose a directory elsewhere.",
                details: check.output)
        }
    }

    private func initdb(binaries: PostgresBinaries, runAs: RunAs) async throws {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: self.dataDirectory)) ?? []
        guard contents.isEmpty else {
            throw DatabaseError(
                .directoryUnusable,
                "\(self.dataDirectory) is not empty and holds no PostgreSQL cluster (no PG_VERSION); refusing to initialize over it.")
        }
        var arguments = [
            "-D", self.dataDirectory, "-U", "postgres", "-A", "trust", "--encoding=UTF8", "--locale=C",
            "--no-instructions",
        ]
        // Byte-order collation (fast, deterministic indexes) with Unicode-aware upper/lower/ILIKE.
        if Self.hasCUTF8Locale() { arguments.append("--lc-ctype=C.UTF-8") }
        if self.forTesting { arguments.append("--no-sync") }
        let (program, fullArguments) = runAs.command(binaries.path("initdb"), arguments)
        self.logger.info("initializing a PostgreSQL cluster", metadata: ["postgres.bin": "\(binaries.binDirectory)"])
        let result = try await ChildProcess.run(program, fullArguments, timeout: .seconds(180))
        guard result.status == 0, !result.timedOut else {
            throw DatabaseError(.commandFailed, "initdb failed for \(self.dataDirectory).", details: result.output)
        }
    }

    private func isServerRunning(binaries: PostgresBinaries, runAs: RunAs) async throws -> Bool {
        guard FileManager.default.fileExists(atPath: (self.dataDirectory as NSString).appendingPathComponent("postmaster.pid")) else {
            return false
        }
        let (program, arguments) = runAs.command(binaries.path("pg_ctl"), ["status", "-D", self.dataDirectory])
        let result = try await ChildProcess.run(program, arguments, timeout: .seconds(30))
        return result.status == 0
    }

    // MARK: - Stop

    private func performStop() async {
        guard let binaries = try? self.binaries(), let runAs = try? RunAs.current() else { return }
        for mode in ["fast", "immediate"] {
            let (program, arguments) = runAs.command(
                binaries.path("pg_ctl"), ["stop", "-D", self.dataDirectory, "-m", mode, "-w", "-t", "60", "-s"])
            do {
                let result = try await ChildProcess.run(program, arguments, timeout: .seconds(75))
                if result.status == 0 {
                    self.logger.info("PostgreSQL stopped", metadata: ["postgres.mode": "\(mode)"])
                    return
                }
                if !(try await self.isServerRunning(binaries: binaries, runAs: runAs)) { return }
                self.logger.warning("pg_ctl stop failed", metadata: ["postgres.mode": "\(mode)", "output": "\(result.output)"])
            } catch {
                self.logger.warning("pg_ctl stop failed", metadata: ["postgres.mode": "\(mode)", "error": "\(error)"])
            }
        }
    }

}
