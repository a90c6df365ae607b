import Blobs
import Contracts
import Crypto
import Database
import EmporiumCore
import Foundation
import Jobs
import Logging
import Messaging
import PostgresNIO
import Spreadsheets
import Synchronization

/// Exports on PostgreSQL: the row, its job (`catalog.export-products`, queue `exports`), the
/// file as a blob, and download paths signed with a key kept in `catalog.url_keys`.
public struct PostgresExportStore: ExportStore {
    static let kind = "catalog.export-products"
    static let queue = "exports"
    /// Rows read per statement while writing the file: memory stays at a batch.
    static let batchSize = 1000

    struct Payload: Codable, Sendable {
        var exportId: String
    }

    let client: PostgresClient
    let jobs: JobQueue
    let blobs: any BlobStore
    let logger: Logger
    /// The signing key once read: it never changes, so a link costs no database round trip.
    private let signingKey = KeyCache()

    /// A class: a struct cannot hold the (non-copyable) mutex itself.
    private final class KeyCache: Sendable {
        private let key = Mutex<[UInt8]?>(nil)
        func withLock<T>(_ body: (inout [UInt8]?) -> T) -> T { key.withLock { body(&$0) } }
    }

    public init(client: PostgresClient, jobs: JobQueue, blobs: any BlobStore, logger: Logger) {
        self.client = client
        self.jobs = jobs
        self.blobs = blobs
        self.logger = logger
    }

    static let columns = "id, requested_by, seller_id, status, format, state, progress, row_count, error, created_at, finished_at"
    typealias Row = (UUID, String, String?, String?, String, String, Int32, Int32, String?, Date, Date?)

    static func decode(_ row: Row) throws -> ProductExport {
        guard let format = ProductExport.Format(rawValue: row.4), let state = ProductExport.State(rawValue: row.5) else {
            throw EmporiumError(.internalError, "a stored export is malformed")
        }
        return ProductExport(
            id: row.0, requestedBy: UserID(row.1), sellerID: row.2.map(UserID.init), status: row.3.flatMap(ProductStatus.init(rawValue:)),
            format: format, state: state, progress: Int(row.6), rowCount: Int(row.7), error: row.8, createdAt: row.9, finishedAt: row.10)
    }

    public func create(_ export: ProductExport) async throws -> ProductExport {
        let (logger, jobs) = (logger, jobs)
        return try await client.transaction(logger: logger) { connection in
            try await connection.query("""
                INSERT INTO catalog.exports (id, requested_by, seller_id, status, format, state, created_at)
                VALUES (\(export.id), \(export.requestedBy.rawValue), \(export.sellerID?.rawValue), \(export.status?.rawValue), \(export.format.rawValue), 'pending', \(export.createdAt))
                """, logger: logger)
            _ = try await jobs.enqueue(JobRequest(
                kind: Self.kind, payload: Payload(exportId: UUIDText.lowercase(export.id)), queue: Self.queue, maxAttempts: 3, timeout: .seconds(600)),
                on: connection)
            return export
        }
    }

    public func export(id: UUID) async throws -> ProductExport? {
        try await client.query("SELECT \(unescaped: Self.columns) FROM catalog.exports WHERE id = \(id)", logger: logger)
            .decode(Row.self).collectAll().map(Self.decode).first
    }

    // MARK: The job

    /// Writes the file, a batch of rows at a time, and keeps it as a blob; the export is
    /// `completed` with its row count, or `failed` with the reason (and the error rethrown, so
    /// that the job is retried).
    func run(id: UUID, at now: @Sendable () -> Date) async throws {
        guard let export = try await export(id: id), export.state != .completed else { return }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-\(UUIDText.lowercase(id)).\(export.format.rawValue)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            try await client.query("UPDATE catalog.exports SET state = 'running', progress = 0, error = NULL WHERE id = \(id)", logger: logger)
            let total = try await count(export)
            let writer: any TableWriter = switch export.format {
            case .xlsx: try XLSXWriter(path: path, sheetName: "Products")
            case .csv: try CSVWriter(path: path)
            }
            try writer.writeRow(ProductSheet.header)
            var written = 0
            var after: (Date, UUID)?
            while true {
                let batch = try await products(export, after: after)
                for product in batch { try writer.writeRow(ProductSheet.row(product)) }
                written += batch.count
                guard let last = batch.last, batch.count == Self.batchSize else { break }
                after = (last.createdAt, last.id.uuid)
                let progress = total == 0 ? 99 : min(99, written * 100 / total)
                try await client.query("UPDATE catalog.exports SET progress = \(Int32(progress)) WHERE id = \(id)", logger: logger)
            }
            try writer.finish()
            guard let key = BlobKey(export.fileName) else { throw EmporiumError(.internalError, "an export's file name is not a blob key") }
            try await blobs.put(key, fromFile: path, contentType: export.format.contentType)
            // Completed and announced together: the requester is told exactly when it is ready.
            let (logger, finished) = (logger, now())
            let event = ProductExportCompleted(
                exportId: UUIDText.lowercase(id), requestedBy: export.requestedBy.rawValue, format: export.format.rawValue, rowCount: written)
            try await client.transaction(logger: logger) { connection in
                try await connection.query("""
                    UPDATE catalog.exports SET state = 'completed', progress = 100, row_count = \(Int32(clamping: written)), finished_at = \(finished)
                    WHERE id = \(id)
                    """, logger: logger)
                try await Outbox(schema: "catalog").append([try EventEnvelope(event, occurredAt: finished)], on: connection, logger: logger)
            }
        } catch {
            _ = try? await client.query(
                "UPDATE catalog.exports SET state = 'failed', error = \(String(describing: error).prefix(500).description), finished_at = \(now()) WHERE id = \(id)",
                logger: logger)
            throw error
        }
    }

    private func filter(_ export: ProductExport, _ sql: inout SQLBuilder) -> [String] {
        var conditions = ["TRUE"]
        if let seller = export.sellerID { conditions.append("p.seller_id = \(sql.bind(seller.rawValue))") }
        if let status = export.status { conditions.append("p.status = \(sql.bind(status.rawValue))") }
        return conditions
    }

    private func count(_ export: ProductExport) async throws -> Int {
        var sql = SQLBuilder()
        let conditions = filter(export, &sql)
        sql.append("SELECT count(*)::bigint FROM catalog.products p WHERE " + conditions.joined(separator: " AND "))
        return try await client.query(sql.query, logger: logger).decode(Int64.self).collectAll().first.map(Int.init) ?? 0
    }

    private func products(_ export: ProductExport, after: (Date, UUID)?) async throws -> [Product] {
        var sql = SQLBuilder()
        var conditions = filter(export, &sql)
        if let (createdAt, id) = after { conditions.append("(p.created_at, p.id) > (\(sql.bind(createdAt)), \(sql.bind(id)))") }
        sql.append("SELECT \(ProductRow.columns) FROM catalog.products p WHERE \(conditions.joined(separator: " AND ")) ORDER BY p.created_at, p.id LIMIT \(Self.batchSize)")
        var products: [Product] = []
        for try await row in try await client.query(sql.query, logger: logger) { products.append(try ProductRow.decode(row)) }
        return products
    }

    // MARK: Download links

    public func downloadPath(for export: ProductExport, expires: Date) async throws -> String {
        let seconds = Int64(expires.timeIntervalSince1970.rounded(.down))
        let signature = try await sign(export.id, expires: seconds)
        return "/exports/\(UUIDText.lowercase(export.id))/download?expires=\(seconds)&signature=\(signature)"
    }

    /// The completed export a download link names, once its signature and time are checked.
    func verifiedDownload(id text: String, expires: String?, signature: String?, now: Date) async throws -> ProductExport {
        let refused = EmporiumError(.forbidden, "this download link is not valid or has expired; read exportJob again for a new one")
        guard let id = UUIDText.parse(text), let expires, expires.utf8.count <= 12, let seconds = Int64(expires),
              let signature, signature.utf8.count == 64
        else { throw refused }
        guard Double(seconds) > now.timeIntervalSince1970 else { throw refused }
        let expected = try await sign(id, expires: seconds)
        // Compared in constant time: a timing difference must not reveal a correct prefix.
        guard zip(expected.utf8, signature.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { throw refused }
        guard let export = try await export(id: id), export.state == .completed else {
            throw EmporiumError.notFound("no completed export with id \(UUIDText.lowercase(id))")
        }
        return export
    }

    /// Streams the export's file to `body`.
    func readFile(_ export: ProductExport, _ body: (ByteBuffer) async throws -> Void) async throws -> Bool {
        guard let key = BlobKey(export.fileName) else { return false }
        return try await blobs.read(key, body)
    }

    private func sign(_ id: UUID, expires: Int64) async throws -> String {
        let key = SymmetricKey(data: try await urlKey())
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(UUIDText.lowercase(id)):\(expires)".utf8), using: key)
        return mac.map { String(format: "%02x", $0) }.joined()
    }

    /// The signing secret, made by the first process that needs it (all agree on the stored one),
    /// then kept in memory.
    private func urlKey() async throws -> [UInt8] {
        if let known = signingKey.withLock({ $0 }) { return known }
        var generator = SystemRandomNumberGenerator()
        let fresh = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        try await client.query(
            "INSERT INTO catalog.url_keys (name, secret) VALUES ('exports', \(ByteBuffer(bytes: fresh))) ON CONFLICT (name) DO NOTHING", logger: logger)
        let rows = try await client.query("SELECT secret FROM catalog.url_keys WHERE name = 'exports'", logger: logger).decode(ByteBuffer.self).collectAll()
        guard let stored = rows.first, stored.readableBytes == 32 else { throw EmporiumError(.internalError, "the download signing key is missing") }
        let key = Array(stored.readableBytesView)
        signingKey.withLock { $0 = key }
        return key
    }
}

/// The columns of a product export, and a product as a row.
enum ProductSheet {
    static let header: [TableCell] = [
        "id", "slug", "title", "status", "price", "compare_at_price", "currency", "category_id", "seller_id", "created_at", "updated_at", "description",
    ].map { .text($0) }

    /// One value, made once: building a date formatter per row cost more than the row.
    static let dates = Date.ISO8601FormatStyle()

    static func row(_ product: Product) -> [TableCell] {
        [
            .text(product.id.description), .text(product.slug.rawValue), .text(product.title), .text(product.status.rawValue),
            .number(decimal(product.price)), product.compareAtPrice.map { .number(decimal($0)) } ?? .empty, .text(product.price.currency.code),
            product.categoryID.map { .text($0.description) } ?? .empty, .text(product.sellerID.rawValue),
            .text(product.createdAt.formatted(dates)), .text(product.updatedAt.formatted(dates)), .text(product.description),
        ]
    }

    /// "1999.90" for 199990 minor units of a two-decimal currency.
    static func decimal(_ money: Money) -> String {
        money.description.split(separator: " ").first.map(String.init) ?? String(money.amount)
    }
}
