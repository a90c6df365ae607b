import NIOCore
import Testing
@testable import Redis

/// Pure tests of the connection protocol logic: events in, actions out.
struct RedisConnectionStateMachineTests {
    typealias Machine = RedisConnectionStateMachine<Int>

    static func settings(
        _ version: RedisConfiguration.ProtocolVersion = .resp3, username: String? = nil, password: String? = nil,
        database: Int = 0, name: String? = nil
    ) -> Machine.Settings {
        Machine.Settings(protocolVersion: version, username: username, password: password, database: database, clientName: name)
    }

    static func ok() -> RESPValue { .simpleString(ByteBuffer(string: "OK")) }
    static func error(_ text: String) -> RESPValue { .simpleError(ByteBuffer(string: text)) }

    static func sentCommand(_ action: Machine.Action) -> RESPCommand? {
        if case .sendHandshake(let command) = action { return command }
        return nil
    }

    static func readyMachine() -> Machine {
        var machine = Machine(settings: settings())
        _ = machine.connected()
        _ = machine.received(.map([:]))
        return machine
    }

    @Test
    func resp3HandshakeSendsHelloWithAuthAndNameThenSelect() {
        var machine = Machine(settings: Self.settings(username: "app", password: "s3cret", database: 2, name: "emporium"))
        let hello = Self.sentCommand(machine.connected())
        #expect(hello == RESPCommand("HELLO", "3", "AUTH", "app", "s3cret", "SETNAME", "emporium"))
        let select = Self.sentCommand(machine.received(.map([.bulkString(ByteBuffer(string: "version")): .bulkString(ByteBuffer(string: "7.2.0"))])))
        #expect(select == RESPCommand("SELECT", "2"))
        guard case .handshakeSucceeded(let result) = machine.received(Self.ok()) else {
            Issue.record("handshake did not succeed")
            return
        }
        #expect(result == .init(protocolVersion: .resp3, serverVersion: "7.2.0"))
    }

    @Test
    func passwordWithoutUserAuthenticatesAsDefault() {
        var machine = Machine(settings: Self.settings(password: "pw"))
        #expect(Self.sentCommand(machine.connected()) == RESPCommand("HELLO", "3", "AUTH", "default", "pw"))
    }

    @Test
    func fallsBackToResp2WhenHelloIsUnknown() {
        var machine = Machine(settings: Self.settings(username: "app", password: "pw", database: 1))
        _ = machine.connected()
        let auth = Self.sentCommand(machine.received(Self.error("ERR unknown command 'HELLO', with args beginning with: '3'")))
        #expect(auth == RESPCommand("AUTH", "app", "pw"))
        #expect(Self.sentCommand(machine.received(Self.ok())) == RESPCommand("SELECT", "1"))
        guard case .handshakeSucceeded(let result) = machine.received(Self.ok()) else {
            Issue.record("handshake did not succeed")
            return
        }
        #expect(result.protocolVersion == .resp2)
    }

    @Test
    func fallsBackToResp2OnNoproto() {
        var machine = Machine(settings: Self.settings())
        _ = machine.connected()
        guard case .handshakeSucceeded(let result) = machine.received(Self.error("NOPROTO unsupported protocol version")) else {
            Issue.record("expected success on RESP2")
            return
        }
        #expect(result.protocolVersion == .resp2)
    }

    @Test
    func resp2ModeNeverSendsHello() {
        var machine = Machine(settings: Self.settings(.resp2, password: "pw"))
        #expect(Self.sentCommand(machine.connected()) == RESPCommand("AUTH", "pw"))
        guard case .handshakeSucceeded = machine.received(Self.ok()) else {
            Issue.record("handshake did not succeed")
            return
        }
    }

    @Test
    func noHandshakeNeededOnResp2WithoutAuth() {
        var machine = Machine(settings: Self.settings(.resp2))
        guard case .handshakeSucceeded = machine.connected() else {
            Issue.record("expected immediate success")
            return
        }
    }

    @Test
    func wrongPasswordFailsTheHandshake() {
        var machine = Machine(settings: Self.settings(password: "bad"))
        _ = machine.connected()
        guard case .closeConnection(let error, let failing) = machine.received(Self.error("WRONGPASS invalid username-password pair")) else {
            Issue.record("expected close")
            return
        }
        #expect(error.code == .authenticationFailed)
        #expect(failing.isEmpty)
        #expect(!error.description.contains("invalid username-password"), "description must not leak server details")
        #expect(error.debugDescription.contains("WRONGPASS"))
    }

    @Test
    func repliesCompleteRequestsInOrderAndPipelinesCollectAll() {
        var machine = Self.readyMachine()
        _ = machine.write(1, encoded: ByteBuffer(), expectedReplies: 1, deadline: nil)
        _ = machine.write(2, encoded: ByteBuffer(), expectedReplies: 3, deadline: nil)
        guard case .succeed(1, let first) = machine.received(.integer(10)) else {
            Issue.record("request 1 not completed")
            return
        }
        #expect(first == [.integer(10)])
        guard case .none = machine.received(.integer(20)) else { Issue.record("completed early"); return }
        guard case .none = machine.received(Self.error("ERR x")) else { Issue.record("completed early"); return }
        guard case .succeed(2, let replies) = machine.received(.null) else {
            Issue.record("request 2 not completed")
            return
        }
        #expect(replies == [.integer(20), Self.error("ERR x"), .null])
        #expect(machine.inFlightCount == 0)
    }

    @Test
    func pushesDoNotConsumeReplies() {
        var machine = Self.readyMachine()
        _ = machine.write(1, encoded: ByteBuffer(), expectedReplies: 1, deadline: nil)
        let push = RESPValue.push([.bulkString(ByteBuffer(string: "message")), .bulkString(ByteBuffer(string: "c")), .bulkString(ByteBuffer(string: "p"))])
        guard case .forwardPush(push) = machine.received(push) else { Issue.record("push not forwarded"); return }
        guard case .succeed(1, _) = machine.received(Self.ok()) else { Issue.record("reply lost"); return }
    }

    @Test
    func resp2SubscriberTreatsPubSubArraysAsPushes() {
        var machine = Machine(settings: Self.settings(.resp2))
        machine.isSubscriber = true
        _ = machine.connected()
        let message = RESPValue.array([.bulkString(ByteBuffer(string: "message")), .bulkString(ByteBuffer(string: "c")), .bulkString(ByteBuffer(string: "p"))])
        guard case .forwardPush(message) = machine.received(message) else { Issue.record("not forwarded"); return }
    }

    @Test
    func unsolicitedReplyIsAProtocolViolation() {
        var machine = Self.readyMachine()
        guard case .closeConnection(let error, _) = machine.received(Self.ok()) else { Issue.record("expected close"); return }
        #expect(error.code == .protocolViolation)
    }

    @Test
    func timeoutClosesTheConnectionAndFailsEverythingInFlight() {
        var machine = Self.readyMachine()
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        guard case .writeAndScheduleTimeout(_, let deadline) = machine.write(1, encoded: ByteBuffer(), expectedReplies: 1, deadline: start + .seconds(1)) else {
            Issue.record("timer not armed")
            return
        }
        #expect(deadline == start + .seconds(1))
        guard case .write = machine.write(2, encoded: ByteBuffer(), expectedReplies: 1, deadline: start + .seconds(2)) else {
            Issue.record("second write should not arm a second timer")
            return
        }
        // Request 1 answered in time: the timer fires and re-arms for request 2.
        _ = machine.received(Self.ok())
        guard case .scheduleTimeout(let next) = machine.timeoutFired(now: start + .seconds(1)) else { Issue.record("not re-armed"); return }
        #expect(next == start + .seconds(2))
        guard case .closeConnection(let error, let failing) = machine.timeoutFired(now: start + .seconds(2)) else {
            Issue.record("expected close")
            return
        }
        #expect(error.code == .timeout)
        #expect(failing == [2])
    }

    @Test
    func closeFailsInFlightRequestsAndLaterWrites() {
        var machine = Self.readyMachine()
        _ = machine.write(1, encoded: ByteBuffer(), expectedReplies: 1, deadline: nil)
        _ = machine.write(2, encoded: ByteBuffer(), expectedReplies: 1, deadline: nil)
        guard case .failAll(let error, let failing) = machine.closed() else { Issue.record("expected failAll"); return }
        #expect(error.code == .connectionClosed)
        #expect(failing == [1, 2])
        guard case .fail(3, let late) = machine.write(3, encoded: ByteBuffer(), expectedReplies: 1, deadline: nil) else {
            Issue.record("late write accepted")
            return
        }
        #expect(late.code == .connectionUnavailable)
    }
}
