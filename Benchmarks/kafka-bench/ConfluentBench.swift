/// The kafka-bench workload with confluent-kafka (librdkafka), run with `python3 -` by
/// `runPython`. Kept as a string so the executable target holds only Swift sources (SwiftPM warns
/// about unhandled files otherwise). Prints one JSON line of results.
let confluentBenchScript = #"""
"""The kafka-bench workload with confluent-kafka (librdkafka), printing one JSON line of results.

Invoked by kafka-bench (main.swift) through `python3 -` with the same broker.

"""
import argparse
import json
import time
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--latency", type=int, default=1000)
    ap.add_argument("--fetch-wait-ms", type=int, default=10)
    a = ap.parse_args()
    topic = "bench-confluent-" + uuid.uuid4().hex[:8]
    latency_topic = topic + "-latency"
    admin = AdminClient({"bootstrap.servers": a.bootstrap})
    for f in admin.create_topics([NewTopic(topic, a.partitions, 1), NewTopic(latency_topic, 1, 1)]).values():
        f.result()

    producer = Producer({"bootstrap.servers": a.bootstrap, "acks": "all", "linger.ms": 5,
                         "batch.size": 256 * 1024, "queue.buffering.max.messages": 1_000_000})
    value = b"a" * a.size
    failures = []

    def on_delivery(err, msg):
        if err is not None:
            failures.append(err)

    start = time.perf_counter()
    for _ in range(a.records):
        while True:
            try:
                producer.produce(topic, value=value, on_delivery=on_delivery)
                break
            except BufferError:
                producer.poll(0.001)
        producer.poll(0)
    producer.flush(60)
    produce_s = time.perf_counter() - start
    if failures:
        raise SystemExit(f"{len(failures)} produce failures: {failures[0]}")

    consumer = Consumer({"bootstrap.servers": a.bootstrap, "group.id": topic, "auto.offset.reset": "earliest",
                         "session.timeout.ms": 6000, "heartbeat.interval.ms": 1000})
    consumer.subscribe([topic])
    count = 0
    size = 0
    first = None
    deadline = time.perf_counter() + 120
    while count < a.records:
        if time.perf_counter() > deadline:
            raise SystemExit(f"consumed only {count} of {a.records} records within 120 s")
        msgs = consumer.consume(num_messages=10000, timeout=1.0)
        for m in msgs:
            if m.error():
                continue
            if first is None:
                first = time.perf_counter()
            count += 1
            size += len(m.value())
    consume_s = time.perf_counter() - first
    consumer.close()

    lc = Consumer({"bootstrap.servers": a.bootstrap, "group.id": latency_topic, "auto.offset.reset": "latest",
                   "session.timeout.ms": 6000, "fetch.wait.max.ms": a.fetch_wait_ms})
    assigned = []
    lc.subscribe([latency_topic], on_assign=lambda c, ps: assigned.extend(ps))
    while not assigned:
        lc.poll(0.1)
    lp = Producer({"bootstrap.servers": a.bootstrap, "acks": "all", "linger.ms": 0})
    # The assignment arrives before librdkafka has resolved the "latest" position, so a record
    # sent at once may fall before it: send warm-up records until one arrives.
    for attempt in range(20):
        lp.produce(latency_topic, value=b"warm-up")
        lp.flush(10)
        m = lc.poll(1.0)
        if m is not None and not m.error():
            break
    else:
        raise SystemExit("the latency consumer received none of 20 warm-up records")
    while (m := lc.poll(0.2)) is not None:  # drain other warm-up records
        pass
    samples = []
    for i in range(a.latency + 10):
        t0 = time.perf_counter()
        lp.produce(latency_topic, value=str(i).encode())
        lp.flush(10)
        for _ in range(10):
            m = lc.poll(1.0)
            if m is not None and not m.error():
                break
        else:
            raise SystemExit(f"latency record {i} not received within 10 s")
        if i >= 10:
            samples.append((time.perf_counter() - t0) * 1000)
    lc.close()
    samples.sort()

    def pct(p):
        return samples[min(len(samples) - 1, max(0, int(-(-len(samples) * p // 1)) - 1))]

    mb = a.records * a.size / 1e6
    print(json.dumps({
        "produceMsgsPerSec": a.records / produce_s, "produceMBPerSec": mb / produce_s,
        "consumeMsgsPerSec": count / consume_s, "consumeMBPerSec": size / 1e6 / consume_s,
        "latencyP50Ms": pct(0.5), "latencyP99Ms": pct(0.99),
    }))


if __name__ == "__main__":
    main()
"""#
