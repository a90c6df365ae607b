import Gateway
import Realtime
import ServiceKit

extension RealtimeGateway.Configuration {
    /// The realtime gateway's limits from `EMPORIUM_REALTIME_*` (defaults otherwise); a value
    /// out of range stops the process with a message that names it.
    static func from(_ settings: EnvironmentSettings) throws -> RealtimeGateway.Configuration {
        var configuration = RealtimeGateway.Configuration()
        if let timeout = try settings.seconds("EMPORIUM_REALTIME_INIT_TIMEOUT_SECONDS", in: 1...300) { configuration.initTimeout = timeout }
        if let pending = try settings.integer("EMPORIUM_REALTIME_MAX_PENDING", in: 1...100_000) { configuration.maximumPendingMessages = pending }
        if let operations = try settings.integer("EMPORIUM_REALTIME_MAX_OPERATIONS", in: 1...1_000) { configuration.maximumOperations = operations }
        if let rate = try settings.integer("EMPORIUM_REALTIME_MAX_MESSAGES_PER_SECOND", in: 1...100_000) { configuration.maximumMessagesPerSecond = rate }
        return configuration
    }
}

extension FederationGateway {
    /// The gateway for the realtime hub's batches: up to `LiveHub.maximumBatch` copies of a
    /// subscriber's selection, which passed this gateway's limits when it subscribed.
    var liveBatches: FederationGateway { withLimits(configuration.limits.scaled(by: LiveHub.maximumBatch)) }
}
