@testable import Database
import EmporiumTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@Suite("PostgresCluster", .timeLimit(.minutes(3)))
struct PostgresClusterTests {
    @Test func missingBinariesSayHowToInstall() throws {
        let error = try #require(throws: DatabaseError.self) { try PostgresBinaries(binDirectory: "/nonexistent/bin") }
        #expect(error.code == .binariesNotFound)
        #expect(error.description.contains("apt-get install -y postgresql"))
    }

    @Test func locatesTheInstalledBinaries() throws {
        // Fails (with the install hint) on a machine without PostgreSQL: the suite needs it.
        let binaries = try PostgresBinaries.locate()
        #expect(FileManager.default.isExecutableFile(atPath: binaries.path("initdb")))
        #expect(FileManager.default.isExecutableFile(atPath: binaries.path("pg_ctl")))
    }

    @Test func sharedClusterAcceptsConnections() async throws {
        let settings = try await withFreshDatabase { client in
            try await client.strings(
                "SELECT concat_ws(',', current_setting('listen_addresses'), current_setting('fsync'), current_setting('server_encoding'), upper('смартфон'))")
        }
        #expect(settings == ["127.0.0.1,off,UTF8,СМАРТФОН"])
    }

    @Test func createDatabaseIsIdempotent() async throws {
        let (cluster, _) = try await TestPostgres.shared.cluster()
        let name = "idem_\(UInt32.random(in: 0...UInt32.max))"
        #expect(try await cluster.createDatabase(name) == true)
        #expect(try await cluster.createDatabase(name) == false)
    }

    @Test func restartReusesDataAndStopIsIdempotent() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-restart-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let cluster = PostgresCluster(directory: root.appendingPathComponent("data").path, forTesting: true, removeOnExit: true, logger: TestPostgres.logger)

        // Concurrent starts share one start; a start while running returns the same endpoint.
        async let racingStart = cluster.start()
        let first = try await cluster.start()
        #expect(try await racingStart == first)
        #expect(try await cluster.start() == first)
        let intruder = PostgresCluster(directory: root.appendingPathComponent("data").path, logger: TestPostgres.logger)
        let busy = try await #require(throws: DatabaseError.self) { try await intruder.start() }
        #expect(busy.code == .startFailed)
        #expect(busy.description.contains("already running"))
        try await withPostgresClient(first.clientConfiguration()) { client in
            try await client.query("CREATE TABLE survivors (name text)")
            try await client.query("INSERT INTO survivors VALUES ('still here')")
        }
        await cluster.stop()
        #expect(await cluster.endpoint == nil)
        #expect(!LocalPort.isListening(first.port), "the server is gone after stop()")
        await cluster.stop()

        let second = try await cluster.start()
        let survivors = try await withPostgresClient(second.clientConfiguration()) { client in
            try await client.strings("SELECT name FROM survivors")
        }
        #expect(survivors == ["still here"])
        async let racingStop: Void = cluster.stop()
        await cluster.stop()
        await racingStop
        await cluster.stop()
        #expect(await cluster.endpoint == nil)
        #expect(!LocalPort.isListening(second.port))
    }

    @Test func runAsAServiceStopsOnCancellation() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-service-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let cluster = PostgresCluster(directory: root.appendingPathComponent("data").path, forTesting: true, removeOnExit: true, logger: TestPostgres.logger)
        let endpoint = try await cluster.start()
        let service = Task { try await cluster.run() }
        // run() keeps the server that start() began; cancelling it (no graceful shutdown) stops it.
        try await Task.sleep(for: .milliseconds(200))
        #expect(LocalPort.isListening(endpoint.port))
        service.cancel()
        try await service.value
        #expect(await cluster.endpoint == nil)
        #expect(!LocalPort.isListening(endpoint.port))
    }

    @Test func aTakenFixedPortIsAClearErrorThenAFreePortWorks() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-port-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data").path
        let (listener, port) = try Self.occupyPort()
        defer { close(listener) }
        let blocked = PostgresCluster(directory: data, port: port, forTesting: true, removeOnExit: true, logger: TestPostgres.logger)
        let error = try await #require(throws: DatabaseError.self) { try await blocked.start() }
        #expect(error.code == .startFailed)
        #expect(error.description.contains("port \(port)"))
        #expect(error.description.contains("Server said:"), "\(error.description)")
        #expect(await blocked.endpoint == nil)

        // The same (now initialized) directory starts fine on a free port.
        let free = PostgresCluster(directory: data, forTesting: true, removeOnExit: true, logger: TestPostgres.logger)
        let endpoint = try await free.start()
        #expect(endpoint.port != port)
        await free.stop()
    }

    @Test func refusesANonEmptyDirectoryWithoutACluster() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-notpg-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try "precious".write(to: data.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let cluster = PostgresCluster(directory: data.path, logger: TestPostgres.logger)
        let error = try await #require(throws: DatabaseError.self) { try await cluster.start() }
        #expect(error.code == .directoryUnusable)
        #expect(try String(contentsOf: data.appendingPathComponent("notes.txt"), encoding: .utf8) == "precious")
    }

    @Test(.enabled(if: geteuid() == 0, "only root hands the directory to the postgres user"))
    func asRootAnUnreachableDirectoryIsAClearError() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-private-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let cluster = PostgresCluster(directory: root.appendingPathComponent("data").path, logger: TestPostgres.logger)
        let error = try await #require(throws: DatabaseError.self) { try await cluster.start() }
        #expect(error.code == .directoryUnusable)
        #expect(error.description.contains("postgres user cannot reach"))
    }

    @Test func createDatabaseNeedsARunningCluster() async throws {
        let cluster = PostgresCluster(directory: "/tmp/emporium-never-started-\(UUID().uuidString)", logger: TestPostgres.logger)
        let error = try await #require(throws: DatabaseError.self) { try await cluster.createDatabase("x") }
        #expect(error.code == .notRunning)
    }

    @Test func longPathsGetAShortSocketDirectory() {
        let long = "/tmp/" + String(repeating: "d", count: 120) + "/data"
        let cluster = PostgresCluster(directory: long, logger: TestPostgres.logger)
        #expect(cluster.socketDirectory.utf8.count <= 90)
        let short = PostgresCluster(directory: "/tmp/x/data", logger: TestPostgres.logger)
        #expect(short.socketDirectory == "/tmp/x/data.sock")
    }

    /// A listening socket on a free 127.0.0.1 port (to occupy it).
    static func occupyPort() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        try #require(fd >= 0 && ok)
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
