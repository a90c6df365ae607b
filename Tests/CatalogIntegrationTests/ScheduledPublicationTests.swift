@testable import Catalog
import CatalogTesting
import Contracts
import Database
import EmporiumCore
import EmporiumTesting
import Foundation
import GraphQL
import GraphQLSupport
import Identity
import Jobs
import Logging
import PostgresNIO
import Testing

/// Scheduled publication on the job queue: the job is enqueued with the change, publishes at its
/// time (a test clock, never a wall-clock wait), and follows rescheduling and cancellation.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ScheduledPublicationTests {
    func outbox(_ client: PostgresClient) async throws -> [String] {
        try await client.query("SELECT event_type FROM catalog.outbox ORDER BY id", logger: Logger(label: "test")).decode(String.self).collectAll()
    }

    func jobs(_ client: PostgresClient) async throws -> [(String, Date)] {
        try await client.query("SELECT state, run_at FROM catalog.jobs ORDER BY id", logger: Logger(label: "test")).decode((String, Date).self).collectAll()
    }

    @Test func aScheduledProductIsPublishedByItsJobAtItsTime() async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let clock = TestClock(Date(timeIntervalSince1970: (Date().timeIntervalSince1970).rounded(.down)))
            let service = try CatalogService(client: client, clock: clock, logger: Logger(label: "test"))
            let catalog = service.catalog
            let worker = try #require(service.jobs)
            let product = try await newProduct(catalog, title: "Новогодняя гирлянда")
            let at = clock.now().addingTimeInterval(3600)
            let scheduled = try await catalog.publishProduct(id: product.id, expectedVersion: nil, publishAt: at, by: TestUsers.seller)
            #expect(scheduled.status == .scheduled)
            #expect(try await outbox(client).last == "ProductPublicationScheduled")
            #expect(try await jobs(client).map(\.0) == ["available"])
            #expect(try await worker.runDue() == 0, "not yet")
            // The seller sees the job that will publish it; the public does not.
            func publication(as principal: Identity.Principal?) async -> GraphQLResult {
                await service.endpoint.execute(
                    GraphQLRequest(query: "{ product(id: \"\(product.id)\") { scheduledPublication { publishAt job { state kind } } } }"),
                    info: GraphQLRequestInfo(principal: principal)).result
            }
            let seen = await publication(as: TestUsers.seller)
            #expect(seen.data?["product"]["scheduledPublication"]["job"]["state"].string == "AVAILABLE", "\(seen)")
            #expect(seen.data?["product"]["scheduledPublication"]["job"]["kind"].string == "catalog.publish-product")
            let stranger = await publication(as: TestUsers.otherSeller)
            #expect(stranger.data?["product"] == .null || stranger.data?["product"]["scheduledPublication"] == .null, "\(stranger)")
            clock.advance(by: 3600)
            #expect(try await worker.runDue() == 1)
            let published = try #require(try await catalog.products.product(id: product.id))
            #expect(published.status == .published && published.version == scheduled.version + 1)
            #expect(try await outbox(client).last == "ProductPublished")
            #expect(try await jobs(client).map(\.0) == ["completed"])
        }
    }

    @Test func reschedulingReplacesTheJobAndCancellingEndsIt() async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let clock = TestClock()
            let service = try CatalogService(client: client, clock: clock, logger: Logger(label: "test"))
            let catalog = service.catalog
            let worker = try #require(service.jobs)
            let product = try await newProduct(catalog, title: "Сани")
            _ = try await catalog.publishProduct(id: product.id, expectedVersion: nil, publishAt: clock.now().addingTimeInterval(60), by: TestUsers.seller)
            let later = clock.now().addingTimeInterval(7200)
            _ = try await catalog.publishProduct(id: product.id, expectedVersion: nil, publishAt: later, by: TestUsers.seller)
            var states = try await jobs(client)
            #expect(states.map(\.0) == ["cancelled", "available"])
            #expect(abs(states[1].1.timeIntervalSince(later)) < 0.001)
            clock.advance(by: 61)
            #expect(try await worker.runDue() == 0, "the first time no longer applies")
            let draft = try await catalog.cancelScheduledPublication(id: product.id, expectedVersion: nil, by: TestUsers.seller)
            #expect(draft.status == .draft && draft.publishAt == nil)
            states = try await jobs(client)
            #expect(states.map(\.0) == ["cancelled", "cancelled"])
            clock.advance(by: 7200)
            #expect(try await worker.runDue() == 0)
            #expect(try await catalog.products.product(id: product.id)?.status == .draft)
            await #expect(throws: EmporiumError.self, "not scheduled any more") {
                try await catalog.cancelScheduledPublication(id: product.id, expectedVersion: nil, by: TestUsers.seller)
            }
            await #expect(throws: EmporiumError.self, "another seller's product") {
                try await catalog.publishProduct(id: product.id, expectedVersion: nil, publishAt: later, by: TestUsers.otherSeller)
            }

            // Admins see and act on the catalog's jobs through GraphQL; nobody else does.
            func graphQL(_ query: String, as principal: Identity.Principal?) async -> GraphQLResult {
                await service.endpoint.execute(GraphQLRequest(query: query), info: GraphQLRequestInfo(principal: principal)).result
            }
            let listed = await graphQL("{ catalogJobs(first: 5) { id kind state lastError } }", as: TestUsers.admin)
            let jobs = try #require(listed.data?["catalogJobs"].array, "\(listed)")
            #expect(jobs.map { $0["state"].string } == ["CANCELLED", "CANCELLED"])
            #expect(jobs.first?["kind"].string == "catalog.publish-product")
            let refused = await graphQL("{ catalogJobs { id } }", as: TestUsers.seller)
            #expect(refused.errors.first?.extensions["code"]?.string == "FORBIDDEN")
            let id = try #require(jobs.first?["id"].string)
            let retried = await graphQL("mutation { retryCatalogJob(id: \"\(id)\") { state attempts } }", as: TestUsers.admin)
            #expect(retried.data?["retryCatalogJob"]["state"].string == "AVAILABLE", "\(retried)")
            let cancelled = await graphQL("mutation { cancelCatalogJob(id: \"\(id)\") { state } }", as: TestUsers.admin)
            #expect(cancelled.data?["cancelCatalogJob"]["state"].string == "CANCELLED", "\(cancelled)")
            let missing = await graphQL("mutation { cancelCatalogJob(id: \"999999\") { state } }", as: TestUsers.admin)
            #expect(missing.errors.first?.extensions["code"]?.string == "NOT_FOUND", "\(missing)")
            let bad = await graphQL("{ catalogJobs(first: 1000) { id } }", as: TestUsers.admin)
            #expect(bad.errors.first?.extensions["code"]?.string == "BAD_USER_INPUT")
        }
    }
}
