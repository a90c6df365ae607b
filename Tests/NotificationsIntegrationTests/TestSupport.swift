import Contracts
import Database
import EmporiumCore
import EmporiumTesting
import FanOut
import Foundation
import GraphQL
import GraphQLSupport
import Identity
import Logging
import Mail
import Messaging
import NIOCore
@testable import Notifications
import PostgresNIO
import Synchronization

/// Mail kept in memory; it can be told to fail.
final class RecordingMailer: Mailer {
    let sent = Mutex<[MailMessage]>([])
    let failing = Atomic<Bool>(false)

    struct Refused: Error, CustomStringConvertible { var description: String { "550 mailbox unavailable" } }

    func send(_ message: MailMessage) async throws {
        if failing.load(ordering: .relaxed) { throw Refused() }
        sent.withLock { $0.append(message) }
    }

    var messages: [MailMessage] { sent.withLock { $0 } }
}

/// A clock tests can move.
final class TestClock: TimeSource {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A notifications service on its own fresh, migrated database, with an in-process fan-out and
/// a recording mailer.
struct Harness: Sendable {
    let service: NotificationsService
    let client: PostgresClient
    let fanOut: InProcessFanOut
    let mailer: RecordingMailer
    let clock: TestClock
    let logger: Logger

    static func run(_ body: @Sendable (Harness) async throws -> Void) async throws {
        let configuration = try await TestPostgres.shared.freshDatabase(named: "notifications", migrations: [NotificationsService.migrationSet()])
        let logger = Logger(label: "emporium.test.notifications")
        try await withPostgresClient(configuration, logger: logger) { client in
            let fanOut = InProcessFanOut()
            let mailer = RecordingMailer()
            // A minute ahead of the wall clock that stamps events, so mail they queue is due.
            let clock = TestClock(Date().addingTimeInterval(60))
            let service = try NotificationsService(client: client, fanOut: fanOut, mailer: mailer, clock: clock, logger: logger)
            try await body(Harness(service: service, client: client, fanOut: fanOut, mailer: mailer, clock: clock, logger: logger))
        }
    }

    var processor: EventProcessor {
        EventProcessor(configuration: .init(consumer: "notifications", schema: NotificationsService.schemaName), handlers: service.eventHandlers, client: client, logger: logger)
    }

    /// Handles `event` as the bus would; fails the test unless it was handled.
    @discardableResult
    func handle<Event: IntegrationEvent>(_ event: Event) async throws -> EventEnvelope {
        let envelope = try EventEnvelope(event)
        let outcome = try await processor.process(envelope)
        guard outcome == .handled else { throw EmporiumError(.internalError, "\(Event.eventType) was \(outcome)") }
        return envelope
    }

    static func snapshot(_ id: String, seller: String = "seller-1", title: String = "Чайник", amount: Int64 = 1990, version: Int = 1) -> ProductSnapshot {
        ProductSnapshot(
            productId: id, sellerId: seller, title: title, slug: "kettle-\(id.prefix(8))", price: MoneyValue(amount: amount, currency: "EUR"),
            status: "PUBLISHED", categoryId: nil, version: version)
    }

    /// A product the catalog announced.
    func product(seller: String = "seller-1", title: String = "Чайник", amount: Int64 = 1990) async throws -> String {
        let id = UUIDText.lowercase(UUID())
        try await handle(ProductCreated(product: Self.snapshot(id, seller: seller, title: title, amount: amount)))
        return id
    }

    func register(_ user: String, language: String = "ru", email: String? = nil) async throws {
        try await handle(UserRegistered(userId: user, email: email ?? "\(user)@example.com", displayName: user, language: language))
    }

    func graphQL(_ query: String, _ variables: [String: Map] = [:], as principal: Principal? = nil) async -> GraphQLResult {
        await service.endpoint.execute(GraphQLRequest(query: query, variables: variables), info: GraphQLRequestInfo(principal: principal)).result
    }

    func notifications(of user: String) async throws -> [UserNotification] {
        try await PostgresNotificationStore(client: client, logger: logger).notifications(of: UserID(user), unreadOnly: false, before: nil, limit: 100)
    }

    func count(_ sql: String) async throws -> Int {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int.self).collectAll().first ?? 0
    }
}

/// Collects a channel's signals in the background.
final class SignalRecorder: Sendable {
    let signals = Mutex<[LiveSignal]>([])
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(_ fanOut: some FanOut, channel: String) {
        let messages = fanOut.follow(channel)
        let task = Task { [weak self] in
            for await message in messages {
                if let signal = try? LiveSignal(decoding: message) { self?.signals.withLock { $0.append(signal) } }
            }
        }
        self.task.withLock { $0 = task }
    }

    var received: [LiveSignal] { signals.withLock { $0 } }

    func stop() { task.withLock { $0?.cancel() } }
}

func code(_ result: GraphQLResult) -> String? {
    result.errors.first?.extensions["code"]?.string
}
