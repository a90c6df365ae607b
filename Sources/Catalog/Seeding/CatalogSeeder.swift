import Database
import EmporiumCore
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// Fills the catalog fast with realistic data: `COPY` on two connections in parallel, and, when
/// the catalog starts empty, secondary indexes dropped during the load and rebuilt afterwards
/// from their own definitions (so they cannot drift from the migrations).
public struct CatalogSeeder: Sendable {
    public struct Report: Sendable {
        public let products: Int
        public let seconds: Double
    }

    let client: PostgresClient
    let logger: Logger
    let seed: UInt64
    let streams = 2

    public init(client: PostgresClient, logger: Logger, seed: UInt64 = 42) {
        self.client = client
        self.logger = logger
        self.seed = seed
    }

    public func seed(products count: Int, progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Report {
        let started = ContinuousClock.now
        let categories = try await ensureCategories()
        let existing = try await client.query("SELECT count(*)::bigint FROM catalog.products", logger: logger).decode(Int64.self).collectAll().first ?? 0
        let takenSlugs = existing == 0 ? Set<String>() : try await loadSlugs()
        let slugs = Shared(takenSlugs)
        let bulk = existing == 0 && count >= 10_000
        let savedIndexes = bulk ? try await dropSecondaryIndexes() : []
        // The title-words trigger costs a lookup per word per row, and parallel streams would
        // contend on the same words; one set-based insert afterwards does the same work.
        try await client.query("ALTER TABLE catalog.products DISABLE TRIGGER products_remember_title_words", logger: logger)
        let done = Shared(0)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for stream in 0..<streams {
                    let range = Self.slice(count, stream: stream, of: streams)
                    group.addTask {
                        try await copyProducts(range: range, stream: stream, generation: UInt64(existing), categories: categories, slugs: slugs) { rows in
                            let total = done.withLock { $0 += rows; return $0 }
                            progress(total)
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            if bulk { try? await restoreIndexes(savedIndexes) }
            _ = try? await client.query("ALTER TABLE catalog.products ENABLE TRIGGER products_remember_title_words", logger: logger)
            throw error
        }
        try await client.query("ALTER TABLE catalog.products ENABLE TRIGGER products_remember_title_words", logger: logger)
        try await client.query("""
            INSERT INTO catalog.search_words (word)
            SELECT DISTINCT w FROM catalog.products, regexp_split_to_table(lower(title), '[^[:alnum:]]+') AS w
            WHERE length(w) >= 3
            ON CONFLICT DO NOTHING
            """, logger: logger)
        if bulk {
            logger.info("rebuilding catalog indexes", metadata: ["indexes": "\(savedIndexes.count)"])
            try await restoreIndexes(savedIndexes)
        }
        try await client.query("ANALYZE catalog.products", logger: logger)
        try await client.query("ANALYZE catalog.product_slugs", logger: logger)
        let elapsed = ContinuousClock.now - started
        return Report(products: count, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    static func slice(_ count: Int, stream: Int, of streams: Int) -> Range<Int> {
        let size = count / streams
        let start = stream * size
        return start..<(stream == streams - 1 ? count : start + size)
    }

    // MARK: Categories

    struct CategoryChoice: Sendable {
        let id: UUID
        let department: Int
        let kind: Int
    }

    private func ensureCategories() async throws -> [CategoryChoice] {
        var choices: [CategoryChoice] = []
        for (d, department) in SeedVocabulary.departments.enumerated() {
            let parent = try await upsertCategory(slug: department.slug, name: "\(department.russian) / \(department.english)", parent: nil)
            for (k, kind) in department.kinds.enumerated() {
                let id = try await upsertCategory(slug: kind.slug, name: "\(kind.russian) / \(kind.english)", parent: parent)
                choices.append(CategoryChoice(id: id, department: d, kind: k))
            }
        }
        return choices
    }

    private func upsertCategory(slug: String, name: String, parent: UUID?) async throws -> UUID {
        try await client.query(
            "INSERT INTO catalog.categories (id, parent_id, slug, name) VALUES (\(UUID()), \(parent), \(slug), \(name)) ON CONFLICT (slug) DO NOTHING",
            logger: logger
        )
        guard let id = try await client.query("SELECT id FROM catalog.categories WHERE slug = \(slug)", logger: logger).decode(UUID.self).collectAll().first else {
            throw EmporiumError(.internalError, "category \(slug) vanished while seeding")
        }
        return id
    }

    // MARK: Indexes

    private static let bulkIndexes = [
        "products_created_idx", "products_category_created_idx", "products_seller_created_idx",
        "products_search_idx", "products_title_trgm_idx", "product_slugs_prefix_idx", "product_slugs_product_idx",
    ]

    private func dropSecondaryIndexes() async throws -> [String] {
        let definitions = try await client.query(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'catalog' AND indexname = ANY(\(Self.bulkIndexes))",
            logger: logger
        ).decode((String, String).self).collectAll()
        for (name, _) in definitions {
            try await client.query(PostgresQuery(unsafeSQL: "DROP INDEX IF EXISTS catalog.\(name)"), logger: logger)
        }
        return definitions.map { $0.1 }
    }

    /// Rebuilds indexes two at a time (one per core), with memory for fast sorts.
    private func restoreIndexes(_ definitions: [String]) async throws {
        let queue = Shared(definitions)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<streams {
                group.addTask {
                    try await client.withConnection { connection in
                        try await connection.query("SET maintenance_work_mem = '256MB'", logger: logger)
                        while let definition = queue.withLock({ $0.popLast() }) {
                            let statement = definition.replacingOccurrences(of: "CREATE INDEX ", with: "CREATE INDEX IF NOT EXISTS ")
                                .replacingOccurrences(of: "CREATE UNIQUE INDEX ", with: "CREATE UNIQUE INDEX IF NOT EXISTS ")
                            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private func loadSlugs() async throws -> Set<String> {
        var slugs = Set<String>()
        for try await slug in try await client.query("SELECT slug FROM catalog.product_slugs", logger: logger).decode(String.self) {
            slugs.insert(slug)
        }
        return slugs
    }

    // MARK: Rows

    private func copyProducts(
        range: Range<Int>, stream: Int, generation: UInt64, categories: [CategoryChoice], slugs: Shared<Set<String>>,
        progress: @Sendable (Int) -> Void
    ) async throws {
        // The rows already present are part of the seed, so that seeding again adds new products
        // (new ids) while a fresh catalog with the same --seed is always the same.
        var random = SeedRandom(seed: seed &+ UInt64(stream) &* 1_000_003 &+ generation &* 0x9E37_79B9)
        let generator = SeedProductGenerator(categories: categories)
        var slugRows: [(String, UUID)] = []
        slugRows.reserveCapacity(range.count)
        let batchRows = 5_000
        // One transaction per stream: a failed seed leaves no half-written stream behind.
        try await client.transaction(logger: logger) { connection in
            // PostgresNIO quotes the table name as one identifier, so the schema comes from the path.
            _ = try await connection.query("SET LOCAL search_path TO catalog, public", logger: logger)
            try await connection.copyFrom(
                table: "products",
                columns: ["id", "seller_id", "title", "slug", "description", "price_amount", "currency", "compare_at_amount",
                          "category_id", "attributes", "image_urls", "status", "publish_at", "created_at", "updated_at", "version"],
                logger: logger
            ) { writer in
                var buffer = ByteBufferAllocator().buffer(capacity: batchRows * 700)
                var pending = 0
                for index in range {
                    let row = generator.make(index: index, random: &random)
                    let slug = slugs.withLock { taken -> String in
                        var candidate = row.baseSlug
                        var n = 2
                        while taken.contains(candidate) {
                            candidate = "\(row.baseSlug)-\(n)"
                            n += 1
                        }
                        taken.insert(candidate)
                        return candidate
                    }
                    slugRows.append((slug, row.id))
                    row.appendCopyText(slug: slug, to: &buffer)
                    pending += 1
                    if pending == batchRows {
                        try await writer.write(buffer)
                        buffer.clear()
                        progress(pending)
                        pending = 0
                    }
                }
                if pending > 0 {
                    try await writer.write(buffer)
                    progress(pending)
                }
            }
            try await connection.copyFrom(table: "product_slugs", columns: ["slug", "product_id"], logger: logger) { writer in
                var buffer = ByteBufferAllocator().buffer(capacity: 1 << 20)
                for (slug, id) in slugRows {
                    buffer.writeString(slug)
                    buffer.writeString("\t")
                    buffer.writeString(id.uuidString.lowercased())
                    buffer.writeString("\n")
                    if buffer.readableBytes > 900_000 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
        }
    }
}

/// A mutex-protected value that escaping closures (task group children) can share.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result { mutex.withLock { body(&$0) } }
}
