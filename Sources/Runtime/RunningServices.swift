import GraphQLSupport
import Logging
import Messaging
import PostgresNIO
import ServiceKit

/// The services of one process, started: each descriptor with what it built.
struct RunningServices: Sendable {
    struct Entry: Sendable {
        let descriptor: ServiceDescriptor
        let instance: ServiceInstance
    }

    let all: [Entry]

    /// Starts `descriptors` in order with the same shared context.
    static func start(_ descriptors: [ServiceDescriptor], context: ServiceContext) async throws -> RunningServices {
        var entries: [Entry] = []
        for descriptor in descriptors {
            entries.append(Entry(descriptor: descriptor, instance: try await descriptor.start(context)))
        }
        return RunningServices(all: entries)
    }

    /// The consumers of this process, each with its inbox and dead letters in its service's schema.
    func processors(client: PostgresClient, logger: Logger) -> [EventProcessor] {
        all.compactMap { entry in
            entry.instance.eventHandlers.map {
                EventProcessor(
                    configuration: .init(consumer: entry.descriptor.name, schema: entry.descriptor.schema),
                    handlers: $0, client: client, logger: logger)
            }
        }
    }

    /// The GraphQL endpoints by subgraph name.
    var endpoints: [String: any GraphQLExecutor] {
        Dictionary(uniqueKeysWithValues: all.map { ($0.descriptor.name, $0.instance.endpoint) })
    }
}
