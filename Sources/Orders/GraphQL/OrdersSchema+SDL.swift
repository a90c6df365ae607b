extension OrdersSchema {
    /// The orders' federation v2 subgraph SDL, as `_service { sdl }` returns it.
    public static let sdl = #"""
        extend schema
          @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

        "An ISO 8601 date-time in UTC, e.g. 2026-11-25T09:00:00.000Z."
        scalar DateTime

        "An amount of an order, 64-bit: minorUnits is a decimal string of minor units (cents), exact in every JSON client; formatted is for display."
        type Amount {
          minorUnits: String!
          currency: String!
          formatted: String!
        }

        enum OrderStatus {
          "Placed; inventory is reserving the lines."
          PENDING
          "Reserved; the buyer has until payment.deadline to pay."
          AWAITING_PAYMENT
          PAID
          "Some sellers' parts have shipped, others not yet."
          PARTIALLY_SHIPPED
          "Every part has shipped; not all have arrived."
          SHIPPED
          DELIVERED
          CANCELLED
          "Inventory could not reserve every line; reason says which."
          REJECTED
        }

        enum SellerOrderStatus {
          PENDING
          AWAITING_PAYMENT
          PAID
          SHIPPED
          DELIVERED
          CANCELLED
          REJECTED
        }

        type Product @key(fields: "id") {
          id: ID!
        }

        type CartLine {
          productId: ID!
          "The catalog's product (current price, stock) through the gateway."
          product: Product!
          quantity: Int!
          "Null when the product is no longer for sale."
          unitPrice: Amount
          lineTotal: Amount
          "Whether the product can be bought now (published); checkout refuses a cart with a line that cannot."
          purchasable: Boolean!
        }

        "The caller's cart: one per buyer, in one currency."
        type Cart {
          lines: [CartLine!]!
          "Null when empty."
          total: Amount
          itemCount: Int!
        }

        type ShippingAddress {
          name: String!
          line1: String!
          line2: String
          city: String!
          postalCode: String!
          country: String!
          phone: String
        }

        input ShippingAddressInput {
          "1 to 200 characters."
          name: String!
          line1: String!
          line2: String
          city: String!
          postalCode: String!
          "ISO 3166-1 alpha-2, e.g. RU."
          country: String!
          phone: String
        }

        input CheckoutInput {
          shippingAddress: ShippingAddressInput!
          "1 to 128 visible ASCII characters (a UUID). The same key answers the same order."
          idempotencyKey: String!
        }

        type OrderLine {
          productId: ID!
          product: Product!
          sellerId: ID!
          "The title at checkout."
          title: String!
          quantity: Int!
          "The price at checkout."
          unitPrice: Amount!
          lineTotal: Amount!
        }

        type Shipment {
          id: ID!
          trackingNumber: String!
        }

        type Payment {
          "Where the buyer pays (the sandbox provider's page); null until the stock is reserved."
          confirmationUrl: String
          "Unpaid by then, the order is cancelled."
          deadline: DateTime
          paidAt: DateTime
          refundedAt: DateTime
        }

        type OrderStatusChange {
          "The seller order it concerns; null for the whole order."
          sellerOrderId: ID
          from: String
          to: String!
          reason: String
          at: DateTime!
        }

        "One seller's part of an order, shipped on its own."
        type SellerOrder @key(fields: "id") {
          id: ID!
          orderId: ID!
          sellerId: ID!
          buyerId: ID!
          status: SellerOrderStatus!
          lines: [OrderLine!]!
          subtotal: Amount!
          shipment: Shipment
          shippingAddress: ShippingAddress!
          createdAt: DateTime!
          updatedAt: DateTime!
        }

        type Order @key(fields: "id") {
          id: ID!
          buyerId: ID!
          status: OrderStatus!
          "Why it was rejected or cancelled."
          reason: String
          total: Amount!
          lines: [OrderLine!]!
          sellerOrders: [SellerOrder!]!
          shippingAddress: ShippingAddress!
          payment: Payment!
          "Every status change, oldest first."
          history: [OrderStatusChange!]!
          returns: [Return!]!
          createdAt: DateTime!
          updatedAt: DateTime!
        }

        enum ReturnStatus {
          REQUESTED
          "Refunded; the units go back to stock."
          APPROVED
          REFUSED
        }

        type ReturnLine {
          productId: ID!
          product: Product!
          quantity: Int!
          unitPrice: Amount!
        }

        "A buyer's request to send back part of one seller's delivery (within 14 days of it)."
        type Return {
          id: ID!
          orderId: ID!
          sellerOrderId: ID!
          sellerId: ID!
          status: ReturnStatus!
          reason: String!
          "The seller's note when refusing."
          decisionNote: String
          lines: [ReturnLine!]!
          "Refunded when approved."
          amount: Amount!
          createdAt: DateTime!
          decidedAt: DateTime
        }

        input ReturnLineInput {
          productId: ID!
          quantity: Int!
        }

        enum LedgerEntryKind {
          SALE
          "The marketplace's share of a sale (negative)."
          COMMISSION
          REFUND
          "The commission of a refunded sale, given back."
          COMMISSION_REFUND
        }

        type LedgerEntry {
          "Pass as after for the next (older) page."
          id: ID!
          kind: LedgerEntryKind!
          "Signed: what it adds to the balance."
          amount: Amount!
          orderId: ID!
          returnId: ID
          at: DateTime!
        }

        type PageInfo @shareable {
          hasNextPage: Boolean!
          endCursor: String
        }

        type OrderConnection {
          nodes: [Order!]!
          pageInfo: PageInfo!
        }

        type SellerOrderConnection {
          nodes: [SellerOrder!]!
          pageInfo: PageInfo!
        }

        type PersonalData @key(fields: "userId") {
          userId: ID!
          "What the orders service keeps about the user as a buyer: the cart, every order (shipping address, each shop's part, lines, history) and returns. The user themself and admins only."
          orders: String!
        }

        type User @key(fields: "id") {
          id: ID!
          "The user's orders, newest first. The user themself and admins only. first: 1 to 100."
          orders(first: Int = 20, after: String): OrderConnection!
        }

        type Seller @key(fields: "id") {
          id: ID!
          "The shop's parts of orders, newest first. The seller themself and admins only. first: 1 to 100."
          orders(status: SellerOrderStatus, first: Int = 20, after: String): SellerOrderConnection!
          "Units sold in paid orders, net of cancellations and returns. The seller themself and admins only."
          salesCount: Int!
          "What the marketplace owes the seller, per currency: sales minus commission and refunds. The seller themself and admins only."
          balance: [Amount!]!
          "Ledger entries, newest first. first: 1 to 100; after: the id of the last entry of the previous page."
          ledger(first: Int = 20, after: ID): [LedgerEntry!]!
          "Return requests for the shop's deliveries, newest first. first: 1 to 100."
          returns(status: ReturnStatus, first: Int = 20): [Return!]!
        }

        type Query {
          "The caller's cart (signed-in callers)."
          cart: Cart!
          "The caller's order (admins: any); null when there is none with this id."
          order(id: ID!): Order
          "A seller order, for its seller, its buyer and admins."
          sellerOrder(id: ID!): SellerOrder
          "Every order, newest first: admins only."
          orders(first: Int = 20, after: String): OrderConnection!
        }

        "Served over WebSocket (graphql-transport-ws) at /graphql."
        type Subscription {
          "The order after each status change: its buyer and admins (a seller reads their part with sellerOrder)."
          orderUpdated(id: ID!): Order!
        }

        type Mutation {
          "Adds quantity units (1 to 1,000; at most 1,000 per product in the cart). A product in another currency than the cart's is refused."
          addToCart(productId: ID!, quantity: Int! = 1): Cart!
          "Sets the line's quantity; 0 removes it."
          updateCartLine(productId: ID!, quantity: Int!): Cart!
          removeFromCart(productId: ID!): Cart!
          "Places the cart as one order (split per seller), PENDING until the stock is reserved; empties the cart."
          checkout(input: CheckoutInput!): Order!
          "The buyer, a seller in it or an admin, before anything ships: stock released, payment refunded."
          cancelOrder(id: ID!, reason: String): Order!
          "The seller of a paid part (or an admin) creates its shipment; the carrier's webhooks move it to SHIPPED and DELIVERED."
          shipSellerOrder(id: ID!): SellerOrder!
          "The buyer, within 14 days of a part's delivery: lines of one seller's part; reason 1 to 500 characters."
          requestReturn(orderId: ID!, lines: [ReturnLineInput!]!, reason: String!): Return!
          "The seller (or an admin): refunds the return's amount and restocks the units."
          approveReturn(id: ID!): Return!
          refuseReturn(id: ID!, reason: String!): Return!
        }
        """#
}
