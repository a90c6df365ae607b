// Export benchmark (docs/BENCHMARKS.md, #19): 100,000 products written by the export job to XLSX
// and to CSV against a private PostgreSQL cluster (durable settings) started here — wall time
// and the process's resident memory before, after and at its peak — next to PostgreSQL's own
// `\copy … TO … CSV` of the same columns in the same run (the ceiling for CSV).
//
//   swift build -c release --product export-bench
//   export-bench [--products 100000]

import Catalog
import Database
import EmporiumCore
import Foundation
import Identity
import Jobs
import Logging
import PostgresNIO

let products = CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--products" ? Int(CommandLine.arguments[2]) ?? 100_000 : 100_000
let logger: Logger = { var logger = Logger(label: "export-bench"); logger.logLevel = .warning; return logger }()

/// VmRSS and VmHWM (peak) of this process, in MiB.
func memory() -> (rss: Double, peak: Double) {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    func field(_ name: String) -> Double {
        let line = status.split(separator: "\n").first { $0.hasPrefix(name + ":") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0) / 1024
    }
    return (field("VmRSS"), field("VmHWM"))
}

func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-export-bench-\(getpid())").path
let cluster = PostgresCluster(directory: directory, removeOnExit: true, logger: logger)
let endpoint = try await cluster.start()
let binaries = try PostgresBinaries.locate()
_ = try await cluster.createDatabase("export")
var configuration = endpoint.clientConfiguration(database: "export")
configuration.options.maximumConnections = 10
print("export-bench: \(products) products, PostgreSQL 15 (durable settings), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Date().formatted(.iso8601))")

let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { await client.run() }
    defer { group.cancelAll() }
    _ = try await Migrator(client: client, logger: logger).migrate([try CatalogService.migrationSet()])
    _ = try await CatalogSeeder(client: client, logger: logger).seed(products: products)
    let service = try CatalogService(client: client, logger: logger)
    guard let worker = service.jobs else { throw EmporiumError(.internalError, "no job worker") }
    let admin = Principal(userID: UserID("bench-admin"), roles: [.admin])

    var csvSeconds = 0.0
    for format in [ProductExport.Format.csv, .xlsx] {
        let before = memory()
        let export = try await service.catalog.exportProducts(sellerID: nil, status: nil, format: format, by: admin)
        let started = ContinuousClock.now
        _ = try await worker.runDue()
        let elapsed = seconds(ContinuousClock.now - started)
        let after = memory()
        let (done, _) = try await service.catalog.exportJob(id: export.id, by: admin)
        guard done.state == .completed else { throw EmporiumError(.internalError, "the export \(done.state): \(done.error ?? "")") }
        if format == .csv { csvSeconds = elapsed }
        let size = try await client.query("SELECT size FROM catalog.blobs WHERE key = \(done.fileName)", logger: logger).decode(Int64.self).collectAll().first ?? 0
        print(String(
            format: "%@: %d rows in %.2f s (%.0f rows/s), %.1f MB file; RSS %.0f → %.0f MiB, peak %.0f MiB (growth %.0f MiB)",
            format.rawValue.uppercased(), done.rowCount, elapsed, Double(done.rowCount) / elapsed, Double(size) / 1e6, before.rss, after.rss, after.peak,
            after.peak - before.rss))
    }

    // The ceiling: PostgreSQL writing the same columns as CSV itself.
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-export-bench-\(getpid()).csv").path
    _ = FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o666])
    defer { try? FileManager.default.removeItem(atPath: file) }
    let copy = Process()
    copy.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
    copy.arguments = ["-u", "postgres", "--", binaries.path("psql"), "-h", endpoint.host, "-p", String(endpoint.port), "-U", endpoint.username, "-d", "export", "-q", "-c",
        "\\copy (SELECT id, slug, title, status, price_amount, compare_at_amount, currency, category_id, seller_id, created_at, updated_at, description FROM catalog.products ORDER BY created_at, id) TO '\(file)' CSV HEADER"]
    copy.environment = ["PGPASSWORD": endpoint.password ?? ""]
    let copyStarted = ContinuousClock.now
    try copy.run()
    copy.waitUntilExit()
    let copySeconds = seconds(ContinuousClock.now - copyStarted)
    guard copy.terminationStatus == 0 else { throw EmporiumError(.internalError, "psql \\copy failed") }
    print(String(format: "ceiling: psql \\copy of the same columns to CSV %.2f s; our CSV took %.2f× its time", copySeconds, csvSeconds / copySeconds))
}
await cluster.stop()
