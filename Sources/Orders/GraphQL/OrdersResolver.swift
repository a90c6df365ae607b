import EmporiumCore
import GraphQL
import GraphQLExecution
import GraphQLSupport

/// Fields of the orders subgraph: arguments into ``OrderDesk``, errors left as `EmporiumError`
/// for the edge to map.
enum OrdersResolver {
    // MARK: Queries

    @Sendable static func cart(_: RootValue, arguments _: FieldArguments, context: OrdersContext) async throws -> Cart {
        try await context.desk.cart(viewer: context.principal)
    }

    @Sendable static func order(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> Order? {
        try await context.desk.order(id: try OrderID(parsing: try arguments.requiredString("id"), field: "id"), viewer: context.principal)
    }

    @Sendable static func sellerOrder(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> SellerOrder? {
        try await context.desk.sellerOrder(id: try SellerOrderID(parsing: try arguments.requiredString("id"), field: "id"), viewer: context.principal)
    }

    @Sendable static func allOrders(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> OrderConnection {
        let page = try await context.desk.orders(buyer: nil, first: arguments.int("first") ?? 20, after: arguments.string("after"), viewer: context.principal)
        return OrderConnection(nodes: page.items, pageInfo: PageInfoView(hasNextPage: page.hasNextPage, endCursor: page.endCursor))
    }

    @Sendable static func userOrders(_ user: UserReference, arguments: FieldArguments, context: OrdersContext) async throws -> OrderConnection {
        let page = try await context.desk.orders(buyer: user.id, first: arguments.int("first") ?? 20, after: arguments.string("after"), viewer: context.principal)
        return OrderConnection(nodes: page.items, pageInfo: PageInfoView(hasNextPage: page.hasNextPage, endCursor: page.endCursor))
    }

    @Sendable static func sellerOrders(_ seller: SellerReference, arguments: FieldArguments, context: OrdersContext) async throws -> SellerOrderConnection {
        let status = try arguments.string("status").map { raw in
            guard let status = SellerOrderStatus(rawValue: raw) else { throw EmporiumError.badInput("unknown status \(raw.prefix(32))", field: "status") }
            return status
        }
        let page = try await context.desk.sellerOrders(
            seller: seller.id, status: status, first: arguments.int("first") ?? 20, after: arguments.string("after"), viewer: context.principal)
        return SellerOrderConnection(nodes: page.items, pageInfo: PageInfoView(hasNextPage: page.hasNextPage, endCursor: page.endCursor))
    }

    @Sendable static func history(_ order: Order, arguments _: FieldArguments, context: OrdersContext) async throws -> [OrderStatusChange] {
        try await context.desk.history(of: order.id)
    }

    // MARK: Mutations

    @Sendable static func addToCart(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> Cart {
        try await context.desk.add(product: try productID(arguments), quantity: arguments.int("quantity") ?? 1, viewer: context.principal)
    }

    @Sendable static func updateCartLine(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> Cart {
        try await context.desk.update(product: try productID(arguments), quantity: try arguments.requiredInt("quantity"), viewer: context.principal)
    }

    @Sendable static func removeFromCart(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> Cart {
        try await context.desk.remove(product: try productID(arguments), viewer: context.principal)
    }

    @Sendable static func checkout(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> Order {
        guard let input = try arguments.decode(CheckoutInput.self, "input") else { throw FieldArgumentError(argument: "input") }
        return try await context.desk.checkout(address: input.shippingAddress, idempotencyKey: input.idempotencyKey, viewer: context.principal)
    }

    @Sendable static func cancelOrder(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> Order {
        try await context.desk.cancel(
            id: try OrderID(parsing: try arguments.requiredString("id"), field: "id"), reason: arguments.string("reason"), viewer: context.principal)
    }

    @Sendable static func shipSellerOrder(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> SellerOrder {
        try await context.desk.ship(sellerOrder: try SellerOrderID(parsing: try arguments.requiredString("id"), field: "id"), viewer: context.principal)
    }

    // MARK: Returns and sellers' books

    @Sendable static func orderReturns(_ order: Order, arguments _: FieldArguments, context: OrdersContext) async throws -> [ReturnRequest] {
        try await context.returns.returns(order: order.id)
    }

    @Sendable static func sellerReturns(_ seller: SellerReference, arguments: FieldArguments, context: OrdersContext) async throws -> [ReturnRequest] {
        let status = try arguments.string("status").map { raw in
            guard let status = ReturnStatus(rawValue: raw) else { throw EmporiumError.badInput("unknown status \(raw.prefix(32))", field: "status") }
            return status
        }
        return try await context.returns.returns(seller: seller.id, status: status, first: arguments.int("first") ?? 20, viewer: context.principal)
    }

    @Sendable static func sellerSalesCount(_ seller: SellerReference, arguments _: FieldArguments, context: OrdersContext) async throws -> Int {
        Int(clamping: min(try await context.desk.account(of: seller.id, viewer: context.principal).units, Int64(Int32.max)))
    }

    @Sendable static func sellerBalance(_ seller: SellerReference, arguments _: FieldArguments, context: OrdersContext) async throws -> [AmountView] {
        try await context.desk.account(of: seller.id, viewer: context.principal).balances.map(AmountView.init)
    }

    @Sendable static func sellerLedger(_ seller: SellerReference, arguments: FieldArguments, context: OrdersContext) async throws -> [LedgerEntry] {
        try await context.desk.ledger(of: seller.id, first: arguments.int("first") ?? 20, after: arguments.string("after"), viewer: context.principal)
    }

    @Sendable static func requestReturn(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> ReturnRequest {
        guard let lines = try arguments.decode([ReturnLineInput].self, "lines") else { throw FieldArgumentError(argument: "lines") }
        let requested = try lines.enumerated().map { index, line in
            (try ProductID(parsing: line.productId, field: "lines[\(index)].productId"), line.quantity)
        }
        return try await context.returns.request(
            order: try OrderID(parsing: try arguments.requiredString("orderId"), field: "orderId"), lines: requested,
            reason: try arguments.requiredString("reason"), viewer: context.principal)
    }

    @Sendable static func approveReturn(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> ReturnRequest {
        try await context.returns.approve(try ReturnID(parsing: try arguments.requiredString("id"), field: "id"), viewer: context.principal)
    }

    @Sendable static func refuseReturn(_: RootValue, arguments: FieldArguments, context: OrdersContext) async throws -> ReturnRequest {
        try await context.returns.refuse(
            try ReturnID(parsing: try arguments.requiredString("id"), field: "id"), note: try arguments.requiredString("reason"), viewer: context.principal)
    }

    // MARK: Federation

    @Sendable static func personalOrders(_ reference: PersonalDataReference, arguments _: FieldArguments, context: OrdersContext) async throws -> String {
        try reference.authorize(context.principal)
        return try await context.desk.personalData(of: reference.userID)
    }

    @Sendable static func userEntities(_ representations: [Map], context _: OrdersContext) async throws -> [OutputValue] {
        representations.map { $0["id"].string.map { UserReference(id: UserID($0)) }.outputValue }
    }

    @Sendable static func sellerEntities(_ representations: [Map], context _: OrdersContext) async throws -> [OutputValue] {
        representations.map { $0["id"].string.map { SellerReference(id: UserID($0)) }.outputValue }
    }

    @Sendable static func productEntities(_ representations: [Map], context _: OrdersContext) async throws -> [OutputValue] {
        representations.map { $0["id"].string.flatMap { try? ProductID(parsing: $0) }.map(ProductReference.init(id:)).outputValue }
    }

    /// Orders the caller may read; others (and malformed ids) are null.
    @Sendable static func orderEntities(_ representations: [Map], context: OrdersContext) async throws -> [OutputValue] {
        var values: [OutputValue] = []
        for representation in representations {
            let id = representation["id"].string.flatMap { try? OrderID(parsing: $0) }
            let order = try? await id.asyncMap { try await context.desk.order(id: $0, viewer: context.principal) }
            values.append((order ?? nil).outputValue)
        }
        return values
    }

    @Sendable static func sellerOrderEntities(_ representations: [Map], context: OrdersContext) async throws -> [OutputValue] {
        var values: [OutputValue] = []
        for representation in representations {
            let id = representation["id"].string.flatMap { try? SellerOrderID(parsing: $0) }
            let part = try? await id.asyncMap { try await context.desk.sellerOrder(id: $0, viewer: context.principal) }
            values.append((part ?? nil).outputValue)
        }
        return values
    }

    private static func productID(_ arguments: FieldArguments) throws -> ProductID {
        try ProductID(parsing: try arguments.requiredString("productId"), field: "productId")
    }
}

struct ReturnLineInput: Decodable, Sendable {
    let productId: String
    let quantity: Int
}

struct CheckoutInput: Decodable, Sendable {
    let shippingAddress: ShippingAddress
    let idempotencyKey: String
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
