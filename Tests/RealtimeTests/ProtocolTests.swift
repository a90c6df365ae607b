import EmporiumCore
import FanOut
import Foundation
import GraphQL
import Identity
import NIOCore
@testable import Realtime
import Testing

/// `graphql-transport-ws` as PROTOCOL.md of graphql-ws defines it, without sockets.
@Suite struct ClientMessageTests {
    func read(_ text: String) throws(ProtocolViolation) -> ClientMessage { try ClientMessage(json: Array(text.utf8)) }

    @Test func theProtocolsMessagesAreRead() throws {
        #expect(try read(#"{"type":"connection_init"}"#) == .connectionInit(payload: nil))
        #expect(try read(#"{"type":"connection_init","payload":{"authorization":"Bearer x"}}"#) == .connectionInit(payload: ["authorization": "Bearer x"]))
        #expect(try read(#"{"type":"ping","payload":null}"#) == .ping(payload: nil))
        #expect(try read(#"{"type":"pong"}"#) == .pong(payload: nil))
        #expect(try read(#"{"type":"complete","id":"1"}"#) == .complete(id: "1"))
        let subscribe = try read(#"{"type":"subscribe","id":"a","payload":{"query":"{ x }","operationName":null,"variables":{"n":3,"s":"t"}}}"#)
        #expect(subscribe == .subscribe(id: "a", payload: .init(query: "{ x }", variables: ["n": .int(3), "s": "t"])))
    }

    @Test(arguments: [
        "not json", "[]", #"{"id":"1"}"#, #"{"type":"hello"}"#, #"{"type":"subscribe","payload":{"query":"{ x }"}}"#,
        #"{"type":"subscribe","id":"","payload":{"query":"{ x }"}}"#, #"{"type":"subscribe","id":"1"}"#,
        #"{"type":"subscribe","id":"1","payload":{"query":3}}"#, #"{"type":"subscribe","id":"1","payload":{"query":"{x}","variables":[1]}}"#,
        #"{"type":"connection_init","payload":"token"}"#, #"{"type":"complete","id":7}"#,
    ])
    func malformedMessagesAreViolations(_ text: String) {
        #expect(throws: ProtocolViolation.self) { try read(text) }
    }

    @Test func longIdsAreRefused() {
        let id = String(repeating: "x", count: ClientMessage.maximumIDLength + 1)
        #expect(throws: ProtocolViolation.self) { try read(#"{"type":"complete","id":"\#(id)"}"#) }
    }

    @Test func serverMessagesAreTheProtocolsJSON() {
        func text(_ message: ServerMessage) -> String { String(buffer: message.encoded()) }
        #expect(text(.connectionAck) == #"{"type":"connection_ack"}"#)
        #expect(text(.pong) == #"{"type":"pong"}"#)
        #expect(text(.next(id: "q\"1", result: ByteBuffer(string: #"{"data":{}}"#))) == #"{"type":"next","id":"q\"1","payload":{"data":{}}}"#)
        #expect(text(.complete(id: "a\nb")) == #"{"type":"complete","id":"a\nb"}"#)
        #expect(text(.error(id: "1", errors: ByteBuffer(string: "[]"))) == #"{"type":"error","id":"1","payload":[]}"#)
    }
}

@Suite struct ConnectionStateMachineTests {
    typealias Machine = ConnectionStateMachine
    let seller = Principal(userID: UserID("seller-1"), roles: [.seller])

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    func ready(_ principal: Principal? = nil) -> Machine {
        var machine = Machine(maximumOperations: 2)
        _ = machine.received(text: bytes(#"{"type":"connection_init"}"#))
        _ = machine.authenticated(principal, until: nil)
        return machine
    }

    func subscribe(_ id: String) -> [UInt8] { bytes(#"{"type":"subscribe","id":"\#(id)","payload":{"query":"subscription { x }"}}"#) }

    @Test func initAuthenticatesThenAcknowledges() {
        var machine = Machine()
        #expect(machine.received(text: bytes(#"{"type":"connection_init","payload":{"token":"t"}}"#)) == [.authenticate(payload: ["token": "t"])])
        let expiry = Date(timeIntervalSince1970: 2_000_000_000)
        #expect(machine.authenticated(seller, until: expiry) == [.send(.connectionAck), .expire(at: expiry)])
        #expect(machine.received(text: subscribe("1")) == [.start(id: "1", payload: .init(query: "subscription { x }"), principal: seller)])
    }

    @Test func pingIsAnsweredAtAnyTime() {
        var machine = Machine()
        #expect(machine.received(text: bytes(#"{"type":"ping"}"#)) == [.send(.pong)])
        #expect(machine.received(text: bytes(#"{"type":"pong"}"#)) == [])
    }

    @Test func subscribingBeforeTheAcknowledgementIs4401() {
        var machine = Machine()
        #expect(machine.received(text: subscribe("1")) == [.close(.unauthorized, reason: "Unauthorized")])
        var authenticating = Machine()
        _ = authenticating.received(text: bytes(#"{"type":"connection_init"}"#))
        #expect(authenticating.received(text: subscribe("1")) == [.close(.unauthorized, reason: "Unauthorized")])
    }

    @Test func aSecondInitIs4429() {
        var machine = ready()
        #expect(machine.received(text: bytes(#"{"type":"connection_init"}"#)) == [.close(.tooManyInitRequests, reason: "Too many initialisation requests")])
        #expect(machine.isClosed)
        #expect(machine.received(text: bytes(#"{"type":"ping"}"#)) == [])
    }

    @Test func aDuplicateIdIs4409AndStopsWhatRuns() {
        var machine = ready()
        _ = machine.received(text: subscribe("1"))
        #expect(machine.received(text: subscribe("1")) == [.stop(id: "1"), .close(.subscriberExists, reason: "Subscriber for 1 already exists")])
    }

    @Test func noInitInTimeIs4408() {
        var machine = Machine()
        #expect(machine.initTimedOut() == [.close(.initTimeout, reason: "Connection initialisation timeout")])
        var initialised = ready()
        #expect(initialised.initTimedOut() == [])
    }

    @Test func refusedAndExpiredTokensAre4403() {
        var machine = Machine()
        _ = machine.received(text: bytes(#"{"type":"connection_init"}"#))
        #expect(machine.authenticationFailed(reason: "bad signature") == [.close(.forbidden, reason: "Forbidden: bad signature")])
        var live = ready(seller)
        _ = live.received(text: subscribe("a"))
        #expect(live.tokenExpired() == [.stop(id: "a"), .close(.forbidden, reason: "Forbidden: the token expired; reconnect with a fresh one")])
    }

    @Test func invalidMessagesAndBinaryFramesAre4400() {
        var machine = ready()
        #expect(machine.received(text: bytes("{")) == [.close(.badRequest, reason: "Invalid message: not a JSON object")])
        var binary = ready()
        #expect(binary.receivedBinary().first == .close(.badRequest, reason: "Invalid message: binary frames are not part of the protocol"))
    }

    @Test func completeStopsAndOperationsEndWithCompleteOrError() {
        var machine = ready()
        _ = machine.received(text: subscribe("1"))
        _ = machine.received(text: subscribe("2"))
        #expect(machine.received(text: bytes(#"{"type":"complete","id":"1"}"#)) == [.stop(id: "1")])
        #expect(machine.received(text: bytes(#"{"type":"complete","id":"1"}"#)) == [])
        #expect(machine.operationCompleted("2") == [.send(.complete(id: "2"))])
        #expect(machine.operations.isEmpty)
        _ = machine.received(text: subscribe("3"))
        let errors = ByteBuffer(string: "[]")
        #expect(machine.operationFailed("3", errors: errors) == [.send(.error(id: "3", errors: errors))])
        // A result for an operation the client already completed is not sent.
        #expect(machine.operationCompleted("3") == [])
    }

    @Test func tooManyOperationsAreRefusedOneByOne() {
        var machine = ready()
        _ = machine.received(text: subscribe("1"))
        _ = machine.received(text: subscribe("2"))
        guard case .send(.error(let id, _))? = machine.received(text: subscribe("3")).first else {
            Issue.record("the third operation was not refused")
            return
        }
        #expect(id == "3")
        #expect(!machine.isClosed)
    }

    @Test func slowClientsAre4499AndDisconnectionStopsEverything() {
        var machine = ready()
        _ = machine.received(text: subscribe("1"))
        #expect(machine.clientTooSlow(pending: 257) == [.stop(id: "1"), .close(.tooSlow, reason: "Terminated: 257 messages waiting; the client reads too slowly")])
        var other = ready()
        _ = other.received(text: subscribe("b"))
        _ = other.received(text: subscribe("a"))
        #expect(other.disconnected() == [.stop(id: "a"), .stop(id: "b")])
    }

    @Test func aChattyClientIsAPolicyViolation() {
        var machine = ready()
        _ = machine.received(text: subscribe("1"))
        #expect(machine.clientTooChatty(limit: 100) == [.stop(id: "1"), .close(.policyViolation, reason: "Too many messages: at most 100 per second")])
        #expect(machine.clientTooChatty(limit: 100) == [])
    }

    @Test func closeReasonsFitTheFrame() {
        let reason = ConnectionStateMachine.closeReason(String(repeating: "я", count: 100))
        #expect(reason.utf8.count <= 120)
        #expect(reason.allSatisfy { $0 == "я" })
    }
}
