import EmporiumCore
import Foundation

/// What to tell, in each language a user can choose: the notification's title and body, also
/// the mail's subject and text.
public struct NotificationMessage: Sendable, Equatable {
    public struct Text: Sendable, Equatable {
        public let title: String
        public let body: String
    }

    public let kind: NotificationKind
    public let russian: Text
    public let english: Text
    public let productID: String?
    public let orderID: String?

    /// The product's name as a message quotes it (the catalog's title, or its id when the
    /// product is not known here yet).
    public struct ProductName: Sendable {
        let text: String
        public init(title: String?, id: String) { text = title.map { "«\($0)»" } ?? id }
    }

    public static func lowStock(product: ProductName, productID: String, available: Int, threshold: Int) -> NotificationMessage {
        NotificationMessage(
            kind: .lowStock,
            russian: Text(title: "Заканчивается товар", body: "\(product.text): осталось \(available) шт. (порог \(threshold))."),
            english: Text(title: "Running low", body: "\(product.text): \(available) left (threshold \(threshold))."),
            productID: productID, orderID: nil)
    }

    public static func lowStockCleared(product: ProductName, productID: String, available: Int) -> NotificationMessage {
        NotificationMessage(
            kind: .lowStockCleared,
            russian: Text(title: "Запас пополнен", body: "\(product.text): в наличии \(available) шт."),
            english: Text(title: "Stock restored", body: "\(product.text): \(available) available."),
            productID: productID, orderID: nil)
    }

    public static func backInStock(product: ProductName, productID: String) -> NotificationMessage {
        NotificationMessage(
            kind: .backInStock,
            russian: Text(title: "Снова в продаже", body: "\(product.text) снова можно купить."),
            english: Text(title: "Back in stock", body: "\(product.text) can be bought again."),
            productID: productID, orderID: nil)
    }

    public static func priceDrop(product: ProductName, productID: String, from old: Money, to new: Money) -> NotificationMessage {
        NotificationMessage(
            kind: .priceDrop,
            russian: Text(title: "Цена снижена", body: "\(product.text): \(new) вместо \(old)."),
            english: Text(title: "Price drop", body: "\(product.text): now \(new), was \(old)."),
            productID: productID, orderID: nil)
    }

    public static func newOrder(orderID: String, units: Int) -> NotificationMessage {
        NotificationMessage(
            kind: .newOrder,
            russian: Text(title: "Новый заказ", body: "Заказ \(orderID): \(units) шт. ваших товаров."),
            english: Text(title: "New order", body: "Order \(orderID): \(units) units of your products."),
            productID: nil, orderID: orderID)
    }

    public static func exportReady(exportID: String, format: String, rows: Int) -> NotificationMessage {
        NotificationMessage(
            kind: .exportReady,
            russian: Text(title: "Выгрузка готова", body: "Выгрузка товаров \(exportID) (\(format.uppercased())): \(rows) строк. Ссылка для скачивания — в exportJob."),
            english: Text(title: "Export ready", body: "Product export \(exportID) (\(format.uppercased())): \(rows) rows. The download link is on exportJob."),
            productID: nil, orderID: nil)
    }

    public static func orderStatus(orderID: String, status: String, reason: String?) -> NotificationMessage {
        let russianStatus = Self.russianStatus[status] ?? status
        let why = reason.map { ": \($0)" } ?? ""
        return NotificationMessage(
            kind: .orderStatus,
            russian: Text(title: "Заказ \(russianStatus.lowercased())", body: "Заказ \(orderID): \(russianStatus.lowercased())\(why)."),
            english: Text(title: "Order \(status.lowercased().replacingOccurrences(of: "_", with: " "))",
                          body: "Order \(orderID) is now \(status.lowercased().replacingOccurrences(of: "_", with: " "))\(why)."),
            productID: nil, orderID: orderID)
    }

    /// Order statuses as the Orders issue names them, in Russian.
    static let russianStatus: [String: String] = [
        "PENDING": "Оформлен", "AWAITING_PAYMENT": "Ожидает оплаты", "PAID": "Оплачен", "REJECTED": "Отклонён",
        "SHIPPED": "Отправлен", "PARTIALLY_SHIPPED": "Частично отправлен", "DELIVERED": "Доставлен", "CANCELLED": "Отменён",
        "REFUNDED": "Возвращён",
    ]
}
