import EmporiumCore
import GraphQLExecution
import GraphQL
import GraphQLSupport
import Logging
import Testing

/// Unexpected failures reach the client as a code, a generic message and a request id; the
/// detail reaches only the log line that carries the same id.
@Suite struct InternalErrorTests {
    struct Context: Sendable {}

    struct Secret: Error, CustomStringConvertible { var description: String { "password=hunter2" } }

    func endpoint(logger: Logger) throws -> SchemaEndpoint<Context> {
        var resolvers = SchemaResolvers<Context>()
        resolvers.query { query in
            query.field("secret", async: { _, _, _ -> String in throw Secret() })
            // Domain code for "our bug": its message is written for operators.
            query.field("corrupt", async: { _, _, _ -> String in
                throw EmporiumError(.internalError, "stored slug 'acme--x' in catalog.products is malformed")
            })
            query.field("refused", async: { _, _, _ -> String in
                throw EmporiumError.badInput("the title must not be empty", field: "input.title")
            })
        }
        let schema = try ExecutableSchema(sdl: "type Query { secret: String corrupt: String refused: String }", resolvers: resolvers)
        return SchemaEndpoint(schema: schema, logger: logger) { _ in Context() }
    }

    @Test(arguments: [("secret", "hunter2"), ("corrupt", "malformed")])
    func internalErrorsCarryARequestIDThatTheLogLineCarries(_ field: String, _ detail: String) async throws {
        let logs = CapturedLogs()
        let endpoint = try endpoint(logger: logs.logger())
        let info = GraphQLRequestInfo(principal: nil, requestID: "req-7f3a")
        let result = await endpoint.execute(GraphQLRequest(query: "{ \(field) }"), info: info).result
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.extensions["code"] == .string("INTERNAL_SERVER_ERROR"))
        #expect(error.extensions["requestId"] == .string("req-7f3a"))
        #expect(error.message == GraphQLErrorMapping.internalMessage)
        #expect(!error.message.contains(detail))
        let lines = logs.all.filter { $0.metadata["request.id"] == "req-7f3a" }
        #expect(lines.count == 1)
        #expect(lines.first?.level == .error)
        let logged = lines.first?.metadata["error"].map { "\($0)" } ?? ""
        #expect(logged.contains(detail), "the log has what the client does not")
    }

    @Test func clientErrorsKeepTheirMessageAndGetNoRequestID() async throws {
        let logs = CapturedLogs()
        let result = try await endpoint(logger: logs.logger()).execute(GraphQLRequest(query: "{ refused }"), info: GraphQLRequestInfo(principal: nil)).result
        #expect(result.errors.first?.extensions["code"] == .string("BAD_USER_INPUT"))
        #expect(result.errors.first?.extensions["field"] == .string("input.title"))
        #expect(result.errors.first?.extensions["requestId"] == nil)
        #expect(result.errors.first?.message == "the title must not be empty")
        #expect(logs.all.isEmpty)
    }

    @Test func everyRequestGetsItsOwnID() {
        #expect(GraphQLRequestInfo(principal: nil).requestID != GraphQLRequestInfo(principal: nil).requestID)
    }
}
