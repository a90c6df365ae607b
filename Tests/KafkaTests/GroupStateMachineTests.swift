import NIOCore
import Testing

@testable import Kafka

@Suite struct GroupStateMachineTests {
    let tp0 = TopicPartition(topic: "t", partition: 0)
    let tp1 = TopicPartition(topic: "t", partition: 1)

    private func join(_ code: Int16, member: String, leader: String = "", generation: Int32 = -1, members: [JoinGroupRequest.Member] = []) -> JoinGroupRequest.Response {
        .init(throttleTimeMs: 0, errorCode: code, generationID: generation, protocolName: "range", leader: leader, memberID: member, members: members)
    }

    /// An arbitrary starting time; the machine only compares instants it is given.
    let t0 = ContinuousClock.now

    /// Drives a fresh machine to a stable generation 1 with `tp0`, `tp1`.
    private func stable(_ machine: GroupStateMachine = GroupStateMachine()) -> GroupStateMachine {
        var m = machine
        _ = m.start(at: t0)
        _ = m.coordinatorFound()
        _ = m.joinCompleted(join(79, member: "m1"))
        _ = m.joinCompleted(join(0, member: "m1", leader: "m2", generation: 1))
        _ = m.syncCompleted(errorCode: 0, assignment: [tp0, tp1])
        return m
    }

    @Test func twoStepJoinAsLeader() {
        var m = GroupStateMachine()
        #expect(m.start(at: t0) == .findCoordinator(after: .zero))
        #expect(m.coordinatorFound() == .join(memberID: "", after: .zero))
        // First JoinGroup: the coordinator hands out the member id.
        #expect(m.joinCompleted(join(79, member: "m1")) == .join(memberID: "m1", after: .zero))
        #expect(m.state == .joining(memberID: "m1"))
        let members = [JoinGroupRequest.Member(memberID: "m1", groupInstanceID: nil, metadata: ByteBuffer())]
        #expect(m.joinCompleted(join(0, member: "m1", leader: "m1", generation: 1, members: members))
            == .syncAsLeader(memberID: "m1", generation: 1, strategy: .range, members: members))
        #expect(m.syncCompleted(errorCode: 0, assignment: [tp0]) == .assign([tp0], memberID: "m1", generation: 1))
        #expect(m.state == .stable(memberID: "m1", generation: 1, assignment: [tp0]))
        #expect(m.idle(at: t0) == .heartbeat(memberID: "m1", generation: 1))
        #expect(m.groupResponse(errorCode: 0, generation: 1) == .none)
    }

    @Test func followerSyncsWithoutAssignments() {
        var m = GroupStateMachine()
        _ = m.start(at: t0)
        _ = m.coordinatorFound()
        _ = m.joinCompleted(join(79, member: "m2"))
        #expect(m.joinCompleted(join(0, member: "m2", leader: "m1", generation: 4)) == .syncAsFollower(memberID: "m2", generation: 4))
    }

    @Test func rebalanceDuringFetchDiscardsTheFetch() {
        var m = stable()
        // A fetch goes out under generation 1 ...
        #expect(m.mayDeliver(fetchedIn: 1))
        // ... and while it is in flight a heartbeat learns of a rebalance.
        #expect(m.groupResponse(errorCode: 27, generation: 1) == .revoke([tp0, tp1], then: .join(memberID: "m1", after: .zero)))
        #expect(!m.mayDeliver(fetchedIn: 1))
        // Rejoin gets generation 2 with one partition; generation 1's fetch stays unwanted.
        _ = m.joinCompleted(join(0, member: "m1", leader: "m2", generation: 2))
        #expect(m.syncCompleted(errorCode: 0, assignment: [tp1]) == .assign([tp1], memberID: "m1", generation: 2))
        #expect(!m.mayDeliver(fetchedIn: 1))
        #expect(m.mayDeliver(fetchedIn: 2))
    }

    @Test func staleResponsesAreIgnored() {
        var m = stable()
        #expect(m.groupResponse(errorCode: 27, generation: 0) == .none)
        #expect(m.state == .stable(memberID: "m1", generation: 1, assignment: [tp0, tp1]))
        #expect(m.joinCompleted(join(0, member: "x", generation: 9)) == .none)
        #expect(m.syncCompleted(errorCode: 0, assignment: []) == .none)
    }

    @Test func unknownMemberRejoinsWithEmptyID() {
        var m = stable()
        #expect(m.groupResponse(errorCode: 25, generation: 1) == .revoke([tp0, tp1], then: .join(memberID: "", after: .zero)))
        #expect(m.state == .joining(memberID: ""))
    }

    @Test func illegalGenerationOnCommitRejoinsWithSameID() {
        var m = stable(GroupStateMachine(heartbeatInterval: .seconds(3), autoCommitInterval: .seconds(1)))
        _ = m.assignmentStarted(at: t0)
        #expect(m.idle(at: t0 + .seconds(1)) == .commit(memberID: "m1", generation: 1))
        #expect(m.groupResponse(errorCode: 22, generation: 1) == .revoke([tp0, tp1], then: .join(memberID: "m1", after: .zero)))
    }

    @Test func coordinatorMovedFindsItAgainWithBackoff() {
        var m = stable()
        #expect(m.groupResponse(errorCode: 16, generation: 1) == .revoke([tp0, tp1], then: .findCoordinator(after: .milliseconds(100))))
        #expect(m.state == .findingCoordinator(memberID: "m1"))
        #expect(m.coordinatorFound() == .join(memberID: "m1", after: .zero))
    }

    @Test func retriesBackOffExponentiallyAndCap() {
        var m = GroupStateMachine(retryBackoff: .milliseconds(100), maxRetryBackoff: .milliseconds(350))
        _ = m.start(at: t0)
        let error = KafkaError(.coordinatorNotAvailable)
        #expect(m.coordinatorFailed(error) == .findCoordinator(after: .milliseconds(100)))
        #expect(m.coordinatorFailed(error) == .findCoordinator(after: .milliseconds(200)))
        #expect(m.coordinatorFailed(error) == .findCoordinator(after: .milliseconds(350)))
    }

    @Test func fatalErrorsFail() {
        var m = GroupStateMachine()
        _ = m.start(at: t0)
        _ = m.coordinatorFound()
        #expect(m.joinCompleted(join(30, member: "")) == .fail(KafkaError(.groupAuthorizationFailed, detail: "JoinGroup")))
        #expect(m.state == .failed(KafkaError(.groupAuthorizationFailed, detail: "JoinGroup")))
    }

    @Test func connectionLossWhileStableRevokesAndRediscovers() {
        var m = stable()
        #expect(m.requestFailed(KafkaError(.connectionClosed)) == .revoke([tp0, tp1], then: .findCoordinator(after: .milliseconds(100))))
    }

    @Test func rebalanceDuringSyncRejoins() {
        var m = GroupStateMachine()
        _ = m.start(at: t0)
        _ = m.coordinatorFound()
        _ = m.joinCompleted(join(79, member: "m1"))
        _ = m.joinCompleted(join(0, member: "m1", leader: "m1", generation: 1))
        #expect(m.syncCompleted(errorCode: 27, assignment: []) == .join(memberID: "m1", after: .zero))
    }

    // MARK: Timers and next steps (decided here, executed by `ConsumerCore`)

    @Test func heartbeatsFollowTheAssignmentAtTheirInterval() {
        var m = stable(GroupStateMachine(heartbeatInterval: .seconds(3), autoCommitInterval: nil))
        #expect(m.assignmentStarted(at: t0) == .none)
        #expect(m.idle(at: t0) == .wait(until: t0 + .seconds(3)))
        #expect(m.idle(at: t0 + .seconds(2)) == .wait(until: t0 + .seconds(3)))
        #expect(m.idle(at: t0 + .seconds(3)) == .heartbeat(memberID: "m1", generation: 1))
        // The next one is an interval after the heartbeat was sent, not after it was due.
        #expect(m.idle(at: t0 + .seconds(3)) == .wait(until: t0 + .seconds(6)))
        #expect(m.idle(at: t0 + .seconds(7)) == .heartbeat(memberID: "m1", generation: 1))
        #expect(m.idle(at: t0 + .seconds(7)) == .wait(until: t0 + .seconds(10)))
    }

    @Test func autoCommitRunsFromTheStartAndWaitsForTheEarlierTimer() {
        // Auto-commit counts from `start`, heartbeats from the assignment.
        var m = stable(GroupStateMachine(heartbeatInterval: .seconds(3), autoCommitInterval: .seconds(5)))
        _ = m.assignmentStarted(at: t0 + .seconds(1))
        #expect(m.idle(at: t0 + .seconds(1)) == .wait(until: t0 + .seconds(4)))
        #expect(m.idle(at: t0 + .seconds(4)) == .heartbeat(memberID: "m1", generation: 1))
        #expect(m.idle(at: t0 + .seconds(4)) == .wait(until: t0 + .seconds(5)))
        #expect(m.idle(at: t0 + .seconds(5)) == .commit(memberID: "m1", generation: 1))
        #expect(m.idle(at: t0 + .seconds(5)) == .wait(until: t0 + .seconds(7)))
        // Both due: the heartbeat goes first, the commit on the next call.
        #expect(m.idle(at: t0 + .seconds(11)) == .heartbeat(memberID: "m1", generation: 1))
        #expect(m.idle(at: t0 + .seconds(11)) == .commit(memberID: "m1", generation: 1))
        #expect(m.idle(at: t0 + .seconds(11)) == .wait(until: t0 + .seconds(14)))
    }

    @Test func withoutAutoCommitOnlyHeartbeatsAreDue() {
        var m = stable(GroupStateMachine(heartbeatInterval: .seconds(3), autoCommitInterval: nil))
        _ = m.assignmentStarted(at: t0)
        for second in [3, 6, 9, 12] {
            #expect(m.idle(at: t0 + .seconds(second)) == .heartbeat(memberID: "m1", generation: 1))
        }
    }

    @Test func assignmentStartedOutsideAStableGroupIsIgnored() {
        var m = GroupStateMachine(heartbeatInterval: .seconds(3))
        _ = m.start(at: t0)
        #expect(m.assignmentStarted(at: t0) == .none)
        #expect(m.state == .findingCoordinator(memberID: ""))
    }

    @Test func idleOutsideAStableGroupPicksMembershipUpAgain() {
        var m = GroupStateMachine()
        #expect(m.idle(at: t0) == .wait(until: t0 + GroupStateMachine.idleRetry))
        _ = m.start(at: t0)
        #expect(m.idle(at: t0) == .findCoordinator(after: GroupStateMachine.idleRetry))
        _ = m.coordinatorFound()
        _ = m.joinCompleted(join(79, member: "m1"))
        #expect(m.idle(at: t0) == .join(memberID: "m1", after: GroupStateMachine.idleRetry))
        #expect(m.state == .joining(memberID: "m1"))
    }

    @Test func revokingNamesTheStepAfterIt() {
        var m = stable()
        guard case .revoke(let partitions, let next) = m.groupResponse(errorCode: 27, generation: 1) else {
            Issue.record("a rebalance revokes first")
            return
        }
        #expect(partitions == [tp0, tp1])
        // The step after the revoke is the machine's own: a rejoin it is ready for.
        #expect(next == .join(memberID: "m1", after: .zero))
        #expect(m.joinCompleted(join(0, member: "m1", leader: "m1", generation: 2))
            == .syncAsLeader(memberID: "m1", generation: 2, strategy: .range, members: []))
    }

    @Test func leaderAssignsWithTheProtocolTheCoordinatorChose() {
        for (name, strategy) in [("roundrobin", KafkaAssignmentStrategy.roundRobin), ("range", .range), ("sticky", .range)] {
            var m = GroupStateMachine()
            _ = m.start(at: t0)
            _ = m.coordinatorFound()
            let response = JoinGroupRequest.Response(
                throttleTimeMs: 0, errorCode: 0, generationID: 1, protocolName: name, leader: "m1", memberID: "m1", members: [])
            #expect(m.joinCompleted(response) == .syncAsLeader(memberID: "m1", generation: 1, strategy: strategy, members: []),
                    "protocol \(name)")
        }
    }

    @Test func shutdownFromStableCommitsAndLeaves() {
        var m = stable()
        #expect(m.shutdown() == .leave(memberID: "m1", revoking: [tp0, tp1]))
        #expect(m.idle(at: t0) == .wait(until: t0 + GroupStateMachine.idleRetry), "no heartbeat while leaving")
        #expect(m.shutdown() == .none)
        #expect(m.leaveCompleted() == .finished)
        #expect(m.state == .left)
    }

    @Test func shutdownBeforeHavingAnIDJustFinishes() {
        var m = GroupStateMachine()
        _ = m.start(at: t0)
        #expect(m.shutdown() == .finished)
    }

    @Test func shutdownWhileJoiningLeaves() {
        var m = GroupStateMachine()
        _ = m.start(at: t0)
        _ = m.coordinatorFound()
        _ = m.joinCompleted(join(79, member: "m1"))
        #expect(m.shutdown() == .leave(memberID: "m1", revoking: []))
    }
}

@Suite struct AssignorTests {
    private func tps(_ topic: String, _ ps: [Int32]) -> [TopicPartition] { ps.map { TopicPartition(topic: topic, partition: $0) } }

    @Test func rangeMatchesJavaRangeAssignor() {
        // Java RangeAssignor: 3 partitions per topic over 2 members gives the first member 2 of each.
        let a = KafkaAssignmentStrategy.range.assign(subscriptions: ["c0": ["t0", "t1"], "c1": ["t0", "t1"]], partitionCounts: ["t0": 3, "t1": 3])
        #expect(a["c0"] == tps("t0", [0, 1]) + tps("t1", [0, 1]))
        #expect(a["c1"] == tps("t0", [2]) + tps("t1", [2]))
    }

    @Test func roundRobinMatchesJavaRoundRobinAssignor() {
        let a = KafkaAssignmentStrategy.roundRobin.assign(subscriptions: ["c0": ["t0", "t1"], "c1": ["t0", "t1"]], partitionCounts: ["t0": 3, "t1": 3])
        #expect(a["c0"] == tps("t0", [0, 2]) + tps("t1", [1]))
        #expect(a["c1"] == tps("t0", [1]) + tps("t1", [0, 2]))
    }

    @Test(arguments: KafkaAssignmentStrategy.allCases)
    func everyPartitionExactlyOnce(strategy: KafkaAssignmentStrategy) {
        let subs = ["a": ["x", "y"], "b": ["x"], "c": ["y", "z"]]
        let counts = ["x": 5, "y": 4, "z": 1]
        let a = strategy.assign(subscriptions: subs, partitionCounts: counts)
        let all = a.values.flatMap { $0 }
        #expect(all.count == 10)
        #expect(Set(all).count == 10)
        for (member, parts) in a { for p in parts { #expect(subs[member]!.contains(p.topic)) } }
    }

    @Test func moreMembersThanPartitions() {
        let a = KafkaAssignmentStrategy.range.assign(subscriptions: ["a": ["t"], "b": ["t"], "c": ["t"]], partitionCounts: ["t": 2])
        #expect(a["a"] == tps("t", [0]))
        #expect(a["b"] == tps("t", [1]))
        #expect(a["c"] == [])
    }
}
