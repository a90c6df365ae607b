import Foundation
import Hummingbird
import Logging
import Metrics
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// `/health/live`, `/health/ready` and `/metrics`.
struct OperationalRoutes: Sendable {
    /// Nil in a process without a database (the gateway): readiness is then just liveness.
    let postgres: PostgresClient?
    let registry: PrometheusCollectorRegistry?
    let poolSize: Int
    let logger: Logger

    /// `metrics: false` when `/metrics` has a listener of its own (`EMPORIUM_METRICS_PORT`).
    func add<Context: RequestContext>(to router: Router<Context>, metrics: Bool = true) {
        router.get("/health/live") { _, _ in
            Self.json(.ok, #"{"status":"live"}"#)
        }
        router.get("/health/ready") { _, _ in
            await self.readiness()
        }
        if metrics { addMetrics(to: router) }
    }

    func addMetrics<Context: RequestContext>(to router: Router<Context>) {
        router.get("/metrics") { _, _ in
            await self.metrics()
        }
    }

    /// `/metrics` alone on `port`, for a process whose metrics must not be public: bind it to an
    /// address that only the scraper reaches. It runs as one of the process's services.
    func metricsServer(host: String, port: Int, logger: Logger) -> some Service {
        let router = Router()
        addMetrics(to: router)
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "emporium-metrics"), logger: logger)
    }

    /// Ready when the database answers within two seconds.
    func readiness() async -> Response {
        guard let postgres else { return Self.json(.ok, #"{"status":"ready"}"#) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await postgres.query("SELECT 1", logger: self.logger).collect()
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(2))
                    throw CancellationError()
                }
                try await group.next()
                group.cancelAll()
            }
            return Self.json(.ok, #"{"status":"ready","checks":{"database":"ok"}}"#)
        } catch {
            logger.warning("readiness check failed", metadata: ["error": "\(String(reflecting: error))"])
            return Self.json(.serviceUnavailable, #"{"status":"not ready","checks":{"database":"unavailable"}}"#)
        }
    }

    func metrics() async -> Response {
        guard let registry else {
            return Response(status: .notFound, body: ResponseBody(byteBuffer: ByteBuffer(string: "metrics are not enabled in this process\n")))
        }
        await samplePool()
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// PostgresNIO does not expose its pool's counters, so the pool is observed from the server:
    /// this process's connections by state, next to the configured maximum.
    private func samplePool() async {
        guard let postgres else { return }
        Gauge(label: "db_pool_max_connections").record(poolSize)
        do {
            let sequence = try await postgres.query("""
                SELECT COALESCE(state, 'unknown'), count(*)::bigint FROM pg_stat_activity
                WHERE datname = current_database() AND backend_type = 'client backend' AND application_name = ''
                GROUP BY 1
                """, logger: logger).decode((String, Int64).self)
            var counts = ["active": Int64(0), "idle": 0, "idle in transaction": 0]
            for try await (state, count) in sequence { counts[state] = count }
            for (state, count) in counts {
                Gauge(label: "db_pool_connections", dimensions: [("state", state)]).record(count)
            }
        } catch {
            Counter(label: "db_pool_sample_errors_total").increment()
        }
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
