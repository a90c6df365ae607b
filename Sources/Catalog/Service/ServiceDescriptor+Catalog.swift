import Contracts
import Messaging
import ServiceKit
import ServiceLifecycle

extension ServiceDescriptor {
    /// The catalog: products, categories and search (schema `catalog`).
    public static let catalog = ServiceDescriptor(
        name: "catalog",
        schema: CatalogService.schemaName,
        migrations: { try CatalogService.migrationSet() },
        sdl: CatalogSchema.sdl,
        publishes: [Topics.catalogProduct, Topics.catalogViews, Topics.catalogExport],
        consumes: CounterProjections.make().topics,
        caching: CachePolicy(maxAges: CatalogCacheTags.maxAges, invalidatedTags: CatalogCacheTags.invalidated(by:)),
        commands: [SeedCommand.self],
        edge: { context in ProductViewCounter(logger: context.logger, publish: context.publish) },
        start: { context in
            let admission = try context.rateLimiter.map {
                SearchAdmission(limiter: $0, limit: try SearchAdmission.limit(from: context.settings))
            }
            let service = try CatalogService(
                client: context.postgres, searchAdmission: admission, cache: context.cache, searchIndex: try SearchIndexChoice(from: context.settings),
                logger: context.logger)
            var routes = [ProductSearchRoute(catalog: service.catalog, admission: admission).route]
            if let exports = service.exportFiles { routes.append(ExportDownloadRoute(exports: exports, clock: service.catalog.clock).route) }
            if let images = service.imageFiles {
                routes += [ImageUploadRoute(catalog: service.catalog).route, ImageFileRoute(images: images).route]
            }
            var background: [any Service] = service.jobs.map { [$0] } ?? []
            if let search = service.residentSearch { background.append(search) }
            return ServiceInstance(endpoint: service.endpoint, eventHandlers: service.eventHandlers, background: background, routes: routes)
        }
    )
}
