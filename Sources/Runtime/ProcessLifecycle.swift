import Logging
import ServiceLifecycle
import UnixSignals

/// How an `emporium` server process stops: SIGTERM or SIGINT starts a graceful shutdown (the
/// HTTP server stops accepting and drains, then background work and stores stop, in reverse
/// order of start). A stop that has not finished after `shutdownGracePeriod` is cancelled, and a
/// cancellation that hangs for `shutdownCancellationGrace` more ends the process; the private
/// PostgreSQL cluster's watchdog stops the cluster either way. Without these bounds one stuck
/// request or connection kept a stopped node alive indefinitely.
public enum ProcessLifecycle {
    public static func group(running application: any Service, configuration: RuntimeConfiguration, logger: Logger) -> ServiceGroup {
        var group = ServiceGroupConfiguration(
            services: [.init(service: BoundedStop(inner: application, grace: configuration.shutdownGracePeriod, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        group.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        group.maximumCancellationDuration = configuration.shutdownCancellationGrace
        return ServiceGroup(configuration: group)
    }

    public static func run(_ application: any Service, configuration: RuntimeConfiguration, logger: Logger) async throws {
        try await group(running: application, configuration: configuration, logger: logger).run()
    }
}

/// Says when a stop begins and when it had to be cut short (the service group itself reports
/// the escalation only at debug level).
private struct BoundedStop: Service {
    let inner: any Service
    let grace: Duration
    let logger: Logger

    func run() async throws {
        try await withGracefulShutdownHandler {
            do {
                try await inner.run()
            } catch {
                reportIfCut()
                throw error
            }
            reportIfCut()
        } onGracefulShutdown: {
            logger.info("stopping: draining requests and background work", metadata: ["shutdown.grace": "\(grace)"])
        }
    }

    private func reportIfCut() {
        guard Task.isCancelled else { return }
        logger.warning(
            "the stop did not finish within its grace period and was cancelled; raise EMPORIUM_SHUTDOWN_GRACE_SECONDS if draining legitimately takes longer",
            metadata: ["shutdown.grace": "\(grace)"])
    }
}
