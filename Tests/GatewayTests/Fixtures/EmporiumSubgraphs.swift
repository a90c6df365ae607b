import Gateway

/// Copies of the catalog and inventory subgraph SDLs (Sources/Catalog/GraphQL/CatalogSchema+SDL.swift
/// and Sources/Inventory/GraphQL/InventorySchema+SDL.swift). GatewayTests must not depend on
/// those modules; a gateway that composes these composes the real subgraphs.
enum EmporiumSubgraphs {
    static let catalogSDL = #"""
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

    "An ISO 8601 date-time in UTC, e.g. 2026-11-25T09:00:00.000Z."
    scalar DateTime

    enum ProductStatus {
      DRAFT
      SCHEDULED
      PUBLISHED
      ARCHIVED
    }

    "An amount in minor units (cents) of an ISO 4217 currency."
    type Money @shareable {
      amount: Int!
      currency: String!
      formatted: String!
    }

    type ProductAttribute {
      key: String!
      value: String!
    }

    type Category @key(fields: "id") {
      id: ID!
      parentId: ID
      slug: String!
      name: String!
      parent: Category
      children: [Category!]!
    }

    type Product @key(fields: "id") {
      id: ID!
      sellerId: ID!
      title: String!
      "Unique and stable; former slugs keep resolving through productBySlug."
      slug: String!
      description: String!
      price: Money!
      compareAtPrice: Money
      category: Category
      attributes: [ProductAttribute!]!
      imageUrls: [String!]!
      status: ProductStatus!
      publishAt: DateTime
      createdAt: DateTime!
      updatedAt: DateTime!
      "Incremented on every change; updateProduct names the version it expects."
      version: Int!
    }

    type ProductEdge {
      cursor: String!
      node: Product!
    }

    type PageInfo @shareable {
      hasNextPage: Boolean!
      endCursor: String
    }

    type ProductConnection {
      edges: [ProductEdge!]!
      nodes: [Product!]!
      pageInfo: PageInfo!
    }

    input MoneyInput {
      amount: Int!
      currency: String!
    }

    input AttributeInput {
      key: String!
      value: String!
    }

    input ProductFilter {
      categoryId: ID
      sellerId: ID
      minPrice: Int
      maxPrice: Int
      currency: String
      statuses: [ProductStatus!]
    }

    input CreateProductInput {
      title: String!
      description: String
      price: MoneyInput!
      compareAtPrice: MoneyInput
      categoryId: ID
      attributes: [AttributeInput!]
      imageUrls: [String!]
      sellerId: ID
    }

    input UpdateProductInput {
      title: String
      description: String
      price: MoneyInput
      compareAtPrice: MoneyInput
      removeCompareAtPrice: Boolean
      categoryId: ID
      removeCategory: Boolean
      attributes: [AttributeInput!]
      imageUrls: [String!]
    }

    input CreateCategoryInput {
      name: String!
      slug: String
      parentId: ID
    }

    type Query {
      product(id: ID!): Product
      productBySlug(slug: String!): Product
      products(filter: ProductFilter, first: Int, after: String): ProductConnection!
      searchProducts(query: String!, first: Int, after: String): ProductConnection!
      categories: [Category!]!
      category(id: ID!): Category
    }

    type Mutation {
      createProduct(input: CreateProductInput!): Product!
      updateProduct(id: ID!, expectedVersion: Int!, input: UpdateProductInput!): Product!
      publishProduct(id: ID!, expectedVersion: Int, publishAt: DateTime): Product!
      archiveProduct(id: ID!, expectedVersion: Int): Product!
      createCategory(input: CreateCategoryInput!): Category!
    }
    """#

    static let inventorySDL = #"""
    extend schema
      @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

    "An ISO 8601 date-time in UTC, e.g. 2026-11-25T09:00:00.000Z."
    scalar DateTime

    enum ReservationStatus {
      HELD
      COMMITTED
      RELEASED
      EXPIRED
    }

    type Warehouse {
      id: ID!
      code: String!
      name: String!
      "The warehouse new products open their stock in, and commands without a warehouse use."
      isDefault: Boolean!
    }

    type WarehouseStock {
      warehouse: Warehouse!
      available: Int!
      onHand: Int!
      reserved: Int!
    }

    "A product's stock summed over its warehouses; zero for a product inventory does not know."
    type StockLevel {
      productId: ID!
      "On hand minus reserved; never negative."
      available: Int!
      onHand: Int!
      reserved: Int!
      "Whether available is at or below lowStockThreshold."
      lowStock: Boolean!
      lowStockThreshold: Int!
      "The default warehouse first, then by code."
      warehouses: [WarehouseStock!]!
    }

    type Product @key(fields: "id") {
      id: ID!
      stock: StockLevel!
      "Whether a unit could be reserved now: available and the product is not archived."
      inStock: Boolean!
    }

    type ReservationLine {
      productId: ID!
      warehouseId: ID!
      quantity: Int!
    }

    type Reservation {
      id: ID!
      status: ReservationStatus!
      lines: [ReservationLine!]!
      createdAt: DateTime!
      "Units not committed by then go back to stock."
      expiresAt: DateTime!
      settledAt: DateTime
    }

    input ReservationLineInput {
      productId: ID!
      quantity: Int!
    }

    type Query {
      warehouses: [Warehouse!]!
      stock(productId: ID!): StockLevel!
    }

    type Mutation {
      "Sellers for their own products, and admins. Without warehouseId: the default warehouse."
      receiveStock(productId: ID!, warehouseId: ID, quantity: Int!): StockLevel!
      "A correction of on-hand units (negative or positive) with the reason for the movement log."
      adjustStock(productId: ID!, warehouseId: ID, delta: Int!, reason: String!): StockLevel!
      setLowStockThreshold(productId: ID!, threshold: Int!): StockLevel!
      "Admins only."
      createWarehouse(code: String!, name: String!): Warehouse!
      "Admins only; all lines or none. ttlSeconds defaults to the service's reservation TTL."
      reserveStock(lines: [ReservationLineInput!]!, ttlSeconds: Int): Reservation!
      "Admins only; releasing twice returns the released reservation."
      releaseReservation(id: ID!): Reservation!
      "Admins only; committing twice returns the committed reservation."
      commitReservation(id: ID!): Reservation!
    }
    """#

    static var subgraphs: [SubgraphSDL] {
        [
            SubgraphSDL(name: "catalog", url: "http://catalog.local/graphql", sdl: catalogSDL),
            SubgraphSDL(name: "inventory", url: "http://inventory.local/graphql", sdl: inventorySDL),
        ]
    }
}
