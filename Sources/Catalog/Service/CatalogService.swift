import Blobs
import Caching
import Database
import EmporiumCore
import Foundation
import GraphQLSupport
import Imaging
import Logging
import Jobs
import Messaging
import PostgresNIO

/// Wires the catalog: PostgreSQL stores, the use cases, and the GraphQL subgraph endpoint.
/// The runtime reaches it through ``ServiceKit/ServiceDescriptor/catalog``, which also mounts the
/// REST search route; the runtime owns the PostgreSQL client's lifecycle.
public struct CatalogService: Sendable {
    public let catalog: ProductCatalog
    public let endpoint: SchemaEndpoint<CatalogContext>

    /// The directory of this service's versioned SQL migrations (schema `catalog`).
    public static var migrationsDirectory: URL {
        Bundle.module.url(forResource: "Migrations", withExtension: nil)!
    }

    public static let schemaName = "catalog"

    /// The catalog's own migrations plus the messaging tables (outbox, inbox, dead letters).
    public static func migrationSet() throws -> MigrationSet {
        let own = try MigrationSet.load(schema: schemaName, directory: migrationsDirectory)
        return try MigrationSet(
            schema: schemaName, migrations: own.migrations + [MessagingSchema.migration(), JobsSchema.migration(), PostgresBlobStore.migration()])
    }

    public let searchAdmission: SearchAdmission?

    /// The projections' handlers (units sold, products per category, units available).
    public let eventHandlers = CounterProjections.make()

    public init(
        products: any ProductStore, categories: any CategoryStore, search: any SearchIndex, counters: any CounterStore = ZeroCounterStore(),
        jobs: JobQueue? = nil, discounts: (any DiscountStore)? = nil, exports: (any ExportStore)? = nil, images: (any ImageStore)? = nil,
        clock: any TimeSource = SystemTimeSource(), searchAdmission: SearchAdmission? = nil, logger: Logger
    ) throws {
        let catalog = ProductCatalog(
            products: products, categories: categories, search: search, counters: counters, jobs: jobs, discounts: discounts, exports: exports,
            images: images, clock: clock)
        self.catalog = catalog
        self.searchAdmission = searchAdmission
        endpoint = SchemaEndpoint(schema: try CatalogSchema.build(), logger: logger) { info in
            CatalogContext(
                principal: info.principal, catalog: catalog, clientKey: info.clientKey,
                responseHeaders: info.responseHeaders, responseTags: info.responseTags, searchAdmission: searchAdmission
            )
        }
    }

    /// The exports' files and download links, for the download route; set by
    /// ``init(client:searchAdmission:cache:clock:thumbnailer:searchIndex:logger:)``.
    public private(set) var exportFiles: PostgresExportStore?

    /// Product images' files, for the routes that take uploads and serve sizes; set by
    /// ``init(client:searchAdmission:cache:clock:thumbnailer:searchIndex:logger:)``.
    public private(set) var imageFiles: PostgresImageStore?

    /// The in-memory search index when chosen (it runs as a background service that keeps it
    /// current); set by ``init(client:searchAdmission:cache:clock:thumbnailer:searchIndex:logger:)``.
    public private(set) var residentSearch: ResidentSearchIndex?

    /// Runs the catalog's jobs (scheduled publications, discounts, exports, image sizes); set by ``init(client:searchAdmission:cache:clock:thumbnailer:searchIndex:logger:)``.
    public private(set) var jobs: JobWorker?

    /// With `cache`, single-product reads go through it (``CachedProductStore``). Images are
    /// made by `thumbnailer` (libvips when nil).
    public init(
        client: PostgresClient, searchAdmission: SearchAdmission? = nil, cache: (any Cache)? = nil, clock: any TimeSource = SystemTimeSource(),
        thumbnailer: (any Thumbnailer)? = nil, searchIndex: SearchIndexChoice = .resident(.every(.milliseconds(250))), logger: Logger
    ) throws {
        let queue = JobQueue(schema: Self.schemaName, client: client, clock: clock, logger: logger)
        let store = PostgresProductStore(client: client, jobs: queue, logger: logger)
        // Files (exports, images) live in the catalog's own PostgreSQL in both topologies:
        // every catalog process can serve every one.
        let blobs = try PostgresBlobStore(client: client, schema: Self.schemaName, logger: logger)
        let exports = PostgresExportStore(client: client, jobs: queue, blobs: blobs, logger: logger)
        let images = PostgresImageStore(client: client, jobs: queue, blobs: blobs, products: store, logger: logger)
        let thumbnailer = try thumbnailer ?? VipsThumbnailer()
        let search: any SearchIndex
        var resident: ResidentSearchIndex?
        switch searchIndex {
        case .postgres:
            search = PostgresSearchIndex(client: client, logger: logger)
        case .resident(let freshness):
            let index = ResidentSearchIndex(client: client, freshness: freshness, logger: logger)
            resident = index
            search = index
        }
        try self.init(
            products: cache.map { CachedProductStore(inner: store, cache: $0, logger: logger) } ?? store,
            categories: MemoizedCategoryStore(inner: PostgresCategoryStore(client: client, logger: logger)),
            search: search,
            counters: PostgresCounterStore(client: client, logger: logger),
            jobs: queue,
            discounts: store,
            exports: exports,
            images: images,
            clock: clock,
            searchAdmission: searchAdmission,
            logger: logger
        )
        exportFiles = exports
        imageFiles = images
        residentSearch = resident
        var handlers = JobHandlers()
        handlers.on(PublicationJobs.kind, PublicationJobs.Payload.self) { payload, context in
            let id = try ProductID(parsing: payload.productId)
            let published = try await store.publishScheduled(id: id, publishAt: payload.publishAt, at: clock.now())
            context.logger.info(published ? "scheduled product published" : "scheduled publication no longer applies", metadata: ["product.id": "\(id)"])
        }
        handlers.on(DiscountJobs.start, DiscountJobs.Payload.self) { payload, context in
            guard let id = UUID(uuidString: payload.discountId) else { throw EmporiumError.badInput("not a discount id", field: "discountId") }
            let started = try await store.startDiscount(id: id, at: clock.now())
            context.logger.info(started ? "discount started" : "discount no longer applies", metadata: ["discount.id": "\(id)"])
        }
        handlers.on(DiscountJobs.end, DiscountJobs.Payload.self) { payload, context in
            guard let id = UUID(uuidString: payload.discountId) else { throw EmporiumError.badInput("not a discount id", field: "discountId") }
            let ended = try await store.endDiscount(id: id, at: clock.now())
            context.logger.info(ended ? "discount ended, regular price back" : "discount was not running", metadata: ["discount.id": "\(id)"])
        }
        handlers.on(PostgresExportStore.kind, PostgresExportStore.Payload.self) { payload, context in
            guard let id = UUID(uuidString: payload.exportId) else { throw EmporiumError.badInput("not an export id", field: "exportId") }
            try await exports.run(id: id, at: { clock.now() })
            context.logger.info("products exported", metadata: ["export.id": "\(id)"])
        }
        handlers.on(PostgresImageStore.kind, PostgresImageStore.Payload.self) { payload, context in
            guard let id = UUID(uuidString: payload.imageId) else { throw EmporiumError.badInput("not an image id", field: "imageId") }
            try await images.process(id: id, thumbnailer: thumbnailer, at: { clock.now() })
            context.logger.info("product image sizes made", metadata: ["image.id": "\(id)"])
        }
        // Exports and images one at a time each: a 100k-row file is seconds of one core, and
        // libvips uses every core for one image; publications must not wait behind either.
        jobs = JobWorker(
            configuration: JobWorker.Configuration(
                schema: Self.schemaName, queues: [PublicationJobs.queue: 4, PostgresExportStore.queue: 1, PostgresImageStore.queue: 1]),
            handlers: handlers, client: client,
            clock: clock, logger: logger)
    }
}

/// Which ``SearchIndex`` adapter the catalog searches with (`EMPORIUM_SEARCH_INDEX`).
public enum SearchIndexChoice: Sendable {
    /// Every search a PostgreSQL statement (always current; about 180 searches/s on a million
    /// products and two cores).
    case postgres
    /// The in-memory copy (docs/search.md), kept current as `freshness` says.
    case resident(ResidentSearchIndex.Freshness)
}
