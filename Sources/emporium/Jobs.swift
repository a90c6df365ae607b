import ArgumentParser
import Database
import Foundation
import Jobs
import Logging
import Runtime
import ServiceKit

/// An unmigrated database has no job tables: say what to do rather than quote PostgreSQL.
func explainingMissingTables<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch where PostgresErrors.sqlState(of: error) == "42P01" {
        throw ValidationError("the database has no job tables yet: run `emporium migrate` (or start the services once) first")
    }
}

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List, retry and cancel background jobs across every service's job table.",
        subcommands: [List.self, Retry.self, Cancel.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jobs, newest first, with depth per queue and state.")
        @OptionGroup var common: CommonOptions
        @OptionGroup var selection: ServiceSelection
        @Option(help: "Only jobs in this state: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).") var state: String?
        @Option(help: "At most this many per service.") var limit: Int = 50

        func run() async throws {
            let services = try selection.services()
            let state = try state.map { raw in
                guard let state = JobState(rawValue: raw) else { throw ValidationError("unknown state '\(raw)'") }
                return state
            }
            let limit = limit
            try await withDatabase(common, label: "emporium.jobs") { client, _, logger in
                let queues = try JobAdministration.queues(services, client: client, logger: logger)
                if queues.isEmpty { print("No service here keeps jobs.") }
                try await explainingMissingTables { for (service, queue) in queues {
                    let depth = try await queue.depth().map { "\($0.queue)/\($0.state.rawValue) \($0.count)" }
                    print("\(service): " + (depth.isEmpty ? "no jobs" : depth.joined(separator: ", ")))
                    for job in try await queue.list(state: state, limit: limit) { print("  " + JobAdministration.describe(service, job)) }
                } }
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run a discarded, cancelled or failed job again now.")
        @OptionGroup var target: JobTarget

        func run() async throws {
            try await target.act { queue, id in try await queue.retry(id: id) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel a waiting job, or ask a running one to stop.")
        @OptionGroup var target: JobTarget

        func run() async throws {
            try await target.act { queue, id in try await queue.cancel(id: id) }
        }
    }
}

/// One job of one service, and the action on it that `retry` and `cancel` share.
struct JobTarget: ParsableArguments {
    @OptionGroup var common: CommonOptions
    @Option(help: "The service whose job it is.") var service: String
    @Argument(help: "The job's id.") var id: Int64

    func act(_ action: @escaping @Sendable (JobQueue, Int64) async throws -> JobRecord) async throws {
        let services = try ServiceSelection.parse(["--service", service]).services()
        let id = id
        try await withDatabase(common, label: "emporium.jobs") { client, _, logger in
            guard let (name, queue) = try JobAdministration.queues(services, client: client, logger: logger).first else {
                throw ValidationError("the \(services[0].name) service keeps no jobs")
            }
            print(JobAdministration.describe(name, try await explainingMissingTables { try await action(queue, id) }))
        }
    }
}
