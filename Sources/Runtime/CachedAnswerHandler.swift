import GraphQLSupport
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers, on the connection's event loop, the anonymous `POST /graphql` requests whose answer
/// the response cache holds, before they reach Hummingbird: no task, no router, no middleware. A cached
/// product page is the edge's most common answer, and Hummingbird's own path for a fixed answer
/// cost more than the whole lookup (docs/BENCHMARKS.md, #14).
///
/// Sits between the HTTP codec and Hummingbird's connection handler. A request that may be
/// cached is held until its body has arrived; if ``CachedAnswers`` has its answer it is written
/// here, otherwise the request is passed on unchanged and Hummingbird answers it as always.
/// Requests are answered in order: while a request passed on has not been answered (a client
/// pipelining), every later one is passed on too.
///
/// Left to Hummingbird: anything but `POST /graphql`, `Connection: close` (Hummingbird closes
/// after the answer), `Expect: 100-continue` (the client waits for the interim answer), and a
/// body over ``GraphQLRequest/maximumBodyBytes`` (Hummingbird refuses it with its 413).
final class CachedAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        /// Between requests.
        case idle
        /// A request that may be cached: its head and the body so far.
        case holding(HTTPRequest, ByteBuffer?)
        /// The current request goes to Hummingbird, part by part.
        case passing
    }

    private let answers: CachedAnswers
    private let path: String
    private let serverName: String?
    private let metrics: HTTPRequestMetrics
    private var state = State.idle
    /// Requests passed on whose answer has not been written completely.
    private var unanswered = 0

    init(answers: CachedAnswers, path: String = "/graphql", serverName: String?, metrics: HTTPRequestMetrics) {
        self.answers = answers
        self.path = path
        self.serverName = serverName
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), _):
            if unanswered == 0, mayBeCached(head) {
                state = .holding(head, nil)
            } else {
                passOn(context, .head(head))
                state = .passing
            }
        case (.body(let part), .holding(let head, let held)):
            var body = held ?? context.channel.allocator.buffer(capacity: part.readableBytes)
            body.writeImmutableBuffer(part)
            if body.readableBytes > GraphQLRequest.maximumBodyBytes {
                passOn(context, .head(head))
                context.fireChannelRead(wrapInboundOut(.body(body)))
                state = .passing
            } else {
                state = .holding(head, body)
            }
        case (.end(let trailers), .holding(let head, let body)):
            state = .idle
            let started = ContinuousClock.now
            if trailers == nil, let (answer, answerBody) = answers.answer(headers: head.headerFields, body: body ?? ByteBuffer()) {
                write(context, answer, answerBody)
                metrics.record(route: path, method: .post, status: answer.status.code, since: started)
            } else {
                passOn(context, .head(head))
                if let body { context.fireChannelRead(wrapInboundOut(.body(body))) }
                context.fireChannelRead(wrapInboundOut(.end(trailers)))
            }
        case (.end, _):
            state = .idle
            context.fireChannelRead(data)
        case (.body, _):
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { unanswered -= 1 }
        context.write(data, promise: promise)
    }

    private func passOn(_ context: ChannelHandlerContext, _ head: HTTPRequestPart) {
        unanswered += 1
        context.fireChannelRead(wrapInboundOut(head))
    }

    private func mayBeCached(_ head: HTTPRequest) -> Bool {
        head.method == .post && head.path == path
            && head.headerFields[.authorization] == nil
            && head.headerFields[.expect] == nil
            && (head.headerFields[.connection].map { $0.lowercased() != "close" } ?? true)
    }

    private func write(_ context: ChannelHandlerContext, _ answer: HTTPResponse, _ body: ByteBuffer) {
        var head = answer
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[.date] = HTTPDate.now
        if let serverName { head.headerFields[.server] = serverName }
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
