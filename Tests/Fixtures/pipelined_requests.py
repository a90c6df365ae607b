#!/usr/bin/env python3
"""Sends HTTP/1.1 requests pipelined on one connection (all written at once, before any answer
is read) and prints the answers in the order they arrived, as JSON: status, the Emporium-Cache
header and the body of each.

  pipelined_requests.py BASE_URL REQUEST...

Each REQUEST is a JSON body for `POST /graphql`, or `GET <path>`.
"""
import json
import socket
import sys
from urllib.parse import urlparse


def request_bytes(host, spec):
    if spec.startswith("GET "):
        return f"GET {spec[4:]} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    body = spec.encode()
    head = f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def read_answer(stream):
    status_line = stream.readline()
    if not status_line:
        raise SystemExit("the connection closed before every answer arrived")
    status = int(status_line.split()[1])
    headers = {}
    while True:
        line = stream.readline().decode("latin-1").rstrip("\r\n")
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = stream.read(int(headers.get("content-length", "0")))
    return {"status": status, "cache": headers.get("emporium-cache"), "body": body.decode()}


def main():
    url = urlparse(sys.argv[1])
    specs = sys.argv[2:]
    with socket.create_connection((url.hostname, url.port), timeout=30) as connection:
        connection.sendall(b"".join(request_bytes(url.netloc, spec) for spec in specs))
        stream = connection.makefile("rb")
        print(json.dumps([read_answer(stream) for _ in specs]))


main()
