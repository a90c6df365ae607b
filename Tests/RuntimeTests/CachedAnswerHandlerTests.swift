import Caching
import Foundation
import GraphQL
import GraphQLSupport
import HTTPTypes
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
@testable import Runtime
import Synchronization
import Testing

/// The single node's cached answers on the event loop: what is answered there, what is passed
/// on to Hummingbird untouched, and that answers keep the order of the requests.
@Suite struct CachedAnswerHandlerTests {
    static let query = "query($s: String!) { productBySlug(slug: $s) { title } }"

    final class Observer: GraphQLRequestObserver {
        let slugs = Mutex<[String]>([])
        func answered(_ request: GraphQLSupport.GraphQLRequest) { slugs.withLock { $0.append(request.variables["s"]?.string ?? "?") } }
    }

    let cache = ResponseCache(invalidation: InMemoryTagInvalidation(), logger: Logger(label: "test"))
    let observer = Observer()

    func body(_ slug: String) -> ByteBuffer {
        ByteBuffer(string: #"{"query":"\#(Self.query)","variables":{"s":"\#(slug)"}}"#)
    }

    /// Stores `answer` for the POST of `slug`, as the router's path does after executing it.
    func store(_ slug: String, answer: String) async throws {
        let key = ResponseCache.Key(try GraphQLSupport.GraphQLRequest.decodePOST(body: Data(body(slug).readableBytesView), contentType: "application/json"))
        guard case .miss(let position?) = await cache.lookup(key) else { Issue.record("expected a miss"); return }
        await cache.store(key, body: ByteBuffer(string: answer), tags: ["product:\(slug)"], maxAge: .seconds(60), since: position)
    }

    func channel() throws -> EmbeddedChannel {
        let handler = CachedAnswerHandler(answers: CachedAnswers(responseCache: cache, observers: [observer]), serverName: "emporium", metrics: HTTPRequestMetrics())
        return EmbeddedChannel(handler: handler)
    }

    func post(_ channel: EmbeddedChannel, _ slug: String, path: String = "/graphql", method: HTTPRequest.Method = .post, fields: HTTPFields = [:]) throws {
        var headers: HTTPFields = [.contentType: "application/json"]
        for field in fields { headers[field.name] = field.value }
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: method, scheme: nil, authority: nil, path: path, headerFields: headers)))
        try channel.writeInbound(HTTPRequestPart.body(body(slug)))
        try channel.writeInbound(HTTPRequestPart.end(nil))
    }

    /// The parts passed on to Hummingbird: (method, path) of each head, and the bodies' text.
    func passedOn(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let part = try channel.readInbound(as: HTTPRequestPart.self) {
            switch part {
            case .head(let head): parts.append("head \(head.method) \(head.path ?? "")")
            case .body(let body): parts.append("body \(body.readableBytes)")
            case .end: parts.append("end")
            }
        }
        return parts
    }

    /// The answers written here: status, headers and body of each.
    func written(_ channel: EmbeddedChannel) throws -> [(head: HTTPResponse, body: String)] {
        var answers: [(HTTPResponse, String)] = []
        var head: HTTPResponse?
        var text = ""
        while let part = try channel.readOutbound(as: HTTPResponsePart.self) {
            switch part {
            case .head(let value): head = value; text = ""
            case .body(let body): text += String(buffer: body)
            case .end: if let head { answers.append((head, text)) }
            }
        }
        return answers
    }

    @Test func aCachedAnswerIsWrittenOnTheLoopWithTheRoutersHeaders() async throws {
        try await store("lamp", answer: #"{"data":{"productBySlug":{"title":"Lamp"}}}"#)
        let channel = try channel()
        try post(channel, "lamp", fields: [.accept: "Application/GraphQL-Response+JSON"])
        #expect(try passedOn(channel).isEmpty)
        let answers = try written(channel)
        try #require(answers.count == 1)
        let head = answers[0].head
        #expect(head.status == .ok)
        #expect(answers[0].body == #"{"data":{"productBySlug":{"title":"Lamp"}}}"#)
        #expect(head.headerFields[.contentLength] == String(answers[0].body.utf8.count))
        #expect(head.headerFields[.contentType] == "application/graphql-response+json; charset=utf-8")
        #expect(head.headerFields[HTTPField.Name("Emporium-Cache")!] == "hit")
        #expect(head.headerFields[.age] == "0")
        #expect(head.headerFields[.server] == "emporium")
        #expect(head.headerFields[.date]?.hasSuffix(" GMT") == true)
        // A cached read is a read: the view counters hear of it.
        #expect(observer.slugs.withLock { $0 } == ["lamp"])
    }

    @Test func whatTheCacheDoesNotHoldGoesToHummingbirdUntouched() async throws {
        try await store("lamp", answer: "{}")
        let cases: [(slug: String, path: String, method: HTTPRequest.Method, fields: HTTPFields)] = [
            ("chair", "/graphql", .post, [:]),  // not cached
            ("lamp", "/graphql", .post, [.authorization: "Bearer x"]),
            ("lamp", "/graphql", .post, [.connection: "close"]),
            ("lamp", "/graphql", .post, [.expect: "100-continue"]),
            ("lamp", "/graphql?x=1", .post, [:]),
            ("lamp", "/health/live", .post, [:]),
            ("lamp", "/graphql", .put, [:]),
            ("lamp", "/graphql", .post, [.contentType: "text/plain"]),
        ]
        for request in cases {
            let channel = try channel()
            try post(channel, request.slug, path: request.path, method: request.method, fields: request.fields)
            #expect(try passedOn(channel) == ["head \(request.method) \(request.path)", "body \(body(request.slug).readableBytes)", "end"], "\(request)")
            #expect(try written(channel).isEmpty, "\(request)")
        }
        #expect(observer.slugs.withLock { $0 }.isEmpty)
    }

    @Test func answersKeepTheOrderOfPipelinedRequests() async throws {
        try await store("lamp", answer: "lamp")
        let channel = try channel()
        try post(channel, "chair")  // a miss: Hummingbird's
        try post(channel, "lamp")   // cached, but behind the chair: Hummingbird's too
        #expect(try passedOn(channel).filter { $0.hasPrefix("head") }.count == 2)
        #expect(try written(channel).isEmpty)
        // Hummingbird answers both, in order.
        for text in ["chair", "lamp"] {
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
            try channel.writeOutbound(HTTPResponsePart.body(ByteBuffer(string: text)))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
        }
        #expect(try written(channel).map(\.body) == ["chair", "lamp"])
        // Nothing outstanding: the next cached request is answered here.
        try post(channel, "lamp")
        #expect(try passedOn(channel).isEmpty)
        #expect(try written(channel).map(\.body) == ["lamp"])
    }

    @Test func aBodyOverTheLimitIsPassedOnWholeForHummingbirdToRefuse() async throws {
        let channel = try channel()
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/graphql", headerFields: [.contentType: "application/json"])))
        let piece = ByteBuffer(repeating: UInt8(ascii: " "), count: 300_000)
        for _ in 0..<5 { try channel.writeInbound(HTTPRequestPart.body(piece)) }
        try channel.writeInbound(HTTPRequestPart.end(nil))
        let parts = try passedOn(channel)
        // Held until it passed the limit (4 × 300,000 bytes), then passed on, and the rest as it came.
        #expect(parts == ["head POST /graphql", "body 1200000", "body 300000", "end"])
        #expect(try written(channel).isEmpty)
    }

    @Test func malformedOrUnreadableBodiesAreHummingbirdsToAnswer() async throws {
        let channel = try channel()
        for text in ["", "{", #"{"query": 1}"#, String(repeating: "[", count: 10_000)] {
            try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/graphql", headerFields: [.contentType: "application/json"])))
            if !text.isEmpty { try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: text))) }
            try channel.writeInbound(HTTPRequestPart.end(nil))
            #expect(try passedOn(channel).first == "head POST /graphql")
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .badRequest)))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
        }
    }

    /// Bodies are remembered by their bytes: repeated ones are answered from the memo, each with
    /// its own answer and its own observed variables.
    @Test func repeatedBodiesGetTheirOwnAnswers() async throws {
        try await store("lamp", answer: "lamp")
        try await store("chair", answer: "chair")
        let answers = CachedAnswers(responseCache: cache, observers: [observer])
        let headers: HTTPFields = [.contentType: "application/json"]
        for _ in 0..<3 {
            #expect(answers.answer(headers: headers, body: body("lamp")).map { String(buffer: $0.body) } == "lamp")
            #expect(answers.answer(headers: headers, body: body("chair")).map { String(buffer: $0.body) } == "chair")
            #expect(answers.answer(headers: headers, body: body("table")) == nil)
        }
        #expect(answers.answer(headers: [.contentType: "text/plain"], body: body("lamp")) == nil, "the media type is part of what is remembered")
        #expect(observer.slugs.withLock { $0 } == ["lamp", "chair", "lamp", "chair", "lamp", "chair"])
    }

    @Test func theDateHeaderIsAnIMFFixdate() {
        #expect(HTTPDate.format(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(1_796_447_400) == "Sat, 05 Dec 2026 05:10:00 GMT")
    }
}
