import EmporiumCore
import FanOut
import Foundation
import GraphQL
import GraphQLSupport
import Identity
import CoreMetrics
import Logging
import NIOCore
import OrderedCollections
import Synchronization

/// The subscriptions of one realtime node, by channel. A channel is followed (in process, or on
/// Redis) only while a local subscriber needs it. Each signal is resolved through the gateway
/// once per distinct query and visibility class — anonymous, the entity's owner, admin — and the
/// answer is written to every subscriber of that group, one task per event loop.
public final class LiveHub: Sendable {
    let fanOut: any FanOut
    let executor: any GraphQLExecutor
    let logger: Logger
    let metrics: RealtimeMetrics

    private struct Channel {
        var subscribers: [ObjectIdentifier: LiveSubscriber] = [:]
        var follower: Task<Void, Never>?
    }

    private let channels = Mutex<[String: Channel]>([:])
    /// Queries the gateway accepted (probed once each, bounded).
    private let accepted = BoundedCache<String, Bool>(maximumEntries: 10_000, maximumBytes: 16 << 20)
    /// One plan per distinct query: 100,000 subscribers of the same selection share its strings
    /// instead of holding a copy each (bounded; past the bound a plan is simply not shared).
    private let plans = Mutex<[String: LivePlan]>([:])
    static let sharedPlans = 10_000

    /// Events of one query and visibility class, resolved together when they come close.
    let resolver: LiveResolver
    /// The most events one request resolves together.
    public static let maximumBatch = 32
    /// Requests of one query and visibility class under way at once; events beyond wait and
    /// are batched.
    static let maximumInFlight = 1

    /// - Parameters:
    ///   - executor: answers what clients send (with the client limits).
    ///   - batchExecutor: answers the hub's own batches — up to ``maximumBatch`` copies of a
    ///     selection that passed `executor`'s limits —, so it needs limits that many times wider
    ///     (the gateway's `withLimits(limits.scaled(by:))`). Without one, batches go to `executor`
    ///     and any it refuses are resolved one event at a time.
    public init(fanOut: any FanOut, executor: any GraphQLExecutor, batchExecutor: (any GraphQLExecutor)? = nil, logger: Logger) {
        self.fanOut = fanOut
        self.executor = executor
        self.logger = logger
        let metrics = RealtimeMetrics()
        self.metrics = metrics
        let batchExecutor = batchExecutor ?? executor
        resolver = LiveResolver(metrics: metrics, maximumBatch: Self.maximumBatch, maximumInFlight: Self.maximumInFlight) { request, principal, isBatch in
            await (isBatch ? batchExecutor : executor).execute(request, info: GraphQLRequestInfo(principal: principal))
        }
    }

    /// Channels followed by this node.
    public var followedChannels: Set<String> { channels.withLock { Set($0.keys) } }

    public var subscriberCount: Int { channels.withLock { $0.values.reduce(0) { $0 + $1.subscribers.count } } }

    /// Errors (a JSON array) when the gateway refuses the plan's query; nil when it runs.
    /// Probed with an id that names nothing, once per distinct query.
    public func check(_ plan: LivePlan, principal: Principal?) async -> ByteBuffer? {
        if accepted.value(for: plan.key) == true { return nil }
        let outcome = await executor.execute(plan.request(for: "00000000-0000-0000-0000-000000000000"), info: GraphQLRequestInfo(principal: principal))
        guard outcome.kind == .requestError else {
            accepted.store(true, for: plan.key, bytes: plan.key.utf8.count + 64)
            return nil
        }
        var errors: [UInt8] = []
        outcome.writeJSON(into: &errors)
        // The outcome is {"errors":[…]}: the protocol's error message carries the array.
        let array = (try? JSONMap.parse(Data(errors)))?["errors"] ?? .array([])
        return ByteBuffer(bytes: JSONMap.encode(array))
    }

    /// The plan every subscriber of the same query, channel and `since` shares.
    public func shared(_ plan: LivePlan) -> LivePlan {
        let key = "\(plan.key)\u{0}\(plan.channel)\u{0}\(plan.since.map(String.init) ?? "")"
        return plans.withLock { plans in
            if let known = plans[key] { return known }
            if plans.count < Self.sharedPlans { plans[key] = plan }
            return plan
        }
    }

    public func add(_ subscriber: LiveSubscriber) {
        let channel = subscriber.plan.channel
        let start = channels.withLock { channels -> Bool in
            let isNew = channels[channel] == nil
            channels[channel, default: Channel()].subscribers[ObjectIdentifier(subscriber)] = subscriber
            return isNew
        }
        metrics.subscriptions.increment()
        if start {
            // One task per followed channel (not per subscriber): it reads the channel's signals
            // in order and ends when the last local subscriber leaves.
            let messages = fanOut.follow(channel)
            let task = Task { [weak self] in
                for await message in messages {
                    guard let self else { return }
                    await self.dispatch(message, on: channel)
                }
            }
            channels.withLock { channels in
                if channels[channel] != nil, channels[channel]?.follower == nil {
                    channels[channel]?.follower = task
                } else {
                    task.cancel()
                }
            }
        }
    }

    public func remove(_ subscriber: LiveSubscriber) {
        let channel = subscriber.plan.channel
        let (removed, ended) = channels.withLock { channels -> (Bool, Task<Void, Never>?) in
            let removed = channels[channel]?.subscribers.removeValue(forKey: ObjectIdentifier(subscriber)) != nil
            guard channels[channel]?.subscribers.isEmpty == true else { return (removed, nil) }
            let follower = channels[channel]?.follower
            channels[channel] = nil
            return (removed, follower)
        }
        if removed { metrics.subscriptions.decrement() }
        ended?.cancel()
    }

    /// Who a subscriber reads as: the groups an event is resolved for.
    enum Visibility: Hashable {
        case anonymous
        case owner(String)
        case admin
    }

    static func visibility(of principal: Principal?, owners: [String]) -> Visibility {
        guard let principal else { return .anonymous }
        if principal.isAdmin { return .admin }
        return owners.contains(principal.userID.rawValue) ? .owner(principal.userID.rawValue) : .anonymous
    }

    func dispatch(_ message: ByteBuffer, on channel: String) async {
        let started = ContinuousClock.now
        guard let signal = try? LiveSignal(decoding: message) else {
            logger.warning("unreadable live signal dropped", metadata: ["channel": "\(channel)", "bytes": "\(message.readableBytes)"])
            return
        }
        let subscribers = channels.withLock { $0[channel].map { Array($0.subscribers.values) } ?? [] }
        // Grouped by plan object: subscribers of one query share one plan (`shared(_:)`), so
        // this hashes a pointer per subscriber rather than the query's text. Past the bound of
        // shared plans, equal queries form separate groups — more resolutions, never a wrong one.
        struct GroupKey: Hashable {
            let plan: ObjectIdentifier
            let visibility: Visibility
        }
        var groups: [GroupKey: [LiveSubscriber]] = [:]
        for subscriber in subscribers where subscriber.accepts(signal) {
            let visibility = Self.visibility(of: subscriber.principal, owners: signal.owners)
            if subscriber.plan.field.ownersOnly, visibility == .anonymous { continue }
            groups[GroupKey(plan: ObjectIdentifier(subscriber.plan), visibility: visibility), default: []].append(subscriber)
        }
        guard !groups.isEmpty else { return }
        await withTaskGroup(of: Void.self) { group in
            for (key, members) in groups {
                group.addTask {
                    // Resolved as the group reads: no principal for anonymous readers, the owner's
                    // or an admin's own (asserted to the subgraphs) for theirs.
                    let reader = key.visibility == .anonymous ? nil : members[0].principal
                    let result = await self.resolver.resolve(members[0].plan, id: signal.id, visibility: key.visibility, as: reader)
                    self.deliver(result, to: members)
                }
            }
        }
        metrics.fanOutLatency.recordNanoseconds((ContinuousClock.now - started).wholeNanoseconds)
    }

    func resolve(_ request: GraphQLSupport.GraphQLRequest, as principal: Principal?) async -> ByteBuffer {
        metrics.resolutions.increment()
        return LiveResolver.encode(await executor.execute(request, info: GraphQLRequestInfo(principal: principal)))
    }

    /// Writes `result` to each subscriber: one task per event loop writes to all of its sockets.
    /// The `next` frame is built once per operation id on each loop (clients mostly number
    /// their operations alike) and the same bytes go to every socket.
    func deliver(_ result: ByteBuffer, to subscribers: [LiveSubscriber]) {
        var byLoop: [ObjectIdentifier: (any EventLoop, [LiveSubscriber])] = [:]
        for subscriber in subscribers {
            let loop = subscriber.sink.eventLoop
            byLoop[ObjectIdentifier(loop), default: (loop, [])].1.append(subscriber)
        }
        for (loop, members) in byLoop.values {
            loop.execute {
                var frames: [String: ByteBuffer] = [:]
                let allocator = ByteBufferAllocator()
                // Most subscribers of a group number the operation alike: compared, not hashed.
                var last: (id: String, frame: ByteBuffer)?
                for member in members {
                    let frame: ByteBuffer
                    if let last, last.id == member.id {
                        frame = last.frame
                    } else if let built = frames[member.id] {
                        frame = built
                        last = (member.id, built)
                    } else {
                        frame = ServerFrames.text(.next(id: member.id, result: result), allocator: allocator)
                        // Bounded: ids all different would otherwise keep a frame each.
                        if frames.count < Self.sharedFramesPerLoop { frames[member.id] = frame }
                        last = (member.id, frame)
                    }
                    member.sink.deliverOnLoop(frame, operation: member.id)
                }
            }
        }
        metrics.messagesOut.increment(by: subscribers.count)
    }

    static let sharedFramesPerLoop = 64

    /// Sends what a `since` subscriber missed, page by page from the database, then what arrived
    /// meanwhile, then lets it go live.
    public func replay(_ subscriber: LiveSubscriber) async {
        var after = subscriber.plan.since ?? 0
        while true {
            guard let request = subscriber.plan.replayRequest(after: after) else { break }
            let outcome = await executor.execute(request, info: GraphQLRequestInfo(principal: subscriber.principal))
            guard outcome.kind == .executed, let items = outcome.data?[subscriber.plan.responseKey].array else {
                logger.warning("replay failed; the subscriber continues live", metadata: ["errors": "\(outcome.errors.map(\.message))"])
                break
            }
            for item in items {
                guard case .dictionary(var fields) = item, let offset = fields[LivePlan.offsetAlias]?.int else { continue }
                fields[LivePlan.offsetAlias] = nil
                var data = OrderedDictionary<String, Map>()
                data[subscriber.plan.responseKey] = .dictionary(fields)
                deliver(ByteBuffer(bytes: JSONMap.encode(["data": .dictionary(data)])), to: [subscriber])
                subscriber.replayed(upTo: Int64(offset))
                after = offset
            }
            if items.count < LivePlan.replayPage { break }
        }
        while true {
            let kept = subscriber.takeKept()
            if kept.isEmpty { return }
            for signal in kept {
                deliver(await resolve(subscriber.plan.request(for: signal.id), as: subscriber.principal), to: [subscriber])
            }
        }
    }
}
