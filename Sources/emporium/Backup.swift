import ArgumentParser
import Database
import Foundation
import Logging
import PostgresNIO
import Runtime
import ServiceKit

/// `emporium backup FILE`: every service's schema in one consistent snapshot (`pg_dump` runs in
/// one repeatable-read transaction), in PostgreSQL's custom format, which `pg_restore` reads and
/// can list, select from and restore in parallel.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every service's data to FILE: one consistent snapshot, PostgreSQL's custom dump format.",
        discussion: "For the single node (the configured database or the private cluster). The distributed topology backs each service's database up through its PostgreSQL operator (docs/deploy.md)."
    )

    @Argument(help: "The file to write; an existing file is replaced only once the dump is complete.")
    var file: String

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let file = URL(fileURLWithPath: file).standardizedFileURL.path
        try await withProvisionedDatabase(common, label: "emporium.backup") { database, _, configuration, logger in
            let partial = file + ".partial"
            var arguments = ["--format=custom", "--no-owner", "--no-privileges", "--file=\(partial)"]
            arguments += ServiceRegistry.all.map { "--schema=\($0.schema)" }
            try PostgresTool.run("pg_dump", arguments, database: database, runtime: configuration, logger: logger)
            guard rename(partial, file) == 0 else { throw ValidationError("could not move the dump to \(file)") }
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            print("Backed up \(ServiceRegistry.names.joined(separator: ", ")) to \(file) (\(ByteCountFormatter.string(fromByteCount: size, countStyle: .file))).")
        }
    }
}

/// `emporium restore FILE`: replaces every service's schema with the backup's. Refused while
/// anything else is connected to the database (stop the node first).
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace every service's data with a backup made by `emporium backup` (stop the node first).",
        discussion: "The services' schemas are dropped and restored from FILE in one transaction each; extensions the migrations use are created first. Refused while other sessions use the database."
    )

    @Argument(help: "A file written by `emporium backup`.")
    var file: String

    @OptionGroup var common: CommonOptions

    func run() async throws {
        let file = URL(fileURLWithPath: file).standardizedFileURL.path
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
        try await withProvisionedDatabase(common, label: "emporium.restore") { database, client, configuration, logger in
            // The dump is readable before anything is dropped.
            try PostgresTool.run("pg_restore", ["--list", file], database: nil, runtime: configuration, logger: logger, quiet: true)
            let others = try await client.query(
                "SELECT count(*)::bigint FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                logger: logger
            ).decode(Int64.self).collectAll().first ?? 0
            guard others == 0 else {
                logger.critical("\(others) other session(s) use the database: stop the node (and every emporium process on it) before restoring")
                throw ExitCode.failure
            }
            // Extensions live outside the services' schemas, so the dump does not carry them.
            let extensions = try EmporiumApplication.migrationSets().flatMap(\.migrations).flatMap { migration in
                migration.sql.split(separator: "\n").filter { $0.uppercased().hasPrefix("CREATE EXTENSION") }.map(String.init)
            }
            try await client.transaction(logger: logger) { connection in
                for statement in Set(extensions) { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                for schema in ServiceRegistry.all.map(\.schema) {
                    // Schema names are the services' own (lowercase SQL names), never input.
                    try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \"\(schema)\" CASCADE"), logger: logger)
                }
            }
            try PostgresTool.run(
                "pg_restore", ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", file], database: database, runtime: configuration, logger: logger)
            print("Restored \(ServiceRegistry.names.joined(separator: ", ")) from \(file).")
        }
    }
}

/// PostgreSQL's own client programs (Debian: /usr/lib/postgresql/15/bin), pointed at the
/// command's database; the password travels in the environment, never in the arguments.
enum PostgresTool {
    static func run(
        _ program: String, _ arguments: [String], database: DatabaseProvisioning?, runtime: RuntimeConfiguration, logger: Logger, quiet: Bool = false
    ) throws {
        let binaries = try PostgresBinaries.locate()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaries.path(program))
        var environment = ProcessInfo.processInfo.environment
        var connection: [String] = []
        if let database {
            let configuration = database.configuration
            guard let host = configuration.host, let port = configuration.port else {
                throw ValidationError("\(program) needs a TCP database address")
            }
            connection = ["--host=\(host)", "--port=\(port)", "--username=\(configuration.username)", "--dbname=\(configuration.database ?? configuration.username)"]
            if let password = configuration.password { environment["PGPASSWORD"] = password }
            environment["PGSSLMODE"] = sslMode(runtime.databaseURL)
        }
        process.arguments = connection + arguments
        process.environment = environment
        if quiet { process.standardOutput = FileHandle(forWritingAtPath: "/dev/null") }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            logger.critical("\(program) failed with status \(process.terminationStatus) (its message is above)")
            throw ExitCode.failure
        }
    }

    /// The URL's `sslmode`, for libpq; `prefer` without one (the private cluster).
    static func sslMode(_ url: String?) -> String {
        guard let url, let items = URLComponents(string: url)?.queryItems, let mode = items.first(where: { $0.name == "sslmode" })?.value,
              ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(mode)
        else { return "prefer" }
        return mode
    }
}
