// orders-bench: checkouts through to PAID on a node's or a cluster's public /graphql, for
// scripts/bench-orders (docs/BENCHMARKS.md, #18). A seller stocks --products products with --stock
// units each; every checkout is a fresh buyer (one cart per buyer) who opens a WebSocket to
// /graphql, adds one unit, checks out, subscribes to `orderUpdated` for the order, waits until it
// awaits payment, pays on the sandbox page (`POST <confirmationUrl>/confirm`) and waits until it
// is PAID. A status the subscription has not shown within 100 ms is asked for over HTTP (the
// subscription may start just after the order moved on), and again every second; `--observe poll` polls every --poll-ms
// instead, as earlier runs did.
//   1. throughput: --concurrency buyers, each starting the next checkout when its order is PAID,
//      for --seconds (at most --max-checkouts): checkouts/s through to PAID.
//   2. latency: checkouts started at a fixed --rate for --rate-seconds, each on its own (an open
//      loop: a slow order delays no other): checkout→PAID from sending `checkout` to observing
//      PAID; and the counter lag, from an order observed PAID to `Product.salesCount` including it
//      (read every --counter-poll-ms).
// Tokens are HS256, signed with EMPORIUM_JWT_SECRET: the node must run with the same secret.
//   orders-bench --url http://127.0.0.1:PORT [--products 50] [--stock 100000] [--concurrency 16]
//                [--seconds 20] [--max-checkouts 20000] [--rate 50] [--rate-seconds 20]
//                [--observe subscription|poll] [--poll-ms 5] [--counter-poll-ms 25] [--target-ms 300]
import AsyncHTTPClient
import EmporiumCore
import Synchronization
import Foundation
import Identity
import NIOCore
import NIOHTTP1
import NIOPosix

struct Options {
    var url = ""
    var products = 50
    var stock = 100_000
    var concurrency = 16
    var seconds = 20
    var maxCheckouts = 20_000
    var rate = 50
    var rateSeconds = 20
    var pollMilliseconds = 5
    var observe = "subscription"
    var counterPollMilliseconds = 25
    /// The p99 checkout→PAID the run is held to (300 ms for a single node, 1 s distributed).
    var targetMilliseconds = 300

    init() {
        var arguments = CommandLine.arguments.dropFirst()
        while let name = arguments.popFirst() {
            guard let value = arguments.popFirst() else { fail("\(name) needs a value") }
            switch name {
            case "--url": url = value
            case "--products": products = Int(value) ?? 0
            case "--stock": stock = Int(value) ?? 0
            case "--concurrency": concurrency = Int(value) ?? 0
            case "--seconds": seconds = Int(value) ?? 0
            case "--max-checkouts": maxCheckouts = Int(value) ?? 0
            case "--rate": rate = Int(value) ?? 0
            case "--rate-seconds": rateSeconds = Int(value) ?? 0
            case "--poll-ms": pollMilliseconds = Int(value) ?? 0
            case "--observe": observe = value
            case "--counter-poll-ms": counterPollMilliseconds = Int(value) ?? 0
            case "--target-ms": targetMilliseconds = Int(value) ?? 0
            default: fail("unknown option \(name)")
            }
        }
        // Only ever the local node.
        guard url.hasPrefix("http://127.0.0.1:"), (1...1000).contains(products), (1...1_000_000).contains(stock),
              (1...256).contains(concurrency), (1...600).contains(seconds), (1...1_000_000).contains(maxCheckouts),
              (1...1000).contains(rate), (1...600).contains(rateSeconds), (1...1000).contains(pollMilliseconds),
              ["subscription", "poll"].contains(observe), (1...1000).contains(counterPollMilliseconds), (1...60_000).contains(targetMilliseconds) else {
            fail("usage: orders-bench --url http://127.0.0.1:PORT [--products 1…1000] [--stock 1…1000000] [--concurrency 1…256] [--seconds 1…600] [--max-checkouts N] [--rate 1…1000] [--rate-seconds 1…600] [--observe subscription|poll] [--poll-ms 1…1000] [--counter-poll-ms 1…1000] [--target-ms N]")
        }
        if url.hasSuffix("/") { url.removeLast() }
    }
}

func fail(_ message: String) -> Never {
    complain(message)
    exit(2)
}

/// A line of the report, flushed at once even into a pipe: a script can follow the phases.
func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// To stderr, after what stdout holds: in order when both go to one file.
func complain(_ message: String) {
    fflush(nil)
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let options = Options()
let clock = ContinuousClock()
let pollInterval = Duration.milliseconds(options.pollMilliseconds)
let counterPollInterval = Duration.milliseconds(options.counterPollMilliseconds)
/// The buyers' WebSockets.
let liveLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1).next()
/// Requests the node refused with 503 and the bench asked again.
let refusals = Atomic<Int>(0)
/// Buyer ids and idempotency keys of this run: a rerun against the same data starts afresh.
let runID = String(UInt32.random(in: 0...UInt32.max), radix: 36)

// MARK: The node's public API

/// The node's public endpoints; answers as parsed JSON.
struct Node: Sendable {
    let client: HTTPClient
    let base: String

    /// The whole answer (`data` and `errors`), whatever the HTTP status, as long as it is one.
    /// A 503 (the node shed the request: nothing ran) is asked again after its `Retry-After`, as
    /// a client would, for up to 30 s; each one is counted (`refusals`).
    func graphQL(_ query: String, _ variables: [String: any Sendable] = [:], token: String?) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: base + "/graphql")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: ["query": query, "variables": variables] as [String: Any])))
        let giveUp = clock.now + .seconds(30)
        while true {
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            if response.status == .serviceUnavailable, clock.now < giveUp {
                refusals.add(1, ordering: .relaxed)
                let seconds = response.headers.first(name: "retry-after").flatMap { Int($0) } ?? 1
                try await clock.sleep(for: .seconds(min(max(seconds, 1), 5)))
                continue
            }
            guard let json = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any],
                  json["data"] != nil || json["errors"] != nil else {
                throw BenchError("/graphql answered \(response.status.code): \(String(buffer: body).prefix(300))")
            }
            return json
        }
    }

    /// `data.<field>` of an answer without errors.
    func must(_ query: String, _ variables: [String: any Sendable] = [:], token: String?, field: String) async throws -> [String: Any] {
        let answer = try await graphQL(query, variables, token: token)
        if let errors = answer["errors"] { throw BenchError("\(field): \(errors)") }
        guard let value = (answer["data"] as? [String: Any])?[field] as? [String: Any] else { throw BenchError("\(field): \(answer)") }
        return value
    }

    /// The buyer on the sandbox payment page: pays with a card that succeeds.
    func confirm(_ confirmationURL: String) async throws {
        let page = confirmationURL.hasPrefix("/") ? base + confirmationURL : confirmationURL
        guard page.hasPrefix(base + "/") else { throw BenchError("a confirmation URL off this node: \(confirmationURL)") }
        var request = HTTPClientRequest(url: page + "/confirm")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"card":"4242424242424242"}"#))
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 16)
        guard response.status == .ok else { throw BenchError("\(page)/confirm answered \(response.status.code): \(String(buffer: body).prefix(300))") }
    }
}

let addToCart = "mutation($id: ID!) { addToCart(productId: $id, quantity: 1) { itemCount } }"
let checkout = """
    mutation($key: String!) { checkout(input: {idempotencyKey: $key, shippingAddress: {name: "A", line1: "B", city: "C", postalCode: "1", country: "RU"}}) { id status } }
    """
let orderStatus = "query($id: ID!) { order(id: $id) { status reason payment { confirmationUrl } } }"

/// Adds one unit; the orders service learns of a product through events, so an early add is
/// refused for a few milliseconds: retried for up to ten seconds.
func fillCart(_ node: Node, product: String, token: String) async throws {
    let deadline = clock.now + .seconds(10)
    while true {
        let answer = try await node.graphQL(addToCart, ["id": product], token: token)
        guard let errors = answer["errors"] else { return }
        guard clock.now < deadline else { throw BenchError("addToCart: \(errors)") }
        try await clock.sleep(for: .milliseconds(20))
    }
}

// MARK: One checkout

struct Purchase: Sendable {
    let product: Int
    /// `checkout` sent.
    let sent: ContinuousClock.Instant
    /// `checkout` answered (PENDING).
    let placed: ContinuousClock.Instant
    /// AWAITING_PAYMENT observed.
    let reserved: ContinuousClock.Instant
    /// The sandbox page answered the payment.
    let confirmed: ContinuousClock.Instant
    /// PAID observed.
    let paid: ContinuousClock.Instant
    /// Requests this checkout sent, polls included.
    let requests: Int
    /// Of the two statuses waited for, how many the subscription showed (the rest: a request).
    let byEvent: Int
}

/// Polls the order every `pollInterval` until it is `wanted`; answers when that was seen and the
/// payment page.
func poll(_ node: Node, order id: String, token: String, until wanted: String, count: inout Int) async throws -> (ContinuousClock.Instant, String?) {
    let deadline = clock.now + .seconds(60)
    while true {
        let sent = clock.now
        count += 1
        let order = try await node.must(orderStatus, ["id": id], token: token, field: "order")
        let seen = clock.now
        let status = order["status"] as? String ?? ""
        let page = (order["payment"] as? [String: Any])?["confirmationUrl"] as? String
        if status == wanted, wanted != "AWAITING_PAYMENT" || page != nil { return (seen, page) }
        if status == "REJECTED" || status == "CANCELLED" { throw BenchError("order \(id) \(status): \(order["reason"] ?? "")") }
        guard seen < deadline else { throw BenchError("order \(id) still \(status) after 60 s (waiting for \(wanted))") }
        try await clock.sleep(until: sent + pollInterval)
    }
}

/// Waits for the order to be `wanted`: as the subscription shows it, or as a request answers when
/// the subscription has shown nothing for 100 ms (then for each further second). Answers when it was seen, the payment page,
/// and whether the subscription showed it.
func observe(_ node: Node, _ live: LiveConnection?, order id: String, token: String, until wanted: String, count: inout Int) async throws -> (ContinuousClock.Instant, String?, Bool) {
    guard let live else {
        let (seen, page) = try await poll(node, order: id, token: token, until: wanted, count: &count)
        return (seen, page, false)
    }
    let deadline = clock.now + .seconds(60)
    // The first request catches a status reached before the subscription started; later ones
    // are only insurance, and a second apart they add little load to an overloaded node.
    var silence = TimeAmount.milliseconds(100)
    while true {
        defer { silence = .seconds(1) }
        if await live.watch.wait(for: wanted, timeout: silence, on: liveLoop), let sighting = live.watch.sighting(wanted) {
            return (sighting.at, sighting.confirmationURL, true)
        }
        if let (status, sighting) = live.watch.failure() { throw BenchError("order \(id) \(status): \(sighting.reason ?? "")") }
        if let closed = live.watch.closedReason { throw BenchError("order \(id): \(closed)") }
        count += 1
        let order = try await node.must(orderStatus, ["id": id], token: token, field: "order")
        let seen = clock.now
        let status = order["status"] as? String ?? ""
        let page = (order["payment"] as? [String: Any])?["confirmationUrl"] as? String
        if status == wanted, wanted != "AWAITING_PAYMENT" || page != nil { return (seen, page, false) }
        if status == "REJECTED" || status == "CANCELLED" { throw BenchError("order \(id) \(status): \(order["reason"] ?? "")") }
        guard seen < deadline else { throw BenchError("order \(id) still \(status) after 60 s (waiting for \(wanted))") }
    }
}

let (nodeHost, nodePort): (String, Int) = {
    let authority = options.url.dropFirst("http://".count)
    guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) else { fail("--url needs a port") }
    return (String(authority[..<colon]), port)
}()

/// One buyer's checkout of one unit of `product`, through to PAID.
func purchase(_ node: Node, _ shop: Shop, product: Int, buyer: String) async throws -> Purchase {
    let token = try await shop.tokens.issue(userID: UserID(buyer), roles: [.buyer])
    // The buyer's app is open before it shops: not part of the checkout's time.
    let live = options.observe == "subscription" ? try await LiveConnection.open(host: nodeHost, port: nodePort, token: token, on: liveLoop) : nil
    defer { live?.close() }
    try await fillCart(node, product: shop.products[product], token: token)
    let sent = clock.now
    let order = try await node.must(checkout, ["key": buyer], token: token, field: "checkout")
    let placed = clock.now
    guard let id = order["id"] as? String, order["status"] as? String == "PENDING" else { throw BenchError("checkout: \(order)") }
    live?.subscribe(order: id)
    var requests = 3  // addToCart (once: the projection is warm), checkout, confirm
    let (reserved, page, reservedByEvent) = try await observe(node, live, order: id, token: token, until: "AWAITING_PAYMENT", count: &requests)
    guard let page else { throw BenchError("order \(id) awaits payment without a confirmation URL") }
    try await node.confirm(page)
    let confirmed = clock.now
    let (paid, _, paidByEvent) = try await observe(node, live, order: id, token: token, until: "PAID", count: &requests)
    return Purchase(product: product, sent: sent, placed: placed, reserved: reserved, confirmed: confirmed, paid: paid, requests: requests,
                    byEvent: (reservedByEvent ? 1 : 0) + (paidByEvent ? 1 : 0))
}

// MARK: The shop

struct Shop: Sendable {
    let tokens: TokenService
    let sellerToken: String
    let products: [String]
}

/// A seller's `count` published products at 19.99 EUR, `stock` units each.
func stockShop(_ node: Node) async throws -> Shop {
    guard let secret = ProcessInfo.processInfo.environment["EMPORIUM_JWT_SECRET"] else { fail("set EMPORIUM_JWT_SECRET, the node's") }
    let tokens = try await TokenService(keys: .hmacSHA256(secret: secret))
    let seller = try await tokens.issue(userID: UserID("bench-seller-\(runID)"), roles: [.seller])
    let products = try await withThrowingTaskGroup(of: (Int, String).self) { group in
        var made = [String?](repeating: nil, count: options.products)
        var next = 0
        func add() {
            let index = next
            next += 1
            group.addTask {
                let created = try await node.must(
                    #"mutation($t: String!) { createProduct(input: {title: $t, price: {amount: 1999, currency: "EUR"}}) { id } }"#,
                    ["t": "Bench product \(runID) \(index)"], token: seller, field: "createProduct")
                guard let id = created["id"] as? String else { throw BenchError("createProduct: \(created)") }
                _ = try await node.must("mutation($id: ID!) { publishProduct(id: $id) { status } }", ["id": id], token: seller, field: "publishProduct")
                // Inventory learns of the product through events a few milliseconds later.
                let deadline = clock.now + .seconds(30)
                while true {
                    let answer = try await node.graphQL("mutation($id: ID!, $q: Int!) { receiveStock(productId: $id, quantity: $q) { available } }",
                                                        ["id": id, "q": options.stock], token: seller)
                    if answer["errors"] == nil { break }
                    guard clock.now < deadline else { throw BenchError("receiveStock: \(answer)") }
                    try await clock.sleep(for: .milliseconds(20))
                }
                return (index, id)
            }
        }
        for _ in 0..<min(8, options.products) { add() }
        while let (index, id) = try await group.next() {
            made[index] = id
            if next < options.products { add() }
        }
        return made.compactMap { $0 }
    }
    // Orders learns of each product through events too: one cart per product, filled until it
    // is accepted, so that no measured checkout waits for that.
    try await withThrowingTaskGroup(of: Void.self) { group in
        for (index, product) in products.enumerated() {
            group.addTask {
                let token = try await tokens.issue(userID: UserID("bench-warm-\(runID)-\(index)"), roles: [.buyer])
                try await fillCart(node, product: product, token: token)
            }
        }
        try await group.waitForAll()
    }
    return Shop(tokens: tokens, sellerToken: seller, products: products)
}

// MARK: Results

actor Recorder {
    var purchases: [Purchase] = []
    var failures = 0
    var reported = 0

    func record(_ purchase: Purchase) { purchases.append(purchase) }

    func fail(_ error: any Error) {
        failures += 1
        if reported < 5 {
            reported += 1
            complain("checkout failed: \(String(describing: error).prefix(400))")
        }
    }
}

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

struct Distribution {
    let sorted: [Double]
    init(_ values: [Double]) { sorted = values.sorted() }
    func at(_ fraction: Double) -> Double { sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))] }
    var summary: String {
        String(format: "p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", at(0.5), at(0.99), sorted.last ?? .nan, sorted.count)
    }
}

/// Where the time of a checkout goes, at the median; and the requests it took.
func stages(_ purchases: [Purchase], over elapsed: Duration) -> String {
    func median(_ part: (Purchase) -> Duration) -> Double { Distribution(purchases.map { milliseconds(part($0)) }).at(0.5) }
    let requests = purchases.reduce(0) { $0 + $1.requests }
    let byEvent = purchases.reduce(0) { $0 + $1.byEvent }
    return String(format: "medians: checkout answered %.1f ms, reserved (AWAITING_PAYMENT seen) +%.1f ms, sandbox payment answered +%.1f ms, PAID seen +%.1f ms\n"
                  + "requests: %.1f per checkout (polls included), %.0f/s to the node; statuses shown by the subscription: %d of %d",
                  median { $0.placed - $0.sent }, median { $0.reserved - $0.placed }, median { $0.confirmed - $0.reserved }, median { $0.paid - $0.confirmed },
                  Double(requests) / Double(purchases.count), Double(requests) / (milliseconds(elapsed) / 1000), byEvent, 2 * purchases.count)
}

// MARK: 1. Throughput

actor Tickets {
    var next = 0
    let limit: Int
    init(limit: Int) { self.limit = limit }
    func take() -> Int? {
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }
}

/// `concurrency` buyers, each checking out again as soon as its order is PAID, until `seconds`
/// passed or `limit` checkouts started; answers the recorder and the wall time.
func saturate(_ node: Node, _ shop: Shop, label: String, seconds: Int, limit: Int) async -> (Recorder, Duration) {
    let recorder = Recorder()
    let tickets = Tickets(limit: limit)
    let start = clock.now
    let end = start + .seconds(seconds)
    await withTaskGroup(of: Void.self) { group in
        for _ in 0..<options.concurrency {
            group.addTask {
                while clock.now < end, await recorder.failures < 50, let n = await tickets.take() {
                    do {
                        await recorder.record(try await purchase(node, shop, product: n % shop.products.count, buyer: "bench-\(runID)-\(label)-\(n)"))
                    } catch {
                        await recorder.fail(error)
                    }
                }
            }
        }
    }
    return (recorder, clock.now - start)
}

// MARK: 2. Latency at a fixed rate, and the counter lag

/// What the counters should show and when they showed it, per product.
actor Counters {
    let base: [Int]
    /// PAID observations of this phase.
    var paid: [[ContinuousClock.Instant]]
    /// `counted[p][k]`: the first answer in which salesCount was at least `base[p] + k + 1`.
    var counted: [[ContinuousClock.Instant]]
    var over = false

    init(base: [Int]) {
        self.base = base
        paid = Array(repeating: [], count: base.count)
        counted = Array(repeating: [], count: base.count)
    }

    func sawPaid(_ product: Int, at instant: ContinuousClock.Instant) { paid[product].append(instant) }

    func saw(_ product: Int, salesCount: Int, at instant: ContinuousClock.Instant) {
        while counted[product].count < salesCount - base[product] { counted[product].append(instant) }
    }

    /// Products with a PAID order the counter has not been seen to include.
    func outstanding() -> [Int] { base.indices.filter { counted[$0].count < paid[$0].count } }

    func finish() { over = true }

    /// Lags in ms, and how many PAID orders were never seen counted.
    func lags() -> ([Double], Int) {
        var lags: [Double] = []
        var missing = 0
        for product in base.indices {
            // The k-th order observed PAID matches the k-th unit counted: which order the counter
            // took first does not matter, only when it reached each count.
            for (k, paidAt) in paid[product].sorted().enumerated() {
                if k < counted[product].count {
                    // A counter can be ahead of the buyer's poll: that is no lag.
                    lags.append(max(0, milliseconds(counted[product][k] - paidAt)))
                } else {
                    missing += 1
                }
            }
        }
        return (lags, missing)
    }
}

/// salesCount of each product in `indices`: 10 per request (the node allows 20 root fields and
/// 30 aliases per operation), the requests at once.
func salesCounts(_ node: Node, _ shop: Shop, _ indices: [Int]) async throws -> [Int: Int] {
    try await withThrowingTaskGroup(of: [Int: Int].self) { group in
        for start in stride(from: 0, to: indices.count, by: 10) {
            let chunk = Array(indices[start..<min(start + 10, indices.count)])
            group.addTask { try await salesCountsAtOnce(node, shop, chunk) }
        }
        return try await group.reduce(into: [:]) { $0.merge($1) { a, _ in a } }
    }
}

func salesCountsAtOnce(_ node: Node, _ shop: Shop, _ indices: [Int]) async throws -> [Int: Int] {
    let names = indices.indices.map { "p\($0)" }
    let query = "query(" + names.map { "$\($0): ID!" }.joined(separator: ", ") + ") { "
        + names.map { "\($0): product(id: $\($0)) { salesCount }" }.joined(separator: " ") + " }"
    var variables: [String: any Sendable] = [:]
    for (name, index) in zip(names, indices) { variables[name] = shop.products[index] }
    // With a token: answers for signed-in callers bypass the response cache (docs/caching.md).
    let answer = try await node.graphQL(query, variables, token: shop.sellerToken)
    if let errors = answer["errors"] { throw BenchError("salesCount: \(errors)") }
    let data = answer["data"] as? [String: Any] ?? [:]
    var counts: [Int: Int] = [:]
    for (name, index) in zip(names, indices) {
        guard let count = (data[name] as? [String: Any])?["salesCount"] as? Int else { throw BenchError("salesCount of \(name): \(answer)") }
        counts[index] = count
    }
    return counts
}

/// Polls the products with outstanding PAID orders every `pollInterval` until the phase is over
/// and every order was seen counted, or 30 s after the phase.
func watchCounters(_ node: Node, _ shop: Shop, _ counters: Counters) async {
    var overSince: ContinuousClock.Instant?
    var failures = 0
    while true {
        let sent = clock.now
        let wanted = await counters.outstanding()
        if await counters.over {
            if overSince == nil { overSince = sent }
            if wanted.isEmpty || sent - overSince! > .seconds(30) { return }
        }
        if !wanted.isEmpty {
            do {
                let counts = try await salesCounts(node, shop, wanted)
                let seen = clock.now
                for (product, count) in counts { await counters.saw(product, salesCount: count, at: seen) }
            } catch {
                failures += 1
                if failures <= 3 { complain("counter poll failed: \(error)") }
            }
        }
        try? await clock.sleep(until: sent + counterPollInterval)
    }
}

/// Checkouts started at `rate` per second for `seconds`, each on its own; the counters watched
/// meanwhile when `counters` is given.
func offered(_ node: Node, _ shop: Shop, counters: Counters?) async -> (Recorder, Duration) {
    let recorder = Recorder()
    let total = options.rate * options.rateSeconds
    let start = clock.now + .milliseconds(50)
    // The load's end, not the counters' watch after it.
    let end = await withTaskGroup(of: ContinuousClock.Instant?.self) { outer in
        if let counters { outer.addTask { await watchCounters(node, shop, counters); return nil } }
        outer.addTask {
            await withTaskGroup(of: Void.self) { group in
                for n in 0..<total {
                    group.addTask {
                        try? await clock.sleep(until: start + .seconds(1) * n / options.rate)
                        do {
                            let purchase = try await purchase(node, shop, product: n % shop.products.count, buyer: "bench-\(runID)-rate-\(n)")
                            await recorder.record(purchase)
                            await counters?.sawPaid(purchase.product, at: purchase.paid)
                        } catch {
                            await recorder.fail(error)
                        }
                    }
                }
            }
            await counters?.finish()
            return clock.now
        }
        var end = start
        for await instant in outer { if let instant { end = instant } }
        return end
    }
    return (recorder, end - start)
}

// MARK: Run

let watching = options.observe == "poll" ? "order polled every \(options.pollMilliseconds) ms" : "order watched through orderUpdated"

var configuration = HTTPClient.Configuration()
configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
let node = Node(client: client, base: options.url)
var status: Int32 = 0
do {
    let setupStart = clock.now
    let shop = try await stockShop(node)
    say(String(format: "== shop: %d products × %d units, published and stocked in %.1f s", shop.products.count, options.stock, milliseconds(clock.now - setupStart) / 1000))

    // A correctness probe: numbers of failed checkouts would be meaningless.
    let probe = try await purchase(node, shop, product: 0, buyer: "bench-\(runID)-probe")
    say(String(format: "== probe: one checkout through to PAID in %.1f ms", milliseconds(probe.paid - probe.sent)))
    var salesCountError: String?
    do { _ = try await salesCounts(node, shop, [0]) } catch { salesCountError = String(describing: error) }
    if let salesCountError { say("salesCount: not available (\(salesCountError.prefix(200)))") }

    // Warm-up (connections, plan caches), not measured.
    let (warm, _) = await saturate(node, shop, label: "warm", seconds: 5, limit: options.concurrency * 4)
    let warmPaid = await warm.purchases.count

    say("== 1. throughput: \(options.concurrency) buyers in parallel, each checking out again when its order is PAID, \(options.seconds) s (\(watching))")
    let (saturated, elapsed) = await saturate(node, shop, label: "full", seconds: options.seconds, limit: options.maxCheckouts)
    let full = await saturated.purchases
    let fullFailures = await saturated.failures
    say(String(format: "checkouts/s through to PAID: %.1f (%d paid, %d failed in %.1f s)", Double(full.count) / (milliseconds(elapsed) / 1000), full.count, fullFailures, milliseconds(elapsed) / 1000))
    say("checkout→PAID at full speed: " + Distribution(full.map { milliseconds($0.paid - $0.sent) }).summary)
    if !full.isEmpty { say(stages(full, over: elapsed)) }

    // Every order paid so far counted before the fixed-rate phase: its counts start from there.
    var counters: Counters?
    if salesCountError == nil {
        let lastPaid = full.map(\.paid).max() ?? clock.now
        let paidSoFar = 1 + warmPaid + full.count
        let deadline = clock.now + .seconds(30)
        var base: [Int] = []
        while true {
            let counts: [Int: Int]
            do {
                counts = try await salesCounts(node, shop, Array(shop.products.indices))
            } catch {
                say("salesCount: not available (\(String(describing: error).prefix(200)))")
                break
            }
            base = shop.products.indices.map { counts[$0] ?? 0 }
            let settled = base.reduce(0, +) >= paidSoFar
            if settled || clock.now > deadline {
                say(String(format: "salesCount after phase 1: %d units counted, %d paid observed (incl. probe and warm-up); settled %.0f ms after the last PAID%@",
                             base.reduce(0, +), paidSoFar, milliseconds(clock.now - lastPaid), settled ? "" : " — NOT settled within 30 s"))
                break
            }
            try await clock.sleep(for: .milliseconds(20))
        }
        if base.count == shop.products.count { counters = Counters(base: base) }
    }

    say("== 2. latency: \(options.rate) checkouts/s offered for \(options.rateSeconds) s, each a fresh buyer (\(watching), paid as soon as it awaits payment; salesCount read every \(options.counterPollMilliseconds) ms)")
    let (fixed, fixedElapsed) = await offered(node, shop, counters: counters)
    let paced = await fixed.purchases
    let pacedFailures = await fixed.failures
    let latency = Distribution(paced.map { milliseconds($0.paid - $0.sent) })
    say(String(format: "%d paid, %d failed; %.1f checkouts/s to PAID over %.1f s; %d requests refused with 503 (asked again) during the whole run",
               paced.count, pacedFailures, Double(paced.count) / (milliseconds(fixedElapsed) / 1000), milliseconds(fixedElapsed) / 1000, refusals.load(ordering: .relaxed)))
    say("checkout→PAID: " + latency.summary + String(format: "   target: p99 < %d ms: %@", options.targetMilliseconds, latency.at(0.99) < Double(options.targetMilliseconds) && pacedFailures == 0 ? "met" : "NOT met"))
    if !paced.isEmpty { say(stages(paced, over: fixedElapsed)) }
    if let counters {
        let (lags, missing) = await counters.lags()
        let lag = Distribution(lags)
        say(String(format: "counter lag (order observed PAID → salesCount includes it): p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d, %d not counted within 30 s)",
                     lag.at(0.5), lag.at(0.99), lag.sorted.last ?? .nan, lags.count, missing))
    } else {
        say("counter lag: salesCount: not available")
    }
    if fullFailures + pacedFailures > 0 { status = 1 }
} catch {
    complain("orders-bench: \(error)")
    status = 1
}
try? await client.shutdown().get()  // top-level code picks the future-returning overload
exit(status)
