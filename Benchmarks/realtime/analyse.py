"""Matches arrivals to publications for scripts/bench-realtime.

  analyse.py PUBLISHED REPORT… -- broadcast|latency EXPECTED_SUBSCRIBERS_PER_EVENT [CPU_SAMPLES [SERVER_USER_US]]

CPU_SAMPLES (cpu-sample.py's output, broadcast only): the machine's CPU split, over each event's
window from its publication to its last arrival. SERVER_USER_US: the server's user-space CPU per
delivery; with it, the floor: the share of the machine's work that is not the server's own code
(the kernel's sends and receives, the loaders), which no server on this machine can avoid.

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
    cpu_file = sys.argv[separator + 3] if len(sys.argv) > separator + 3 else None
    server_user_us = float(sys.argv[separator + 4]) if len(sys.argv) > separator + 4 else None
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
        if cpu_file:
            print_cpu_split(cpu_file, [(sent, last_arrival[(index, event)]) for index, sends in publications.items() for event, sent in enumerate(sends)],
                            delivered, server_user_us)
    else:
        print("delivered %d of %d; latency p50 %.1f ms, p99 %.1f ms, max %.1f ms" % (delivered, expected, pct(0.5), pct(0.99), latencies[-1] if latencies else float("nan")))


def print_cpu_split(cpu_file, windows, delivered, server_user_us):
    """The machine's cores over each window: user, system, softirq and idle, as shares of all;
    then the busy CPU per delivery, and how much of it was the server's own code."""
    samples = []
    for line in open(cpu_file):
        fields = line.split()
        if len(fields) == 8:
            samples.append((int(fields[0]), [int(value) for value in fields[1:]]))
    busy_ticks = 0
    for sent, last in windows:
        inside = [sample for sample in samples if sent <= sample[0] <= last]
        if len(inside) < 2:
            continue
        delta = [b - a for a, b in zip(inside[0][1], inside[-1][1])]
        total = sum(delta) or 1
        user, nice, system, idle, iowait, irq, softirq = delta
        busy_ticks += total - idle - iowait
        print("  machine over %.0f ms: user %.0f %%, system %.0f %%, softirq %.0f %%, idle %.0f %%" % (
            (inside[-1][0] - inside[0][0]) / 1e6, 100 * (user + nice) / total, 100 * (system + irq) / total,
            100 * softirq / total, 100 * (idle + iowait) / total))
    if busy_ticks and delivered:
        # /proc/stat counts in USER_HZ, 100 per second on Linux.
        machine_us = busy_ticks / 100 / delivered * 1e6
        line = "  machine's busy CPU per delivery: %.1f us" % machine_us
        if server_user_us is not None:
            share = min(1.0, server_user_us / machine_us)
            line += "; the server's own code %.1f us (%.0f %%): without it the broadcast would still take >= %.2f of this time" % (
                server_user_us, 100 * share, 1 - share)
        print(line)

main()
