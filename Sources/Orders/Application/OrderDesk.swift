import Contracts
import Crypto
import Database
import EmporiumCore
import Foundation
import Identity
import Logging
import Messaging
import PostgresNIO

/// The orders' use cases: the cart, checkout, reading orders, cancelling and shipping, with who
/// may do what. Everything a client sends is checked here before it reaches a statement.
public struct OrderDesk: Sendable {
    let client: PostgresClient
    let workflow: OrderWorkflow
    let clock: any TimeSource
    let logger: Logger

    public init(client: PostgresClient, workflow: OrderWorkflow, clock: any TimeSource = SystemTimeSource(), logger: Logger) {
        self.client = client
        self.workflow = workflow
        self.clock = clock
        self.logger = logger
    }

    // MARK: Personal data

    /// Everything kept about `buyer` as a buyer, as JSON (the caller checked who may read it).
    public func personalData(of buyer: UserID) async throws -> String {
        let logger = logger
        return try await client.withConnection { try await PersonalDataSQL.document(of: buyer, on: $0, logger: logger) }
    }

    // MARK: Cart

    public func cart(viewer: Principal?) async throws -> Cart {
        let buyer = try Permissions.requireAuthenticated(viewer).userID
        let logger = logger
        return try await client.withConnection { try await CartSQL.cart(buyer, on: $0, logger: logger) }
    }

    /// Adds `quantity` units (to what the cart holds already).
    public func add(product: ProductID, quantity: Int, viewer: Principal?) async throws -> Cart {
        let quantity = try OrderRules.quantity(quantity)
        return try await editCart(product: product, viewer: viewer) { current in current + quantity }
    }

    /// Sets the line's quantity; 0 removes it.
    public func update(product: ProductID, quantity: Int, viewer: Principal?) async throws -> Cart {
        guard quantity != 0 else { return try await remove(product: product, viewer: viewer) }
        let quantity = try OrderRules.quantity(quantity)
        return try await editCart(product: product, viewer: viewer) { _ in quantity }
    }

    public func remove(product: ProductID, viewer: Principal?) async throws -> Cart {
        let buyer = try Permissions.requireAuthenticated(viewer).userID
        let logger = logger
        return try await client.transaction(logger: logger) { connection in
            try await CartSQL.remove(buyer, product: product, on: connection, logger: logger)
            return try await CartSQL.cart(buyer, on: connection, logger: logger)
        }
    }

    private func editCart(product: ProductID, viewer: Principal?, quantity: @escaping @Sendable (Int) -> Int) async throws -> Cart {
        let buyer = try Permissions.requireAuthenticated(viewer).userID
        let logger = logger
        let now = clock.now()
        return try await client.transaction(logger: logger) { connection in
            let cart = try await CartSQL.cart(buyer, lock: true, on: connection, logger: logger)
            guard let offer = try await ProductProjection.offers([product], on: connection, logger: logger)[product], offer.isBuyable else {
                throw EmporiumError.notFound("no product for sale with id \(product)")
            }
            if let currency = cart.lines.first(where: { $0.productID != product })?.offer?.price.currency, currency != offer.price.currency {
                throw EmporiumError.badInput(
                    "the cart is in \(currency.code) and this product is priced in \(offer.price.currency.code); one order is paid in one currency",
                    field: "productId")
            }
            let existing = cart.lines.first { $0.productID == product }
            if existing == nil, cart.lines.count >= OrderRules.maximumCartLines {
                throw EmporiumError.badInput("a cart holds at most \(OrderRules.maximumCartLines) products", field: "productId")
            }
            let wanted = quantity(existing?.quantity ?? 0)
            guard wanted <= OrderRules.maximumQuantity else {
                throw EmporiumError.badInput("at most \(OrderRules.maximumQuantity) units of one product per order (the cart would hold \(wanted))", field: "quantity")
            }
            try await CartSQL.set(buyer, product: product, quantity: wanted, at: existing?.addedAt ?? now, on: connection, logger: logger)
            return try await CartSQL.cart(buyer, on: connection, logger: logger)
        }
    }

    // MARK: Checkout

    /// Turns the cart into a `PENDING` order at the projection's prices, split per seller, and
    /// empties the cart — one transaction with the `OrderPlaced` event. The same idempotency key
    /// answers the same order (a double click is one order); with another cart it is refused.
    public func checkout(address: ShippingAddress, idempotencyKey: String, viewer: Principal?) async throws -> Order {
        let buyer = try Permissions.requireAuthenticated(viewer).userID
        let address = try OrderRules.address(address)
        let key = try OrderRules.idempotencyKey(idempotencyKey)
        let logger = logger
        let now = OrderWorkflow.milliseconds(clock.now())
        do {
            return try await client.transaction(logger: logger) { connection in
                let cart = try await CartSQL.cart(buyer, lock: true, on: connection, logger: logger)
                let fingerprint = Self.fingerprint(cart)
                if let (existing, stored) = try await OrderSQL.order(buyer: buyer, idempotencyKey: key, on: connection, logger: logger) {
                    guard cart.lines.isEmpty || stored == fingerprint else {
                        throw EmporiumError(.conflict, "idempotency key '\(key)' was used for order \(existing.id) with another cart; use a new key for a new order")
                    }
                    return existing
                }
                let order = try Self.order(from: cart, address: address, at: now)
                try await OrderSQL.insert(order, idempotencyKey: key, fingerprint: fingerprint, on: connection, logger: logger)
                try await CartSQL.clear(buyer, on: connection, logger: logger)
                let lines = order.lines.map(OrderWorkflow.value)
                let placed = OrderPlaced(
                    orderId: order.id.description, buyerId: buyer.rawValue, lines: lines,
                    total: MoneyValue(amount: order.total.amount, currency: order.total.currency.code))
                let status = OrderStatusChanged(
                    orderId: order.id.description, sellerOrderId: nil, buyerId: buyer.rawValue, sellerIds: order.sellerIDs.map(\.rawValue), lines: lines,
                    from: nil, to: OrderStatus.pending.rawValue, reason: nil, occurredAt: now)
                try await OrderWorkflow.outbox.append([
                    try EventEnvelope(placed, occurredAt: now, correlationID: order.id.description),
                    try EventEnvelope(status, occurredAt: now, correlationID: order.id.description),
                ], on: connection, logger: logger)
                return order
            }
        } catch where PostgresErrors.sqlState(of: error) == PostgresErrors.uniqueViolation {
            // Two checkouts with one key raced; the first one's order is the answer.
            return try await client.withConnection { connection in
                guard let (existing, _) = try await OrderSQL.order(buyer: buyer, idempotencyKey: key, on: connection, logger: logger) else { throw error }
                return existing
            }
        }
    }

    static func order(from cart: Cart, address: ShippingAddress, at now: Date) throws -> Order {
        guard !cart.lines.isEmpty else { throw EmporiumError.badInput("the cart is empty; add products before checking out", field: "cart") }
        var offers: [ProductOffer] = []
        for line in cart.lines {
            guard let offer = line.offer, offer.isBuyable else {
                throw EmporiumError.badInput("product \(line.productID) is no longer for sale; remove it from the cart", field: "cart")
            }
            offers.append(offer)
        }
        let currency = offers[0].price.currency
        guard offers.allSatisfy({ $0.price.currency == currency }) else {
            throw EmporiumError.badInput("the cart's products are now priced in different currencies; remove the ones not in \(currency.code)", field: "cart")
        }
        let orderID = OrderID()
        let sellers = Array(Set(offers.map(\.sellerID.rawValue))).sorted()
        let partIDs = Dictionary(uniqueKeysWithValues: sellers.map { ($0, SellerOrderID()) })
        let lines = zip(cart.lines, offers).map { line, offer in
            OrderLine(
                productID: line.productID, sellerID: offer.sellerID, sellerOrderID: partIDs[offer.sellerID.rawValue]!, title: offer.title,
                quantity: line.quantity, unitPrice: offer.price)
        }
        let parts = sellers.map { seller in
            let own = lines.filter { $0.sellerID.rawValue == seller }
            return SellerOrder(
                id: partIDs[seller]!, orderID: orderID, sellerID: UserID(seller), buyerID: cart.buyerID, status: .pending,
                subtotal: Money(amount: own.map(\.lineTotal.amount).reduce(0, +), currency: currency), shipment: nil, shippingAddress: address, createdAt: now, updatedAt: now,
                lines: own)
        }
        return Order(
            id: orderID, buyerID: cart.buyerID, status: .pending, total: Money(amount: lines.map(\.lineTotal.amount).reduce(0, +), currency: currency),
            shippingAddress: address, lines: lines, sellerOrders: parts, payment: PaymentRecord(), reason: nil, createdAt: now, updatedAt: now)
    }

    /// The cart's products and quantities, order-independent.
    static func fingerprint(_ cart: Cart) -> String {
        let text = cart.lines.map { "\($0.productID):\($0.quantity)" }.sorted().joined(separator: ",")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Reading

    /// The buyer's own order (admins: any); a seller reads their part through ``sellerOrder``.
    public func order(id: OrderID, viewer: Principal?) async throws -> Order? {
        let caller = try Permissions.requireAuthenticated(viewer)
        let logger = logger
        guard let order = try await client.withConnection({ try await OrderSQL.orders(ids: [id.uuid], on: $0, logger: logger) }).first else { return nil }
        guard caller.isAdmin || order.buyerID == caller.userID else {
            throw EmporiumError(.forbidden, "order \(id) is another buyer's")
        }
        return order
    }

    public func sellerOrder(id: SellerOrderID, viewer: Principal?) async throws -> SellerOrder? {
        let caller = try Permissions.requireAuthenticated(viewer)
        let logger = logger
        guard let part = try await client.withConnection({ try await OrderSQL.sellerOrders(ids: [id.uuid], on: $0, logger: logger) }).first else { return nil }
        guard caller.isAdmin || part.sellerID == caller.userID || part.buyerID == caller.userID else {
            throw EmporiumError(.forbidden, "seller order \(id) is another seller's")
        }
        return part
    }

    public func history(of id: OrderID) async throws -> [OrderStatusChange] {
        let logger = logger
        return try await client.withConnection { try await OrderSQL.history(id, on: $0, logger: logger) }
    }

    public struct Page<Item: Sendable>: Sendable {
        public let items: [Item]
        public let endCursor: String?
        public let hasNextPage: Bool
    }

    /// A buyer's orders (themself or admins); all orders for admins when `buyer` is nil.
    public func orders(buyer: UserID?, first: Int, after: String?, viewer: Principal?) async throws -> Page<Order> {
        let caller = try Permissions.requireAuthenticated(viewer)
        guard caller.isAdmin || (buyer != nil && buyer == caller.userID) else {
            throw EmporiumError(.forbidden, buyer == nil ? "only admins list every order" : "these are another buyer's orders")
        }
        let (limit, keyset) = try Self.paging(first: first, after: after)
        let logger = logger
        return try await client.withConnection { connection in
            let rows = try await OrderSQL.page(buyer: buyer, seller: nil, sellerStatus: nil, after: keyset, limit: limit + 1, on: connection, logger: logger)
            let orders = try await OrderSQL.orders(ids: rows.prefix(limit).map(\.0), on: connection, logger: logger)
            return Page(items: orders, endCursor: rows.prefix(limit).last.map(Self.cursor), hasNextPage: rows.count > limit)
        }
    }

    public func sellerOrders(seller: UserID, status: SellerOrderStatus?, first: Int, after: String?, viewer: Principal?) async throws -> Page<SellerOrder> {
        let caller = try Permissions.requireAuthenticated(viewer)
        guard caller.isAdmin || seller == caller.userID else { throw EmporiumError(.forbidden, "these are another seller's orders") }
        let (limit, keyset) = try Self.paging(first: first, after: after)
        let logger = logger
        return try await client.withConnection { connection in
            let rows = try await OrderSQL.page(buyer: nil, seller: seller, sellerStatus: status, after: keyset, limit: limit + 1, on: connection, logger: logger)
            let parts = try await OrderSQL.sellerOrders(ids: rows.prefix(limit).map(\.0), on: connection, logger: logger)
            return Page(items: parts, endCursor: rows.prefix(limit).last.map(Self.cursor), hasNextPage: rows.count > limit)
        }
    }

    static func paging(first: Int, after: String?) throws -> (Int, (Date, UUID)?) {
        guard (1...100).contains(first) else { throw EmporiumError.badInput("first must be 1 to 100 (got \(first))", field: "first") }
        guard let after else { return (first, nil) }
        let cursor = try Cursor(decoding: after)
        guard cursor.values.count == 2, let millis = Int64(cursor.values[0]), let id = UUID(uuidString: cursor.values[1]) else {
            throw EmporiumError.badInput("'\(after.prefix(64))' is not a cursor of this list; pass back endCursor", field: "after")
        }
        return (first, (Date(timeIntervalSince1970: Double(millis) / 1000), id))
    }

    static func cursor(_ row: (UUID, Date)) -> String {
        Cursor([String(Int64((row.1.timeIntervalSince1970 * 1000).rounded(.down))), UUIDText.lowercase(row.0)]).encoded
    }

    // MARK: Sellers' books

    /// Balance per currency and units sold (net of refunds): the seller themself and admins.
    public func account(of seller: UserID, viewer: Principal?) async throws -> (balances: [Money], units: Int64) {
        let caller = try Permissions.requireAuthenticated(viewer)
        guard caller.isAdmin || caller.userID == seller else { throw EmporiumError(.forbidden, "this is another seller's account") }
        let logger = logger
        return try await client.withConnection { try await LedgerSQL.balances(seller, on: $0, logger: logger) }
    }

    /// Ledger entries, newest first; `after` is the last entry id of the previous page.
    public func ledger(of seller: UserID, first: Int, after: String?, viewer: Principal?) async throws -> [LedgerEntry] {
        let caller = try Permissions.requireAuthenticated(viewer)
        guard caller.isAdmin || caller.userID == seller else { throw EmporiumError(.forbidden, "this is another seller's ledger") }
        guard (1...100).contains(first) else { throw EmporiumError.badInput("first must be 1 to 100 (got \(first))", field: "first") }
        let before = try after.map { text in
            guard let id = Int64(text), id > 0 else { throw EmporiumError.badInput("after is an entry id from a previous page", field: "after") }
            return id
        }
        let logger = logger
        return try await client.withConnection { try await LedgerSQL.entries(seller, before: before, limit: first, on: $0, logger: logger) }
    }

    // MARK: Commands

    /// The buyer, a seller with a part in it, or an admin cancels the whole order: before
    /// shipping only; stock is released and a captured payment refunded.
    public func cancel(id: OrderID, reason: String?, viewer: Principal?) async throws -> Order {
        let caller = try Permissions.requireAuthenticated(viewer)
        let reason = try OrderRules.reason(reason)
        let logger = logger
        let workflow = workflow
        return try await client.transaction(logger: logger) { connection in
            guard let order = try await OrderSQL.lock(id, on: connection, logger: logger) else { throw EmporiumError.notFound("no order with id \(id)") }
            let actor: OrderInput.Actor
            if order.buyerID == caller.userID { actor = .buyer }
            else if caller.isAdmin { actor = .admin }
            else if order.sellerIDs.contains(caller.userID) { actor = .seller }
            else { throw EmporiumError(.forbidden, "order \(id) is another buyer's") }
            let said = reason.map { ": \($0)" } ?? ""
            let why = switch actor {
            case .buyer: "cancelled by the buyer\(said)"
            case .seller: "cancelled by a seller\(said)"
            case .admin: "cancelled by an admin\(said)"
            }
            return try await workflow.apply(.cancel(by: actor, reason: reason), to: id, reason: why, on: connection, logger: logger)
        }
    }

    /// The seller (or an admin) creates the shipment of a paid seller order.
    public func ship(sellerOrder id: SellerOrderID, viewer: Principal?) async throws -> SellerOrder {
        let caller = try Permissions.requireAuthenticated(viewer)
        let logger = logger
        let workflow = workflow
        return try await client.transaction(logger: logger) { connection in
            let owner = try await connection.query("SELECT order_id, seller_id FROM orders.seller_orders WHERE id = \(id.uuid)", logger: logger)
                .decode((UUID, String).self).collectAll().first
            guard let owner else { throw EmporiumError.notFound("no seller order with id \(id)") }
            guard caller.isAdmin || owner.1 == caller.userID.rawValue else { throw EmporiumError(.forbidden, "seller order \(id) is another seller's") }
            let order = try await workflow.apply(.shipmentCreated(sellerOrder: id), to: OrderID(uuid: owner.0), on: connection, logger: logger)
            guard let part = order.sellerOrders.first(where: { $0.id == id }) else { throw EmporiumError.notFound("no seller order with id \(id)") }
            return part
        }
    }
}
