import Catalog
import Gateway
import Inventory
import Users

/// The real catalog, inventory and users subgraph SDLs, as the running services serve them (each is
/// checked against its executable schema in its own tests). Only this test target depends on
/// those modules; the Gateway module does not.
enum EmporiumSubgraphs {
    static var catalogSDL: String { CatalogSchema.sdl }
    static var inventorySDL: String { InventorySchema.sdl }
    static var usersSDL: String { UsersSchema.sdl }

    static var subgraphs: [SubgraphSDL] {
        [
            SubgraphSDL(name: "catalog", url: "http://catalog.local/graphql", sdl: catalogSDL),
            SubgraphSDL(name: "inventory", url: "http://inventory.local/graphql", sdl: inventorySDL),
            // The catalog's Product.seller refers to the users' Seller: the three compose together.
            SubgraphSDL(name: "users", url: "http://users.local/graphql", sdl: usersSDL),
        ]
    }
}
