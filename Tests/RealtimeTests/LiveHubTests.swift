import FanOut
import EmporiumCore
import FanOut
import Foundation
import GraphQL
import GraphQLSupport
import Identity
import Logging
import NIOCore
import NIOPosix
@testable import Realtime
import Synchronization
import Testing

/// Counts the requests it answers; answers `{"data":{"seen":<caller>}}`.
final class CountingExecutor: GraphQLExecutor {
    let requests = Mutex<[(String, String?)]>([])

    func execute(_ request: GraphQLSupport.GraphQLRequest, info: GraphQLRequestInfo) async -> GraphQLOutcome {
        let caller = info.principal?.userID.rawValue
        requests.withLock { $0.append((request.query, caller)) }
        if request.query.contains("notificationsSince") {
            let since = request.variables[LivePlan.sinceVariable]?.int ?? 0
            let items: [Map] = (since + 1...max(since + 1, 5)).map { ["emporiumOffset": .int($0), "n": .int($0)] }
            return GraphQLOutcome(kind: .executed, result: GraphQLResult(data: ["notificationAdded": .array(since >= 5 ? [] : items)]))
        }
        return GraphQLOutcome(kind: .executed, result: GraphQLResult(data: ["seen": caller.map(Map.string) ?? .null]))
    }

    var count: Int { requests.withLock { $0.count } }
}

/// Records what a connection would be sent.
final class RecordingSink: LiveSink {
    let eventLoop: any EventLoop
    let received = Mutex<[String]>([])

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func deliverOnLoop(_ frame: ByteBuffer, operation id: String) {
        eventLoop.preconditionInEventLoop()
        received.withLock { $0.append(String(buffer: ServerFramesTests.payload(of: frame))) }
    }

    var messages: [String] { received.withLock { $0 } }
}

@Suite struct LiveHubTests {
    let product = "7f1c4c2e-3b6a-4c59-9a58-2d1f0a7e6b11"
    let group = MultiThreadedEventLoopGroup.singleton

    func plan(_ query: String, as principal: Principal? = nil) throws -> LivePlan {
        guard case .live(let plan) = try LivePlanner().plan(.init(query: query), principal: principal) else { throw PlanningRefusal("not live") }
        return plan
    }

    func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition(), "\(what)")
    }

    @Test func oneEventIsResolvedOncePerVisibilityClassWhateverTheSubscribers() async throws {
        let fanOut = InProcessFanOut()
        let executor = CountingExecutor()
        let hub = LiveHub(fanOut: fanOut, executor: executor, logger: Logger(label: "test"))
        let subscription = try plan(#"subscription { productChanged(id: "\#(product)") { title } }"#)
        var sinks: [RecordingSink] = []
        let seller = Principal(userID: UserID("seller-1"), roles: [.seller])
        let stranger = Principal(userID: UserID("buyer-9"), roles: [.buyer])
        for index in 0..<1_000 {
            let sink = RecordingSink(group.next())
            sinks.append(sink)
            // Anonymous and signed-in strangers read alike; the seller reads as the owner.
            let principal: Principal? = index == 0 ? seller : index % 2 == 0 ? stranger : nil
            hub.add(LiveSubscriber(id: "s\(index)", plan: subscription, principal: principal, sink: sink))
        }
        #expect(hub.followedChannels == ["product:\(product)"])
        try await fanOut.publish(LiveSignal(subject: .product, id: product, owners: ["seller-1"]).encoded, to: "product:\(product)")
        try await waitUntil("every subscriber got the event") { sinks.allSatisfy { $0.messages.count == 1 } }
        #expect(executor.count == 2)
        #expect(sinks[0].messages == [#"{"type":"next","id":"s0","payload":{"data":{"seen":"seller-1"}}}"#])
        #expect(sinks[1].messages == [#"{"type":"next","id":"s1","payload":{"data":{"seen":null}}}"#])
        #expect(sinks[2].messages == [#"{"type":"next","id":"s2","payload":{"data":{"seen":null}}}"#])
        // A stock signal on the same channel is not a product change.
        try await fanOut.publish(LiveSignal(subject: .stock, id: product, owners: []).encoded, to: "product:\(product)")
        try await Task.sleep(for: .milliseconds(100))
        #expect(sinks[1].messages.count == 1)
    }

    @Test func theLastSubscriberToLeaveUnfollowsTheChannel() async throws {
        let fanOut = InProcessFanOut()
        let hub = LiveHub(fanOut: fanOut, executor: CountingExecutor(), logger: Logger(label: "test"))
        let subscription = try plan(#"subscription { productChanged(id: "\#(product)") { title } }"#)
        let first = LiveSubscriber(id: "1", plan: subscription, principal: nil, sink: RecordingSink(group.next()))
        let second = LiveSubscriber(id: "2", plan: subscription, principal: nil, sink: RecordingSink(group.next()))
        hub.add(first)
        hub.add(second)
        hub.remove(first)
        #expect(hub.followedChannels == ["product:\(product)"])
        hub.remove(second)
        #expect(hub.followedChannels.isEmpty)
        try await waitUntil("the channel's follower ended") { fanOut.followedChannels.isEmpty }
    }

    @Test func ordersReachOnlyTheirOwnersAndAdmins() async throws {
        let fanOut = InProcessFanOut()
        let executor = CountingExecutor()
        let hub = LiveHub(fanOut: fanOut, executor: executor, logger: Logger(label: "test"))
        let buyer = Principal(userID: UserID("b1"), roles: [.buyer])
        let stranger = Principal(userID: UserID("b2"), roles: [.buyer])
        let admin = Principal(userID: UserID("a1"), roles: [.admin])
        let query = #"subscription { orderUpdated(id: "\#(product)") { id } }"#
        let sinks = (0..<3).map { _ in RecordingSink(group.next()) }
        for (index, principal) in [buyer, stranger, admin].enumerated() {
            hub.add(LiveSubscriber(id: "o", plan: try plan(query, as: principal), principal: principal, sink: sinks[index]))
        }
        try await fanOut.publish(LiveSignal(subject: .order, id: product, owners: ["b1", "s1"]).encoded, to: "order:\(product)")
        try await waitUntil("buyer and admin got it") { sinks[0].messages.count == 1 && sinks[2].messages.count == 1 }
        try await Task.sleep(for: .milliseconds(100))
        #expect(sinks[1].messages.isEmpty)
    }

    @Test func aResumingSubscriberGetsWhatItMissedThenLiveWithoutGapOrDuplicate() async throws {
        let fanOut = InProcessFanOut()
        let executor = CountingExecutor()
        let hub = LiveHub(fanOut: fanOut, executor: executor, logger: Logger(label: "test"))
        let user = Principal(userID: UserID("u1"), roles: [.buyer])
        let sink = RecordingSink(group.next())
        let subscriber = LiveSubscriber(id: "n", plan: try plan("subscription { notificationAdded(since: 1) { n } }", as: user), principal: user, sink: sink)
        hub.add(subscriber)
        // Signals that arrive during the replay: 4 and 5 are in the database too, 6 is new.
        for offset in [4, 5, 6, 6] {
            try await fanOut.publish(LiveSignal(subject: .notification, id: "id-\(offset)", owners: ["u1"], offset: Int64(offset)).encoded, to: "user:u1")
        }
        try await Task.sleep(for: .milliseconds(50))
        await hub.replay(subscriber)
        try await fanOut.publish(LiveSignal(subject: .notification, id: "id-6", owners: ["u1"], offset: 6).encoded, to: "user:u1")
        try await fanOut.publish(LiveSignal(subject: .notification, id: "id-7", owners: ["u1"], offset: 7).encoded, to: "user:u1")
        try await waitUntil("six messages") { sink.messages.count == 6 }
        try await Task.sleep(for: .milliseconds(100))
        let messages = sink.messages
        // 2…5 from the database, then 6 once (kept during the replay), then 7.
        #expect(Array(messages.prefix(4)) == [2, 3, 4, 5].map { #"{"type":"next","id":"n","payload":{"data":{"notificationAdded":{"n":\#($0)}}}}"# })
        #expect(messages.count == 6)
        #expect(messages.suffix(2).allSatisfy { $0.contains(#""seen":"u1""#) })
        #expect(messages.allSatisfy { !$0.contains("emporiumOffset") })
    }
}
