import Catalog
import Gateway
import GraphQLSupport
import Inventory
import Users
import Logging

/// A single node as `emporium serve` assembles it (`GatewayAssembly.inProcess`), minus HTTP and
/// PostgreSQL: the catalog and inventory services wired by their own `init`s over in-memory
/// stores, and the federation gateway composed from their SDLs, calling their endpoints in
/// process.
struct InProcessNode: Sendable {
    let catalog: CatalogService
    let inventory: InventoryService
    let gateway: FederationGateway

    init(dataset: BenchmarkDataset) throws {
        // Warnings only: a benchmark that logs every request measures the logger.
        var logger = Logger(label: "emporium.graphql-bench")
        logger.logLevel = .warning
        let products = InMemoryProductStore(dataset.products)
        catalog = try CatalogService(
            products: products, categories: InMemoryCategoryStore(dataset.categories), search: products, logger: logger)
        inventory = try InventoryService(
            stock: InMemoryStockStore(warehouses: dataset.warehouses, levels: dataset.stock), reservations: RefusingReservationStore(),
            logger: logger)
        let supergraph = try Supergraph.compose([
            SubgraphSDL(name: "catalog", sdl: CatalogSchema.sdl),
            SubgraphSDL(name: "inventory", sdl: InventorySchema.sdl),
            // Composed for Product.seller's Seller; no scenario asks the users service.
            SubgraphSDL(name: "users", sdl: UsersSchema.sdl),
        ])
        // The runtime's settings: the services' cacheable root fields (the gateway works out each
        // answer's maximum age), everything else at its default, in-flight deduplication included.
        let maxAges = CatalogCacheTags.maxAges.merging(InventoryCacheTags.maxAges) { first, _ in first }
        gateway = FederationGateway(
            supergraph: supergraph,
            transport: InProcessSubgraphTransport(["catalog": catalog.endpoint, "inventory": inventory.endpoint]),
            configuration: GatewayConfiguration(cacheableRootFields: maxAges), logger: logger)
    }
}
