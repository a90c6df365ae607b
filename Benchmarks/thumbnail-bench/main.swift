// Thumbnail benchmark (docs/BENCHMARKS.md, #19): a 12-megapixel JPEG (4000 × 3000, made by Pillow)
// turned into the five sizes in JPEG and WebP —
//   1. by the thumbnailer alone (libvips in process),
//   2. by the catalog's job end to end (upload blob read from PostgreSQL, ten blobs written),
// next to libvips' own command-line `vipsthumbnail` in the same run, making the same ten files
// (ten runs per image, as a shell script would) and only the largest JPEG (the least work one
// image can cost: one shrink-on-load decode, one encode). A private PostgreSQL cluster is
// started and removed here; nothing leaves 127.0.0.1.
//
//   swift build -c release --product thumbnail-bench
//   thumbnail-bench [--images 20]

import Catalog
import Database
import EmporiumCore
import EmporiumTesting
import Foundation
import Identity
import Imaging
import Jobs
import Logging
import PostgresNIO

let images = CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--images" ? max(1, min(200, Int(CommandLine.arguments[2]) ?? 20)) : 20
let logger: Logger = { var logger = Logger(label: "thumbnail-bench"); logger.logLevel = .warning; return logger }()
let sizes = ImageSize.allCases.map(\.pixels)

func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }

/// Runs `body` `count` times; answers images per second.
func rate(_ count: Int, _ body: (Int) async throws -> Void) async throws -> Double {
    let started = ContinuousClock.now
    for index in 0..<count { try await body(index) }
    return Double(count) / seconds(ContinuousClock.now - started)
}

func run(_ tool: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw EmporiumError(.internalError, "\(tool) \(arguments.joined(separator: " ")) failed") }
}

let work = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-thumbnail-bench-\(getpid())").path
try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: work) }
let photo = work + "/photo.jpg"
try ImageFixtures.make(.jpeg, at: photo, width: 4000, height: 3000)
let bytes = (try FileManager.default.attributesOfItem(atPath: photo)[.size] as? NSNumber)?.intValue ?? 0
print("thumbnail-bench: \(images) images of 4000 × 3000 (\(String(format: "%.1f", Double(bytes) / 1e6)) MB JPEG) → 5 sizes × JPEG+WebP, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Date().formatted(.iso8601))")

// 1. The thumbnailer alone.
let thumbnailer = try VipsThumbnailer()
let alone = try await rate(images) { index in
    let directory = work + "/alone-\(index)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    _ = try await thumbnailer.thumbnails(of: photo, sizes: sizes, into: directory)
    try FileManager.default.removeItem(atPath: directory)
}

// The peer: vipsthumbnail, the same ten files (ten runs), and the largest JPEG only (one run).
let tool = "/usr/bin/vipsthumbnail"
guard FileManager.default.isExecutableFile(atPath: tool) else { throw EmporiumError(.internalError, "vipsthumbnail missing: apt-get install -y libvips-tools") }
let peerSame = try await rate(images) { index in
    for size in sizes {
        for (ext, options) in [("jpg", "[Q=82,strip,optimize_coding]"), ("webp", "[Q=80,strip]")] {
            try run(tool, [photo, "--size", "\(size)x\(size)>", "-o", "\(work)/peer-\(index)-\(size).\(ext)\(options)"])
        }
    }
}
let peerOne = try await rate(images) { index in
    try run(tool, [photo, "--size", "1280x1280>", "-o", "\(work)/one-\(index).jpg[Q=82,strip,optimize_coding]"])
}

// 2. The job, end to end, on PostgreSQL.
let cluster = PostgresCluster(directory: work + "/postgres", removeOnExit: true, logger: logger)
let endpoint = try await cluster.start()
_ = try await cluster.createDatabase("thumbnails")
var configuration = endpoint.clientConfiguration(database: "thumbnails")
configuration.options.maximumConnections = 10
let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
var job = 0.0
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { await client.run() }
    defer { group.cancelAll() }
    _ = try await Migrator(client: client, logger: logger).migrate([try CatalogService.migrationSet()])
    _ = try await CatalogSeeder(client: client, logger: logger).seed(products: images)
    let service = try CatalogService(client: client, thumbnailer: thumbnailer, logger: logger)
    guard let worker = service.jobs else { throw EmporiumError(.internalError, "no job worker") }
    let admin = Principal(userID: UserID("bench-admin"), roles: [.admin])
    let products = try await client.query("SELECT id FROM catalog.products LIMIT \(images)", logger: logger).decode(UUID.self).collectAll()
    for product in products {
        _ = try await service.catalog.attachImage(productID: UUIDText.lowercase(product), file: photo, format: .jpeg, byteSize: Int64(bytes), by: admin)
    }
    let started = ContinuousClock.now
    var done = 0
    while done < products.count {
        let ran = try await worker.runDue()
        guard ran > 0 else { break }
        done += ran
    }
    job = Double(done) / seconds(ContinuousClock.now - started)
    let ready = try await client.query("SELECT count(*)::bigint FROM catalog.product_images WHERE state = 'ready'", logger: logger).decode(Int64.self).collectAll().first ?? 0
    guard ready == products.count else { throw EmporiumError(.internalError, "only \(ready) of \(products.count) images became ready") }
}
await cluster.stop()

print(String(format: "thumbnailer alone:      %6.2f images/s (%.0f ms each)", alone, 1000 / alone))
print(String(format: "catalog job end to end: %6.2f images/s (%.0f ms each; blobs in PostgreSQL)", job, 1000 / job))
print(String(format: "peer vipsthumbnail, the same 10 files (10 runs): %6.2f images/s → ours %.2f× its rate", peerSame, alone / peerSame))
print(String(format: "peer vipsthumbnail, the 1280 JPEG only (1 run):   %6.2f images/s → ours (10 files) at %.2f× its rate", peerOne, alone / peerOne))
