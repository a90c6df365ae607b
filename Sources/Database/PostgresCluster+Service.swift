public import ServiceLifecycle

/// The cluster as a `Service`: put it first in the `ServiceGroup` so it stops last, after every
/// service that uses the database has drained (services stop in reverse order).
///
/// `run()` starts the server (or keeps the one `start()` already started, whose endpoint the caller
/// needed to build its `PostgresClient`), waits for graceful shutdown or cancellation, then stops it.
extension PostgresCluster: Service {
    /// Starts (or keeps) the server, waits for graceful shutdown or cancellation, then stops it.
    public func run() async throws {
        _ = try await self.start()
        try? await gracefulShutdown()
        await self.stop()
    }
}
