extension InventorySchema {
    /// The inventory's federation v2 subgraph SDL, as `_service { sdl }` returns it.
    public static let sdl = #"""
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

        "A product's stock summed over its warehouses; zero for a product inventory does not know. Everyone sees available; the other figures are null except for the product's seller and admins."
        type StockLevel {
          productId: ID!
          "On hand minus reserved; never negative."
          available: Int!
          "Seller and admins only (null otherwise)."
          onHand: Int
          "Seller and admins only (null otherwise)."
          reserved: Int
          "Whether available is at or below lowStockThreshold. Seller and admins only (null otherwise)."
          lowStock: Boolean
          "Seller and admins only (null otherwise)."
          lowStockThreshold: Int
          "The default warehouse first, then by code. Seller and admins only (null otherwise)."
          warehouses: [WarehouseStock!]
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

        "Served over WebSocket (graphql-transport-ws) at /graphql."
        type Subscription {
          "The product's stock after each movement; owner-only figures as in Query.stock."
          stockChanged(productId: ID!): StockLevel!
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
}
