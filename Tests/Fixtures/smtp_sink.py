"""A mail relay for MailTests (aiosmtpd, PyPI): accepts messages on 127.0.0.1:PORT and writes each
as DIR/<n>.json {"from", "to", "data"}; prints "listening" once bound.

  smtp_sink.py PORT DIR [--auth USER:PASSWORD] [--refuse-recipients] [--tls CERT KEY]
               [--starttls CERT KEY] [--silent]

--refuse-recipients answers 550 to RCPT; --tls speaks TLS from the first byte (smtps);
--starttls offers STARTTLS and requires it before anything else (credentials only over TLS);
--silent accepts connections and never answers (for timeouts).
"""
import json
import os
import signal
import socket
import ssl
import sys
import time

# A parent that blocks SIGTERM in its threads passes the mask on: take it back, so that the test
# can stop this process.
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

args = sys.argv[1:]
port, directory = int(args[0]), args[1]
options = args[2:]

if "--silent" in options:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(16)
    print("listening", flush=True)
    held = []
    while True:
        connection, _ = server.accept()
        held.append(connection)

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self):
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "--refuse-recipients" in options:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        with open(os.path.join(directory, "%d.json" % self.count), "w") as handle:
            json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos, "data": envelope.content.decode("utf-8", "replace")}, handle)
        return "250 2.0.0 stored"


def authenticator(expected):
    def check(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and "%s:%s" % (auth_data.login.decode(), auth_data.password.decode()) == expected:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)
    return check


kwargs = {}
if "--auth" in options:
    kwargs.update(authenticator=authenticator(options[options.index("--auth") + 1]), auth_require_tls=False, auth_required=True)
if "--tls" in options:
    index = options.index("--tls")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(options[index + 1], options[index + 2])
    kwargs.update(ssl_context=context)
if "--starttls" in options:
    index = options.index("--starttls")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(options[index + 1], options[index + 2])
    kwargs.update(tls_context=context, require_starttls=True, auth_require_tls=True)
controller = Controller(Sink(), hostname="127.0.0.1", port=port, **kwargs)
controller.start()
print("listening", flush=True)
while True:
    time.sleep(3600)
