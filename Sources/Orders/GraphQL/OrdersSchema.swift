import EmporiumCore
import GraphQL
import GraphQLExecution
import GraphQLSupport

/// The orders subgraph: its SDL (``sdl``) and resolvers on our engine.
public enum OrdersSchema {
    public static func build(sdl: String = OrdersSchema.sdl) throws -> ExecutableSchema<OrdersContext> {
        var resolvers = SchemaResolvers<OrdersContext>()
        resolvers.object("Amount", AmountView.self) { type in
            type.field("minorUnits") { String($0.money.amount) }
            type.field("currency") { $0.money.currency.code }
            type.field("formatted") { $0.money.description }
        }
        resolvers.object("Product", ProductReference.self) { type in
            type.field("id") { GraphID($0.id) }
        }
        resolvers.object("CartLine", CartLine.self) { type in
            type.field("productId") { GraphID($0.productID) }
            type.field("product") { ProductReference(id: $0.productID) }
            type.field("quantity") { $0.quantity }
            type.field("unitPrice") { $0.offer.map { AmountView($0.price) } }
            type.field("lineTotal") { $0.lineTotal.map(AmountView.init) }
            type.field("purchasable") { $0.offer?.isBuyable ?? false }
        }
        resolvers.object("Cart", Cart.self) { type in
            type.field("lines") { $0.lines }
            type.field("total") { $0.total.map(AmountView.init) }
            type.field("itemCount") { $0.lines.reduce(0) { $0 + $1.quantity } }
        }
        resolvers.object("ShippingAddress", ShippingAddress.self) { type in
            type.field("name") { $0.name }
            type.field("line1") { $0.line1 }
            type.field("line2") { $0.line2 }
            type.field("city") { $0.city }
            type.field("postalCode") { $0.postalCode }
            type.field("country") { $0.country }
            type.field("phone") { $0.phone }
        }
        resolvers.object("OrderLine", OrderLine.self) { type in
            type.field("productId") { GraphID($0.productID) }
            type.field("product") { ProductReference(id: $0.productID) }
            type.field("sellerId") { GraphID($0.sellerID.rawValue) }
            type.field("title") { $0.title }
            type.field("quantity") { $0.quantity }
            type.field("unitPrice") { AmountView($0.unitPrice) }
            type.field("lineTotal") { AmountView($0.lineTotal) }
        }
        resolvers.object("Shipment", Shipment.self) { type in
            type.field("id") { GraphID($0.id) }
            type.field("trackingNumber") { $0.trackingNumber }
        }
        resolvers.object("Payment", PaymentRecord.self) { type in
            type.field("confirmationUrl") { $0.confirmationURL }
            type.field("deadline") { $0.deadline.map(DateTime.init) }
            type.field("paidAt") { $0.paidAt.map(DateTime.init) }
            type.field("refundedAt") { $0.refundedAt.map(DateTime.init) }
        }
        resolvers.object("OrderStatusChange", OrderStatusChange.self) { type in
            type.field("sellerOrderId") { $0.sellerOrderID.map(GraphID.init) }
            type.field("from") { $0.from }
            type.field("to") { $0.to }
            type.field("reason") { $0.reason }
            type.field("at") { DateTime($0.at) }
        }
        resolvers.object("SellerOrder", SellerOrder.self) { type in
            type.field("id") { GraphID($0.id) }
            type.field("orderId") { GraphID($0.orderID) }
            type.field("sellerId") { GraphID($0.sellerID.rawValue) }
            type.field("buyerId") { GraphID($0.buyerID.rawValue) }
            type.field("status") { SellerOrderStatusValue(rawValue: $0.status.rawValue) }
            type.field("lines") { $0.lines }
            type.field("subtotal") { AmountView($0.subtotal) }
            type.field("shipment") { $0.shipment }
            type.field("shippingAddress") { $0.shippingAddress }
            type.field("createdAt") { DateTime($0.createdAt) }
            type.field("updatedAt") { DateTime($0.updatedAt) }
        }
        resolvers.object("Order", Order.self) { type in
            type.field("id") { GraphID($0.id) }
            type.field("buyerId") { GraphID($0.buyerID.rawValue) }
            type.field("status") { OrderStatusValue(rawValue: $0.status.rawValue) }
            type.field("reason") { $0.reason }
            type.field("total") { AmountView($0.total) }
            type.field("lines") { $0.lines }
            type.field("sellerOrders") { $0.sellerOrders }
            type.field("shippingAddress") { $0.shippingAddress }
            type.field("payment") { $0.payment }
            type.field("history", async: OrdersResolver.history)
            type.field("returns", async: OrdersResolver.orderReturns)
            type.field("createdAt") { DateTime($0.createdAt) }
            type.field("updatedAt") { DateTime($0.updatedAt) }
        }
        resolvers.object("PageInfo", PageInfoView.self) { type in
            type.field("hasNextPage") { $0.hasNextPage }
            type.field("endCursor") { $0.endCursor }
        }
        resolvers.object("OrderConnection", OrderConnection.self) { type in
            type.field("nodes") { $0.nodes }
            type.field("pageInfo") { $0.pageInfo }
        }
        resolvers.object("SellerOrderConnection", SellerOrderConnection.self) { type in
            type.field("nodes") { $0.nodes }
            type.field("pageInfo") { $0.pageInfo }
        }
        resolvers.object("User", UserReference.self) { type in
            type.field("id") { GraphID($0.id.rawValue) }
            type.field("orders", async: OrdersResolver.userOrders)
        }
        resolvers.object("PersonalData", PersonalDataReference.self) { type in
            type.field("userId") { GraphID($0.userID.rawValue) }
            type.field("orders", async: OrdersResolver.personalOrders)
        }
        resolvers.object("Seller", SellerReference.self) { type in
            type.field("id") { GraphID($0.id.rawValue) }
            type.field("orders", async: OrdersResolver.sellerOrders)
            type.field("salesCount", async: OrdersResolver.sellerSalesCount)
            type.field("balance", async: OrdersResolver.sellerBalance)
            type.field("ledger", async: OrdersResolver.sellerLedger)
            type.field("returns", async: OrdersResolver.sellerReturns)
        }
        resolvers.object("ReturnLine", ReturnLine.self) { type in
            type.field("productId") { GraphID($0.productID) }
            type.field("product") { ProductReference(id: $0.productID) }
            type.field("quantity") { $0.quantity }
            type.field("unitPrice") { AmountView($0.unitPrice) }
        }
        resolvers.object("Return", ReturnRequest.self) { type in
            type.field("id") { GraphID($0.id) }
            type.field("orderId") { GraphID($0.orderID) }
            type.field("sellerOrderId") { GraphID($0.sellerOrderID) }
            type.field("sellerId") { GraphID($0.sellerID.rawValue) }
            type.field("status") { ReturnStatusValue(rawValue: $0.status.rawValue) }
            type.field("reason") { $0.reason }
            type.field("decisionNote") { $0.decisionNote }
            type.field("lines") { $0.lines }
            type.field("amount") { AmountView($0.amount) }
            type.field("createdAt") { DateTime($0.createdAt) }
            type.field("decidedAt") { $0.decidedAt.map(DateTime.init) }
        }
        resolvers.object("LedgerEntry", LedgerEntry.self) { type in
            type.field("id") { GraphID(String($0.id)) }
            type.field("kind") { LedgerEntryKindValue(rawValue: $0.kind) }
            type.field("amount") { AmountView($0.amount) }
            type.field("orderId") { GraphID($0.orderID) }
            type.field("returnId") { $0.returnID.map(GraphID.init) }
            type.field("at") { DateTime($0.at) }
        }
        resolvers.query { query in
            query.field("cart", async: OrdersResolver.cart)
            query.field("order", async: OrdersResolver.order)
            query.field("sellerOrder", async: OrdersResolver.sellerOrder)
            query.field("orders", async: OrdersResolver.allOrders)
        }
        resolvers.mutation { mutation in
            mutation.field("addToCart", async: OrdersResolver.addToCart)
            mutation.field("updateCartLine", async: OrdersResolver.updateCartLine)
            mutation.field("removeFromCart", async: OrdersResolver.removeFromCart)
            mutation.field("checkout", async: OrdersResolver.checkout)
            mutation.field("cancelOrder", async: OrdersResolver.cancelOrder)
            mutation.field("shipSellerOrder", async: OrdersResolver.shipSellerOrder)
            mutation.field("requestReturn", async: OrdersResolver.requestReturn)
            mutation.field("approveReturn", async: OrdersResolver.approveReturn)
            mutation.field("refuseReturn", async: OrdersResolver.refuseReturn)
        }
        let federation = Federation<OrdersContext>(entities: [
            "User": OrdersResolver.userEntities, "Seller": OrdersResolver.sellerEntities, "Product": OrdersResolver.productEntities,
            "Order": OrdersResolver.orderEntities, "SellerOrder": OrdersResolver.sellerOrderEntities,
            "PersonalData": { representations, _ in PersonalDataReference.entities(representations) },
        ])
        return try ExecutableSchema(sdl: sdl, federation: federation, resolvers: resolvers)
    }
}

enum OrderStatusValue: String, GraphQLEnum {
    case PENDING, AWAITING_PAYMENT, PAID, PARTIALLY_SHIPPED, SHIPPED, DELIVERED, CANCELLED, REJECTED
}

enum ReturnStatusValue: String, GraphQLEnum {
    case REQUESTED, APPROVED, REFUSED
}

enum LedgerEntryKindValue: String, GraphQLEnum {
    case SALE, COMMISSION, REFUND, COMMISSION_REFUND
}

enum SellerOrderStatusValue: String, GraphQLEnum {
    case PENDING, AWAITING_PAYMENT, PAID, SHIPPED, DELIVERED, CANCELLED, REJECTED
}

struct AmountView: Sendable, GraphQLObject {
    let money: Money
    init(_ money: Money) { self.money = money }
}

struct ProductReference: Sendable, GraphQLObject {
    let id: ProductID
}

struct UserReference: Sendable, GraphQLObject {
    let id: UserID
}

struct SellerReference: Sendable, GraphQLObject {
    let id: UserID
}

struct PageInfoView: Sendable, GraphQLObject {
    let hasNextPage: Bool
    let endCursor: String?
}

struct OrderConnection: Sendable, GraphQLObject {
    let nodes: [Order]
    let pageInfo: PageInfoView
}

struct SellerOrderConnection: Sendable, GraphQLObject {
    let nodes: [SellerOrder]
    let pageInfo: PageInfoView
}

extension CartLine: GraphQLObject {}
extension Cart: GraphQLObject {}
extension ShippingAddress: GraphQLObject {}
extension OrderLine: GraphQLObject {}
extension Shipment: GraphQLObject {}
extension PaymentRecord: GraphQLObject {}
extension OrderStatusChange: GraphQLObject {}
extension Order: GraphQLObject {}
extension SellerOrder: GraphQLObject {}
extension ReturnRequest: GraphQLObject {}
extension ReturnLine: GraphQLObject {}
extension LedgerEntry: GraphQLObject {}
