// notifications-bench: a price drop watched by N users (docs/BENCHMARKS.md, #16), against a
// private PostgreSQL cluster. The PriceChanged event goes through the same EventProcessor and
// handler as in production; its notifications (one INSERT … SELECT) and mail rows commit in the
// consumer's transaction, then one live signal per watcher goes to the in-process fan-out.
// Ceilings, same cluster, same run: PostgreSQL inserting N rows of the same shape from
// generate_series into a table without indexes, and into one with the notifications table's
// indexes (what any design must maintain), nothing else.
//   notifications-bench [--watchers 100000] [--runs 3]
import Contracts
import Database
import EmporiumCore
import FanOut
import Foundation
import Logging
import Mail
import Messaging
import Notifications
import PostgresNIO

let arguments = CommandLine.arguments.dropFirst()
func option(_ name: String, default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), arguments.index(after: index) < arguments.endIndex,
          let parsed = Int(arguments[arguments.index(after: index)]) else { return value }
    return parsed
}
let watchers = option("--watchers", default: 100_000)
let runs = option("--runs", default: 3)
guard (1...2_000_000).contains(watchers), (1...20).contains(runs) else { print("--watchers 1…2000000, --runs 1…20"); exit(2) }

var logger = Logger(label: "notifications-bench")
logger.logLevel = .warning

/// Mail is not what is measured.
struct DiscardingMailer: Mailer { func send(_: MailMessage) async throws {} }

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-notifications-bench-\(UUID())").path
let cluster = PostgresCluster(directory: directory, forTesting: true, removeOnExit: true, logger: logger)
let endpoint = try await cluster.start()
_ = try await cluster.createDatabase("bench")
var configuration = endpoint.clientConfiguration(database: "bench")
configuration.options.maximumConnections = 8
let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
let runner = Task { await client.run() }
try await Task.sleep(for: .milliseconds(100))

_ = try await Migrator(client: client, logger: logger).migrate([NotificationsService.migrationSet()])
let fanOut = InProcessFanOut()
// --no-signals: the database's part alone (no live signal is published).
let signals = !arguments.contains("--no-signals")
let service = try NotificationsService(client: client, fanOut: signals ? fanOut : nil, mailer: DiscardingMailer(), logger: logger)
let processor = EventProcessor(
    configuration: .init(consumer: "notifications", schema: NotificationsService.schemaName), handlers: service.eventHandlers, client: client, logger: logger)

// A follower of one watcher's channel: the signals really go out (and are counted).
let product = UUIDText.lowercase(UUID())
try await processor.process(EventEnvelope(ProductCreated(product: ProductSnapshot(
    productId: product, sellerId: "seller-1", title: "Смартфон Галактика S24", slug: "smartfon", price: MoneyValue(amount: 100_000_000, currency: "RUB"),
    status: "PUBLISHED", categoryId: nil, version: 1))))
try await client.query("""
    INSERT INTO notifications.watches (product_id, kind, user_id, created_at)
    SELECT \(product), 'PRICE_DROP', 'user-' || g, now() FROM generate_series(1, \(watchers)) g
    """, logger: logger)
try await client.query("VACUUM ANALYZE notifications.watches", logger: logger)
try await client.query("CREATE TABLE public.raw_rows (LIKE notifications.notifications)", logger: logger)
try await client.query("CREATE TABLE public.indexed_rows (LIKE notifications.notifications INCLUDING ALL)", logger: logger)

print("price drop watched by \(watchers) users, \(runs) runs (machine: \(ProcessInfo.processInfo.activeProcessorCount) cores)")
var ours: [Double] = []
var ceilings: [Double] = []
var rawCeilings: [Double] = []
for run in 1...runs {
    let price = Int64(100_000_000 - run * 1000)
    let started = ContinuousClock.now
    let outcome = try await processor.process(EventEnvelope(PriceChanged(
        productId: product, previousPrice: MoneyValue(amount: price + 1000, currency: "RUB"), price: MoneyValue(amount: price, currency: "RUB"),
        version: run + 1)))
    let elapsed = seconds(ContinuousClock.now - started)
    let written = try await client.query("SELECT count(*)::integer FROM notifications.notifications WHERE \"offset\" = \(run)", logger: logger)
        .decode(Int.self).collectAll().first ?? 0
    guard outcome == .handled, written == watchers else { print("run \(run): \(outcome), \(written) notifications written; expected \(watchers)"); exit(1) }

    func insert(into table: String) async throws -> Double {
        let started = ContinuousClock.now
        try await client.query(PostgresQuery(unsafeSQL: """
            INSERT INTO public.\(table) SELECT 'user-' || g, \(run), gen_random_uuid(), 'PRICE_DROP', 'Цена снижена',
                '«Смартфон Галактика S24»: 999000.00 RUB вместо 1000000.00 RUB.', '\(product)', NULL, now(), NULL
            FROM generate_series(1, \(watchers)) g
            """), logger: logger)
        return seconds(ContinuousClock.now - started)
    }
    let raw = try await insert(into: "raw_rows")
    let indexed = try await insert(into: "indexed_rows")
    ours.append(elapsed)
    ceilings.append(indexed)
    rawCeilings.append(raw)
    print(String(format: "run %d: %d notifications (+ %d live signals) in %.3f s = %.0f/s; ceilings: INSERT of %d rows %.3f s, with the same indexes %.3f s; ratio %.2f",
                 run, watchers, signals ? watchers : 0, elapsed, Double(watchers) / elapsed, watchers, raw, indexed, indexed / elapsed))
}
let median = ours.sorted()[ours.count / 2], ceiling = ceilings.sorted()[ceilings.count / 2], rawCeiling = rawCeilings.sorted()[rawCeilings.count / 2]
print(String(format: "median: %.3f s (%.0f notifications/s); ceilings %.3f s (same indexes, ratio %.2f), %.3f s (no index, ratio %.2f)",
             median, Double(watchers) / median, ceiling, ceiling / median, rawCeiling, rawCeiling / median))
runner.cancel()
await cluster.stop()
