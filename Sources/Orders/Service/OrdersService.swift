import Database
import EmporiumCore
import Foundation
import GraphQLSupport
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// Wires the orders: the providers (sandbox ones unless others are given), the workflow the saga
/// and the commands share, the use cases, the event handlers, the webhooks and the background
/// loops (payment deadlines, the sandbox's webhook sender).
public struct OrdersService: Sendable {
    public static let schemaName = "orders"

    public let desk: OrderDesk
    public let returns: ReturnDesk
    public let workflow: OrderWorkflow
    public let webhooks: OrderWebhooks
    public let endpoint: SchemaEndpoint<OrdersContext>
    public let eventHandlers: EventHandlers
    public let deadlines: PaymentDeadlines
    public let sandboxPayments: SandboxPaymentProvider
    public let sandboxDelivery: SandboxDeliveryProvider
    public let sandboxSender: SandboxWebhookSender
    public let routes: [ServiceRoute]

    public static var migrationsDirectory: URL {
        Bundle.module.url(forResource: "Migrations", withExtension: nil)!
    }

    /// Its own migrations plus the messaging tables (outbox, inbox, dead letters).
    public static func migrationSet() throws -> MigrationSet {
        let own = try MigrationSet.load(schema: schemaName, directory: migrationsDirectory)
        return try MigrationSet(schema: schemaName, migrations: own.migrations + [MessagingSchema.migration()])
    }

    /// The topics its handlers consume, without building them.
    public static var consumedTopics: [String] {
        EventHandlersCatalog.topics
    }

    public init(
        client: PostgresClient, webhookSecret: String, paymentTimeout: Duration = .seconds(15 * 60), commissionPercent: Int = 10, sandboxBaseURL: String = "",
        clock: any TimeSource = SystemTimeSource(), deadlineInterval: Duration = .seconds(1), logger: Logger
    ) throws {
        let signature = WebhookSignature(secret: webhookSecret)
        let sender = SandboxWebhookSender(client: client, signature: signature, logger: logger)
        let payments = SandboxPaymentProvider(client: client, sender: sender, baseURL: sandboxBaseURL, logger: logger)
        let delivery = SandboxDeliveryProvider(client: client, sender: sender, logger: logger)
        let workflow = OrderWorkflow(payments: payments, delivery: delivery, paymentTimeout: paymentTimeout, clock: clock)
        let desk = OrderDesk(client: client, workflow: workflow, clock: clock, logger: logger)
        let webhooks = OrderWebhooks(client: client, workflow: workflow, signature: signature, logger: logger)
        // The sandbox hands its webhooks to the receivers the HTTP routes run: same bytes, same checks.
        sender.deliver { target, body, header in
            do {
                switch target {
                case .payments: try await webhooks.receivePayment(body: body, signature: header)
                case .delivery: try await webhooks.receiveDelivery(body: body, signature: header)
                }
                return true
            } catch let error as EmporiumError where error == OrderWebhooks.replayed {
                return true
            } catch {
                logger.warning("sandbox webhook not accepted", metadata: ["webhook.target": "\(target.rawValue)", "error": "\(error)"])
                return false
            }
        }
        self.desk = desk
        let returns = ReturnDesk(client: client, payments: payments, clock: clock, logger: logger)
        self.returns = returns
        self.workflow = workflow
        self.webhooks = webhooks
        sandboxPayments = payments
        sandboxDelivery = delivery
        sandboxSender = sender
        eventHandlers = OrderEventHandlers.make(workflow: workflow, ledger: SellerLedger(commissionPercent: commissionPercent))
        deadlines = PaymentDeadlines(client: client, workflow: workflow, clock: clock, interval: deadlineInterval, logger: logger)
        endpoint = SchemaEndpoint(schema: try OrdersSchema.build(), logger: logger) { info in
            OrdersContext(principal: info.principal, desk: desk, returns: returns)
        }
        routes = OrderRoutes.webhooks(webhooks) + OrderRoutes.sandbox(payments: payments, delivery: delivery)
    }
}

/// The consumed topics, from the handlers themselves (built with inert providers).
private enum EventHandlersCatalog {
    struct Inert: PaymentProvider, DeliveryProvider {
        func createPayment(_: PaymentRequest) async throws -> PaymentIntent { throw EmporiumError(.internalError, "inert") }
        func refund(paymentID _: String, amount _: Money, idempotencyKey _: String) async throws -> String { throw EmporiumError(.internalError, "inert") }
        func createShipment(sellerOrder _: SellerOrderID, address _: ShippingAddress, idempotencyKey _: String) async throws -> Shipment {
            throw EmporiumError(.internalError, "inert")
        }
    }

    static var topics: [String] {
        OrderEventHandlers.make(workflow: OrderWorkflow(payments: Inert(), delivery: Inert(), paymentTimeout: .seconds(1)), ledger: SellerLedger(commissionPercent: 0)).topics
    }
}
