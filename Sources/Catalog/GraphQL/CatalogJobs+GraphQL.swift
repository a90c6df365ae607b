import EmporiumCore
import Foundation
import GraphQLExecution
import GraphQLSupport
import Identity
import Jobs

/// The catalog's jobs for admins: `catalogJobs(state, kind, first, after)`, `retryCatalogJob`,
/// `cancelCatalogJob` — named after the service so that every service's job fields compose in
/// one supergraph.
enum CatalogJobsResolver {
    @Sendable static func jobs(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> [JobRecord] {
        let queue = try admin(context)
        let state = try arguments.string("state").map { raw in
            guard let state = JobState(rawValue: raw.lowercased()) else { throw EmporiumError.badInput("unknown job state \(raw.prefix(32))", field: "state") }
            return state
        }
        let first = arguments.int("first") ?? 20
        guard (1...100).contains(first) else { throw EmporiumError.badInput("first must be 1 to 100 (got \(first))", field: "first") }
        let before = try arguments.string("after").map { text in
            guard let id = Int64(text), id > 0 else { throw EmporiumError.badInput("after is a job id from a previous page", field: "after") }
            return id
        }
        let kind = arguments.string("kind").map { String($0.prefix(100)) }
        return try await queue.list(state: state, kind: kind, before: before, limit: first)
    }

    @Sendable static func retry(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> JobRecord {
        try await admin(context).retry(id: try jobID(arguments))
    }

    @Sendable static func cancel(_: RootValue, arguments: FieldArguments, context: CatalogContext) async throws -> JobRecord {
        try await admin(context).cancel(id: try jobID(arguments))
    }

    private static func admin(_ context: CatalogContext) throws -> JobQueue {
        _ = try Permissions.require(context.principal, anyOf: [.admin])
        guard let queue = context.catalog.jobs else { throw EmporiumError(.unavailable, "this catalog keeps no jobs") }
        return queue
    }

    private static func jobID(_ arguments: FieldArguments) throws -> Int64 {
        let text = try arguments.requiredString("id")
        guard let id = Int64(text), id > 0 else { throw EmporiumError.badInput("'\(text.prefix(32))' is not a job id", field: "id") }
        return id
    }
}

extension JobRecord: GraphQLObject {}

/// A scheduled product's publication job, as its seller and admins see it.
struct ScheduledPublicationView: Sendable, GraphQLObject {
    let publishAt: Date
    let job: JobRecord
}

extension Product {
    /// The pending publication job of a level's scheduled products, for their seller and admins;
    /// null for everyone else and for products with none. One query for the level.
    @Sendable static func scheduledPublications(_ products: [Product], _: FieldArguments, context: CatalogContext) async throws -> [ScheduledPublicationView?] {
        let visibility = ProductVisibility(principal: context.principal)
        let mine = products.filter { product in
            guard product.status == .scheduled, product.publishAt != nil else { return false }
            switch visibility {
            case .all: return true
            case .publicOrOwnedBy(let seller): return product.sellerID == seller
            case .publicOnly: return false
            }
        }
        guard let queue = context.catalog.jobs, !mine.isEmpty else { return products.map { _ in nil } }
        let jobs = try await queue.pending(uniqueKeys: mine.map { PublicationJobs.key($0.id) })
        return products.map { product in
            guard mine.contains(where: { $0.id == product.id }), let publishAt = product.publishAt,
                  let job = jobs[PublicationJobs.key(product.id)] else { return nil }
            return ScheduledPublicationView(publishAt: publishAt, job: job)
        }
    }
}

enum JobStateValue: String, GraphQLEnum {
    case AVAILABLE, RUNNING, RETRYABLE, COMPLETED, DISCARDED, CANCELLED
}
