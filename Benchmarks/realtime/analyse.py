"""Matches arrivals to publications for scripts/bench-realtime.

  analyse.py PUBLISHED REPORT… -- broadcast|latency EXPECTED_SUBSCRIBERS_PER_EVENT

Each subscriber receives the events of its channel in publication order, so the k-th arrival of
channel c on one connection is the k-th publication on c. Reports hold every connection's
arrivals in order per connection (interleaved across connections of one process), so arrivals
are matched per (report, channel) by counting: the i-th arrival of channel c in a report among
n subscribers of c there belongs to publication floor(i / n) of c — valid because every
subscriber of a channel gets every event (the count is checked).
"""
import collections
import sys


def main():
    separator = sys.argv.index("--")
    published_file, reports = sys.argv[1], sys.argv[2:separator]
    mode, per_event = sys.argv[separator + 1], int(sys.argv[separator + 2])
    publications = collections.defaultdict(list)
    for line in open(published_file):
        if line.strip():
            index, sent = line.split()
            publications[int(index)].append(int(sent))
    latencies = []
    delivered = 0
    last_arrival = collections.defaultdict(int)
    # Per (target node, event): the first and the last arrival (reports name the node in a third
    # column), to see when each node started and ended its writes.
    node_spans = {}
    for report in reports:
        arrivals = collections.defaultdict(list)
        for line in open(report):
            if line.strip():
                fields = line.split()
                node = int(fields[2]) if len(fields) > 2 else 0
                arrivals[int(fields[0])].append((int(fields[1]), node))
        for index, times in arrivals.items():
            sends = publications.get(index, [])
            if not sends:
                continue
            times.sort()
            subscribers = max(1, round(len(times) / len(sends)))
            for position, (arrival, node) in enumerate(times):
                event = min(position // subscribers, len(sends) - 1)
                latencies.append((arrival - sends[event]) / 1e6)
                last_arrival[(index, event)] = max(last_arrival[(index, event)], arrival)
                if mode == "broadcast":
                    first, last = node_spans.get((node, index, event), (arrival, arrival))
                    node_spans[(node, index, event)] = (min(first, arrival), max(last, arrival))
                delivered += 1
    expected = sum(len(v) for v in publications.values()) * per_event
    latencies.sort()
    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")
    if mode == "broadcast":
        spans = [(last_arrival[(index, event)] - sent) / 1e6 for index, sends in publications.items() for event, sent in enumerate(sends)]
        print("delivered %d of %d; time to deliver one event to all subscribers: %s ms (median %.1f ms)" % (
            delivered, expected, ", ".join("%.1f" % s for s in spans), sorted(spans)[len(spans) // 2]))
        # Where the time goes: until the first subscriber has it (the server's work before its
        # first write), and until half have it.
        print("  over all events' deliveries: first %.1f ms, p50 %.1f ms, p90 %.1f ms" % (pct(0.0), pct(0.5), pct(0.9)))
        # Per target node, the median over events of its first and its last delivery.
        by_node = collections.defaultdict(list)
        for (node, index, event), (first, last) in node_spans.items():
            sent = publications[index][event]
            by_node[node].append(((first - sent) / 1e6, (last - sent) / 1e6))
        if len(by_node) > 1:
            def median(values):
                return sorted(values)[len(values) // 2]
            print("  per node, first → last delivery (medians over events): " + ", ".join(
                "%d: %.0f → %.0f ms" % (node, median([f for f, _ in spans]), median([l for _, l in spans]))
                for node, spans in sorted(by_node.items())))
    else:
        print("delivered %d of %d; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (delivered, expected, pct(0.5), pct(0.99), latencies[-1] if latencies else float("nan")))


main()
