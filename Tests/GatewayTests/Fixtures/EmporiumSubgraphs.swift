import Catalog
import Gateway
import Inventory

/// The real catalog and inventory subgraph SDLs, as the running services serve them (each is
/// checked against its executable schema in its own tests). Only this test target depends on
/// those modules; the Gateway module does not.
enum EmporiumSubgraphs {
    static var catalogSDL: String { CatalogSchema.sdl }
    static var inventorySDL: String { InventorySchema.sdl }

    static var subgraphs: [SubgraphSDL] {
        [
            SubgraphSDL(name: "catalog", url: "http://catalog.local/graphql", sdl: catalogSDL),
            SubgraphSDL(name: "inventory", url: "http://inventory.local/graphql", sdl: inventorySDL),
        ]
    }
}
