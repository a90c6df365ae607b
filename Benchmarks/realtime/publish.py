"""Publishes events for scripts/bench-realtime and records when each left, for the latency match.

  publish.py redis PORT  CHANNELS_FILE RATE SECONDS OUT   LiveSignals on product:<id> (Emporium)
  publish.py nchan PORT  CHANNELS_FILE RATE SECONDS OUT   POST /pub/<id> (nginx + nchan)

Events go round-robin over the channels at RATE per second for SECONDS; OUT gets one line per
event: "<channel index> <publication time, ns since the epoch>".
"""
import http.client
import json
import socket
import sys
import time


def resp(*parts):
    out = b"*%d\r\n" % len(parts)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode()
        out += b"$%d\r\n%s\r\n" % (len(data), data)
    return out


def main():
    mode, port, channels_file, rate, seconds, out = sys.argv[1:7]
    port, rate, seconds = int(port), float(rate), float(seconds)
    channels = open(channels_file).read().split()
    total = int(rate * seconds)
    records = []
    if mode == "redis":
        sock = socket.create_connection(("127.0.0.1", port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port)
    start = time.time()
    for n in range(total):
        due = start + n / rate
        delay = due - time.time()
        if delay > 0:
            time.sleep(delay)
        index = n % len(channels)
        channel = channels[index]
        sent = time.time_ns()
        if mode == "redis":
            signal = json.dumps({"subject": "product", "id": channel, "owners": []})
            sock.sendall(resp("PUBLISH", "product:" + channel, signal))
            sock.recv(64)  # ":<receivers>\r\n"
        else:
            conn.request("POST", "/pub/" + channel, body=json.dumps({"id": channel, "sent": sent}),
                         headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
        records.append("%d %d" % (index, sent))
    with open(out, "w") as handle:
        handle.write("\n".join(records) + "\n")
    elapsed = time.time() - start
    print("published %d events in %.2f s (%.0f/s)" % (total, elapsed, total / elapsed))


main()
