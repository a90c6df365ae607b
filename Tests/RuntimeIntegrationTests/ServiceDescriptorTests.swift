import Caching
import CatalogTesting
import Database
import EmporiumCore
import EmporiumTesting
import GraphQL
import GraphQLSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Logging
import Messaging
import Runtime
import ServiceKit
import Testing

/// A service is a descriptor: the runtime mounts whatever one declares, with nothing else to edit.
@Suite struct ServiceDescriptorTests {
    /// A service the runtime has never heard of: one query field, one internal REST route.
    static let greeter = ServiceDescriptor(
        name: "greeter", schema: "greeter",
        migrations: { try MigrationSet(schema: "greeter", migrations: []) },
        sdl: """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
            type Query { greeting: String! }
            """,
        caching: CachePolicy(maxAges: ["greeting": .seconds(5)]),
        start: { context in
            let prefix = context.settings.string("EMPORIUM_GREETING") ?? "hello"
            return ServiceInstance(
                endpoint: Greeter(text: prefix),
                routes: [ServiceRoute(.get, "/internal/greeting", visibility: .internal) { _, info in
                    guard info.principal != nil else { throw EmporiumError(.unauthenticated, "sign in to be greeted") }
                    return ServiceRoute.json(.ok, ["greeting": prefix])
                }])
        })

    struct Greeter: GraphQLExecutor {
        let text: String
        func execute(_ request: GraphQLSupport.GraphQLRequest, info: GraphQLRequestInfo) async -> GraphQLOutcome {
            GraphQLOutcome(kind: .executed, result: GraphQLResult(data: ["greeting": .string(text)]))
        }
    }

    @Test func registryNamesAreUniqueAndEveryServiceDeclaresItsSchemaAndSDL() throws {
        let names = ServiceRegistry.names
        #expect(Set(names).count == names.count)
        for service in ServiceRegistry.all {
            #expect(!service.sdl.isEmpty, "\(service.name)")
            #expect(try service.migrations().schema == service.schema, "\(service.name)")
        }
        #expect(throws: ConfigurationError.self) { try ServiceRegistry.select("nonsense") }
        #expect(try ServiceRegistry.select(nil).count == names.count)
    }

    @Test func aNewServiceIsComposedIntoTheGatewayAndItsRoutesMountedWithTheEdgeChecks() async throws {
        let fixture = try await CatalogFixture.make("descriptor")
        try await fixture.run { _, postgres in
            let tokens = try await TokenService(keys: .hmacSHA256(secret: testJWTSecret))
            var configuration = RuntimeConfiguration()
            configuration.environment["EMPORIUM_GREETING"] = "привет"
            let router = try await EmporiumApplication.router(
                postgres: postgres, tokens: tokens, registry: nil, poolSize: 10,
                services: ServiceRegistry.all + [Self.greeter], configuration: configuration,
                responseCache: ResponseCache(invalidation: InMemoryTagInvalidation(), logger: Logger(label: "test.descriptor")),
                internalCredential: testInternalCredential, logger: Logger(label: "test.descriptor"))
            try await Application(router: router).test(.router) { client in
                // Through the single node's gateway, beside the built-in services.
                let query = ByteBuffer(string: #"{"query":"{ greeting products(first: 1) { edges { cursor } } }"}"#)
                let answer = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: query)
                #expect(answer.status == .ok)
                #expect(String(buffer: answer.body).contains(#""greeting":"привет""#))
                #expect(!String(buffer: answer.body).contains("errors"))
                // Its cache policy joined the gateway's: its root field alone is cacheable.
                let greeting = ByteBuffer(string: #"{"query":"{ greeting }"}"#)
                for expected in ["miss", "hit"] {
                    let read = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: greeting)
                    #expect(read.headers[HTTPField.Name("Emporium-Cache")!] == expected)
                }

                // Its internal route: refused without the credential, 401 without a token, then served.
                let outside = try await client.execute(uri: "/internal/greeting", method: .get)
                #expect(outside.status == .forbidden)
                #expect(outside.headers[InternalCredential.requestIDHeader] != nil)
                let credential: HTTPFields = [InternalCredential.tokenHeader: EmporiumProcess.internalToken]
                let anonymous = try await client.execute(uri: "/internal/greeting", method: .get, headers: credential)
                #expect(anonymous.status == .unauthorized)
                #expect(String(buffer: anonymous.body).contains("UNAUTHENTICATED"))
                var signedIn = credential
                signedIn[.authorization] = "Bearer \(try await tokens.issue(userID: TestUsers.buyer.userID, roles: TestUsers.buyer.roles))"
                let greeted = try await client.execute(uri: "/internal/greeting", method: .get, headers: signedIn)
                #expect(greeted.status == .ok)
                #expect(String(buffer: greeted.body) == #"{"greeting":"привет"}"#)
            }
        }
    }
}
