import Catalog
import CatalogTesting
import EmporiumCore
import EmporiumTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GraphQLSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Identity
import Logging
import ServiceKit
import Testing
@testable import Runtime
import RateLimiting

/// Subgraph endpoints are internal (the gateway's credential or nothing); the client identity
/// the gateway determined reaches them; operational settings that came from outside are checked.
@Suite struct InternalEndpointTests {
    @Test func subgraphEndpointsRefuseRequestsWithoutTheCredential() async throws {
        try await HTTPTests().withApp { client, _ in
            let body = HTTPTests.json(#"{"query":"{ _service { sdl } }"}"#)
            for path in ["/subgraphs/catalog/graphql", "/subgraphs/inventory/graphql"] {
                let anonymous = try await client.execute(uri: path, method: .post, headers: [.contentType: "application/json"], body: body)
                #expect(anonymous.status == .forbidden)
                #expect(HTTPTests.firstErrorCode(anonymous.body) == "FORBIDDEN")
                #expect(anonymous.headers[HTTPField.Name("Emporium-Cache-Tags")!] == nil)
                let wrong = try await client.execute(
                    uri: path, method: .post,
                    headers: [.contentType: "application/json", InternalCredential.tokenHeader: String(repeating: "x", count: 46)], body: body)
                #expect(wrong.status == .forbidden)
                let gateway = try await client.execute(
                    uri: path, method: .post,
                    headers: [.contentType: "application/json", InternalCredential.tokenHeader: EmporiumProcess.internalToken], body: body)
                #expect(gateway.status == .ok)
                #expect((HTTPTests.decode(gateway.body)["data"] as? [String: Any])?["_service"] != nil)
            }
            // The explorer page is not served there either.
            let explorer = try await client.execute(uri: "/subgraphs/catalog/graphql", method: .get, headers: [.accept: "text/html"])
            #expect(explorer.status == .forbidden)
        }
    }

    @Test func introspectionCanBeSwitchedOffOnThePublicEndpointOnly() async throws {
        let fixture = try await CatalogFixture.make("introspection")
        try await fixture.run { _, postgres in
            let logger = Logger(label: "test.introspection")
            var configuration = RuntimeConfiguration()
            configuration.introspectionEnabled = false
            let router = try await EmporiumApplication.router(
                postgres: postgres, tokens: try await TokenService(keys: .hmacSHA256(secret: testJWTSecret)), registry: nil, poolSize: 10,
                configuration: configuration, internalCredential: testInternalCredential, logger: logger)
            try await Application(router: router).test(.router) { client in
                let body = HTTPTests.json(#"{"query":"{ __schema { queryType { name } } }"}"#)
                let outside = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: body)
                #expect(HTTPTests.firstErrorCode(outside.body) == "INTROSPECTION_DISABLED")
                // The gateway's own view of a subgraph is unaffected.
                let inside = try await client.execute(
                    uri: "/subgraphs/catalog/graphql", method: .post,
                    headers: [.contentType: "application/json", InternalCredential.tokenHeader: EmporiumProcess.internalToken], body: body)
                #expect(HTTPTests.firstErrorCode(inside.body) == nil)
            }
        }
    }

    @Test func everyAnswerNamesItsRequestAndAForwardedIdIsBelievedOnlyWithTheCredential() async throws {
        try await HTTPTests().withApp { client, _ in
            let body = HTTPTests.json(#"{"query":"{ categories { id } }"}"#)
            let first = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: body)
            let second = try await client.execute(uri: "/graphql", method: .post, headers: [.contentType: "application/json"], body: body)
            let id = try #require(first.headers[InternalCredential.requestIDHeader])
            #expect(id.count == 36)
            #expect(second.headers[InternalCredential.requestIDHeader] != id)
            let forged = try await client.execute(
                uri: "/graphql", method: .post, headers: [.contentType: "application/json", InternalCredential.requestIDHeader: "forged-id"], body: body)
            #expect(forged.headers[InternalCredential.requestIDHeader] != "forged-id")
            let fromGateway = try await client.execute(
                uri: "/subgraphs/catalog/graphql", method: .post,
                headers: [.contentType: "application/json", InternalCredential.tokenHeader: EmporiumProcess.internalToken, InternalCredential.requestIDHeader: "gateway-id-1"],
                body: body)
            #expect(fromGateway.headers[InternalCredential.requestIDHeader] == "gateway-id-1")
        }
    }

    @Test func anAssertedCallerIsBelievedOnlyWithTheCredential() async throws {
        try await HTTPTests().withApp { client, _ in
            // Admins only: anonymous is UNAUTHENTICATED, a buyer FORBIDDEN, an admin answered.
            let jobs = HTTPTests.json(#"{"query":"{ catalogJobs(first: 1) { id } }"}"#)
            func ask(_ path: String, credential: Bool, assertion: String) async throws -> (status: HTTPResponse.Status, code: String?) {
                var headers: HTTPFields = [.contentType: "application/json", InternalCredential.principalHeader: assertion]
                if credential { headers[InternalCredential.tokenHeader] = EmporiumProcess.internalToken }
                let response = try await client.execute(uri: path, method: .post, headers: headers, body: jobs)
                return (response.status, HTTPTests.firstErrorCode(response.body))
            }
            let admin = try #require(InternalCredential.assertion(of: Principal(userID: UserID("operator-1"), roles: [.admin])))
            let buyer = try #require(InternalCredential.assertion(of: Principal(userID: UserID("buyer-1"), roles: [.buyer])))
            // From the gateway or a realtime node: the asserted caller.
            let trusted = try await ask("/subgraphs/catalog/graphql", credential: true, assertion: admin)
            #expect(trusted.status == .ok && trusted.code == nil)
            #expect(try await ask("/subgraphs/catalog/graphql", credential: true, assertion: buyer).code == "FORBIDDEN")
            // From a client at the public endpoint it is a claim: the caller is anonymous.
            #expect(try await ask("/graphql", credential: false, assertion: admin).code == "UNAUTHENTICATED")
            // Without the credential the internal endpoint answers nothing at all.
            #expect(try await ask("/subgraphs/catalog/graphql", credential: false, assertion: admin).status == .forbidden)
            // A malformed assertion is nobody, not a server error.
            #expect(try await ask("/subgraphs/catalog/graphql", credential: true, assertion: "root;%zz").code == "UNAUTHENTICATED")
        }
    }

    @Test func configurationFromOutsideIsRangeCheckedAndNeverEchoesSecrets() throws {
        // Services read their own variables when they start; a bad one stops the start.
        for bad in ["1/999999999999999999m", "9223372036854775807/1s"] {
            #expect(throws: ConfigurationError.self) { try SearchAdmission.limit(from: EnvironmentSettings(["EMPORIUM_SEARCH_RATE_LIMIT": bad])) }
        }
        #expect(try SearchAdmission.limit(from: EnvironmentSettings(["EMPORIUM_SEARCH_RATE_LIMIT": "30/10s"])).limit == 30)
        #expect(throws: ConfigurationError.self) { try RuntimeConfiguration.fromEnvironment(["EMPORIUM_INTERNAL_TOKEN": "short"]) }
        #expect(throws: ConfigurationError.self) { try RuntimeConfiguration.fromEnvironment(["EMPORIUM_INTROSPECTION": "maybe"]) }
        #expect(try RuntimeConfiguration.fromEnvironment(["EMPORIUM_INTROSPECTION": "false"]).introspectionEnabled == false)
        #expect(throws: ConfigurationError.self) { try RuntimeConfiguration.fromEnvironment(["EMPORIUM_METRICS_PORT": "70000"]) }
        #expect(throws: ConfigurationError.self) { try RuntimeConfiguration.fromEnvironment(["EMPORIUM_KAFKA_BROKERS": "h:99999999999999999999"]) }
        var bothKeys = RuntimeConfiguration()
        bothKeys.jwtSecret = testJWTSecret
        bothKeys.jwtPublicKey = "-----BEGIN PUBLIC KEY-----"
        #expect(throws: ConfigurationError.self) { try bothKeys.tokenKeys(logger: Logger(label: "test")) }
        // A URL that does not parse may still hold a password: it is not shown at all.
        var configuration = RuntimeConfiguration()
        configuration.databaseURL = "postgres://user:hunter 2@[host/db"
        #expect(!configuration.description.contains("hunter"))
        configuration.databaseURL = "postgres://user:hunter2@host/db"
        #expect(!configuration.description.contains("hunter2"))
    }

    @Test(.timeLimit(.minutes(3))) func aSeparateGatewayForwardsEachClientsIdentityToTheSearchLimit() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "identity")
        let limited = ["EMPORIUM_DATABASE_URL": databaseURL, "EMPORIUM_SEARCH_RATE_LIMIT": "3/60s", "EMPORIUM_RESPONSE_CACHE": "false"]
        let node = try await EmporiumProcess.start(["serve"], environment: limited)
        let subgraphs = "catalog=\(node.baseURL)/subgraphs/catalog/graphql,inventory=\(node.baseURL)/subgraphs/inventory/graphql,users=\(node.baseURL)/subgraphs/users/graphql"
        // The gateway believes X-Forwarded-For from 127.0.0.1 (Kong's place in production).
        let gateway = try await EmporiumProcess.start(
            ["serve", "gateway"], environment: ["EMPORIUM_SUBGRAPHS": subgraphs, "EMPORIUM_TRUSTED_PROXIES": "127.0.0.1", "EMPORIUM_RESPONSE_CACHE": "false"])
        func search(as client: String, _ n: Int) async throws -> String? {
            var request = URLRequest(url: URL(string: gateway.baseURL + "/graphql")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue(client, forHTTPHeaderField: "X-Forwarded-For")
            request.httpBody = Data(#"{"query":"{ searchProducts(query: \"kettle \#(n)\") { edges { cursor } } }"}"#.utf8)
            let (body, _) = try await URLSession.shared.data(for: request)
            let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            let errors = object?["errors"] as? [[String: Any]]
            return (errors?.first?["extensions"] as? [String: Any])?["code"] as? String
        }
        for n in 1...3 { #expect(try await search(as: "198.51.100.1", n) == nil) }
        #expect(try await search(as: "198.51.100.1", 4) == "RATE_LIMITED")
        // Another client through the same gateway has its own allowance.
        #expect(try await search(as: "198.51.100.2", 5) == nil)
        try await gateway.stop()
        try await node.stop()
    }

    @Test(.timeLimit(.minutes(3))) func metricsCanHaveTheirOwnListener() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "metricsport")
        let port = try LocalPort.free()
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL, "EMPORIUM_METRICS_PORT": "\(port)"])
        let (_, main) = try await URLSession.shared.data(from: URL(string: node.baseURL + "/metrics")!)
        #expect((main as? HTTPURLResponse)?.statusCode == 404)
        let (body, own) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        #expect((own as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("# TYPE"))
        try await node.stop()
    }
}
