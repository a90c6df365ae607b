import CoreMetrics
import Metrics

/// What the realtime gateway reports (Prometheus names under `emporium_realtime_`).
struct RealtimeMetrics: Sendable {
    let connections: Meter
    let subscriptions: Meter
    let messagesOut: Counter
    let slowClientsClosed: Counter
    let fanOutLatency: Timer
    let resolutions: Counter

    init(factory: any MetricsFactory = MetricsSystem.factory) {
        connections = Meter(label: "emporium_realtime_connections", factory: factory)
        subscriptions = Meter(label: "emporium_realtime_subscriptions", factory: factory)
        messagesOut = Counter(label: "emporium_realtime_messages_out_total", factory: factory)
        slowClientsClosed = Counter(label: "emporium_realtime_slow_clients_closed_total", factory: factory)
        fanOutLatency = Timer(label: "emporium_realtime_fanout_seconds", preferredDisplayUnit: .seconds, factory: factory)
        resolutions = Counter(label: "emporium_realtime_event_resolutions_total", factory: factory)
    }
}
