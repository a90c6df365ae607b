import Contracts
import Foundation
import Metrics

/// The messaging metrics (Prometheus names in docs/events.md):
/// - `emporium_outbox_backlog{schema}`: unpublished outbox rows, sampled by the relay;
/// - `emporium_outbox_publish_latency_seconds{schema}`: from the event's time (its change) to published;
/// - `emporium_outbox_published_total{schema}`;
/// - `emporium_event_consumer_lag_seconds{consumer}`: event age when its consumer takes it;
/// - `emporium_event_handler_failures_total{consumer,type}`, `emporium_event_dead_letters_total{consumer,type}`.
struct MessagingMetrics: Sendable {
    let factory: any MetricsFactory

    init(factory: any MetricsFactory) {
        self.factory = factory
    }

    func backlog(schema: String, rows: Int) {
        Gauge(label: "emporium_outbox_backlog", dimensions: [("schema", schema)], factory: factory).record(rows)
    }

    func published(schema: String, events: [EventEnvelope], at now: Date) {
        let timer = Timer(label: "emporium_outbox_publish_latency_seconds", dimensions: [("schema", schema)], preferredDisplayUnit: .seconds, factory: factory)
        for event in events {
            timer.recordNanoseconds(Int64(max(0, now.timeIntervalSince(event.occurredAt)) * 1e9))
        }
        Counter(label: "emporium_outbox_published_total", dimensions: [("schema", schema)], factory: factory).increment(by: events.count)
    }

    func consumerLag(_ event: EventEnvelope, consumer: String) {
        Timer(label: "emporium_event_consumer_lag_seconds", dimensions: [("consumer", consumer)], preferredDisplayUnit: .seconds, factory: factory)
            .recordNanoseconds(Int64(max(0, Date().timeIntervalSince(event.occurredAt)) * 1e9))
    }

    func handlerFailed(consumer: String, type: String) {
        Counter(label: "emporium_event_handler_failures_total", dimensions: [("consumer", consumer), ("type", type)], factory: factory).increment()
    }

    func deadLettered(consumer: String, type: String) {
        Counter(label: "emporium_event_dead_letters_total", dimensions: [("consumer", consumer), ("type", type)], factory: factory).increment()
    }
}
