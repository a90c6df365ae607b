"""Samples the machine's CPU time (/proc/stat) for scripts/bench-realtime, so that a broadcast's
window can be split into work and idle: our processes' own CPU does not count softirq time, nor
any other process on the two cores.

  cpu-sample.py OUT SECONDS      one line per 5 ms: "<ns since the epoch> user nice system idle iowait irq softirq"
"""
import sys
import time


def main():
    out, seconds = sys.argv[1], float(sys.argv[2])
    lines = []
    end = time.time() + seconds
    with open("/proc/stat") as stat:
        while time.time() < end:
            stat.seek(0)
            fields = stat.readline().split()[1:8]
            lines.append("%d %s" % (time.time_ns(), " ".join(fields)))
            time.sleep(0.005)
    with open(out, "w") as handle:
        handle.write("\n".join(lines) + "\n")


main()
