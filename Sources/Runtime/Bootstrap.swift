import Logging
import Metrics
import Prometheus

/// Process-wide logging and metrics set-up. Only executables call this; libraries just log and count.
public enum Bootstrap {
    /// Bootstraps swift-log (stderr, `StandardErrorLogHandler`) at `level` and swift-metrics (Prometheus); returns the
    /// registry that `/metrics` emits.
    public static func process(logLevel: Logger.Level) -> PrometheusCollectorRegistry {
        LoggingSystem.bootstrap { label in
            StandardErrorLogHandler(label: label, logLevel: logLevel)
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}
