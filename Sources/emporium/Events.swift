import ArgumentParser
import Foundation
import Logging
import Messaging
import Runtime
import ServiceKit

struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and replay events that consumers parked after repeated failures.",
        subcommands: [DeadLettersCommand.self, Redrive.self]
    )
}

/// `--service` as a list of services (all when absent).
struct ServiceSelection: ParsableArguments {
    @Option(help: "Only this service's consumers: \(ServiceRegistry.names.joined(separator: ", ")).")
    var service: String?

    func services() throws -> [ServiceDescriptor] {
        do {
            return try ServiceRegistry.select(service)
        } catch {
            throw ValidationError("\(error)")
        }
    }
}

struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dead-letters", abstract: "List parked events, oldest first.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var selection: ServiceSelection
    @Option(help: "At most this many per service.") var limit: Int = 100

    func run() async throws {
        let services = try selection.services()
        try await withDatabase(common, label: "emporium.events") { client, _, logger in
            let letters = try await EventAdministration.deadLetters(services: services, limit: limit, client: client, logger: logger)
            print(letters.isEmpty ? "No dead letters." : letters.map(EventAdministration.describe).joined(separator: "\n"))
        }
    }
}

struct Redrive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay parked events through their consumer's handlers; those that fail again are parked anew."
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var selection: ServiceSelection
    @Option(name: .customLong("id"), help: "Only these dead letters (repeatable); default all.") var ids: [Int64] = []

    func run() async throws {
        let services = try selection.services()
        let ids = ids
        try await withDatabase(common, label: "emporium.events") { client, configuration, logger in
            let result = try await EventAdministration.redrive(
                services: services, ids: ids.isEmpty ? nil : ids, configuration: configuration, client: client, logger: logger)
            print("Redriven: \(result.handled) handled, \(result.parkedAgain) parked again, \(result.skipped) skipped (no consumer here).")
            if result.parkedAgain > 0 { throw ExitCode.failure }
        }
    }
}
