"""Clients of Emporium's realtime gateway for the end-to-end tests (RealtimeEndToEndTests).

Each scenario talks to a running `emporium` over HTTP and WebSocket and prints one JSON object
with what it observed; the Swift test asserts on it. `interop` uses gql's own
graphql-transport-ws transport (a client written by others); the rest use raw websockets so
that they can break the protocol on purpose.

Usage: realtime_client.py SCENARIO BASE_URL SELLER_TOKEN [more arguments]
"""
import asyncio
import json
import socket
import sys
import urllib.error
import urllib.request

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

PROTOCOL = "graphql-transport-ws"


def post(base, query, variables=None, token=None):
    request = urllib.request.Request(
        base + "/graphql", data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json", **({"Authorization": "Bearer " + token} if token else {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.load(response)
    if body.get("errors"):
        raise RuntimeError("GraphQL errors: %s" % body["errors"])
    return body["data"]


def ws_url(base):
    return base.replace("http://", "ws://") + "/graphql"


async def wait_for_stock_record(base, product, token):
    for _ in range(200):
        try:
            post(base, "mutation($p: ID!) { setLowStockThreshold(productId: $p, threshold: 5) { lowStockThreshold } }", {"p": product}, token)
            return
        except RuntimeError:
            await asyncio.sleep(0.05)
    raise RuntimeError("inventory never opened a stock record for %s" % product)


def create_product(base, token, title="Чайник", description=None):
    data = post(base, "mutation($i: CreateProductInput!) { createProduct(input: $i) { id } }",
                {"i": {"title": title, "price": {"amount": 1990, "currency": "EUR"}, **({"description": description} if description else {})}}, token)
    return data["createProduct"]["id"]


def publish(base, token, product):
    """Publishes a draft (anonymous readers see only published products); its new version."""
    return post(base, "mutation($id: ID!) { publishProduct(id: $id) { version } }", {"id": product}, token)["publishProduct"]["version"]


async def open_session(url, payload=None):
    socket_ = await connect(url, subprotocols=[PROTOCOL], max_size=None)
    await socket_.send(json.dumps({"type": "connection_init", "payload": payload or {}}))
    ack = json.loads(await socket_.recv())
    assert ack["type"] == "connection_ack", ack
    return socket_


async def subscribe(socket_, id_, query, variables=None):
    await socket_.send(json.dumps({"type": "subscribe", "id": id_, "payload": {"query": query, "variables": variables or {}}}))


async def next_message(socket_, timeout=10):
    return json.loads(await asyncio.wait_for(socket_.recv(), timeout))


async def close_code(socket_, timeout=10):
    """The close code the server ended the connection with."""
    try:
        while True:
            await asyncio.wait_for(socket_.recv(), timeout)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None


# A sale that crosses the low-stock threshold (5): one LOW_STOCK notification for the seller.
async def cross_threshold(base, product, token, receive=10, sell=6):
    post(base, "mutation($p: ID!) { receiveStock(productId: $p, quantity: %d) { available } }" % receive, {"p": product}, token)
    post(base, 'mutation($p: ID!) { adjustStock(productId: $p, delta: -%d, reason: "sold") { available } }' % sell, {"p": product}, token)


def registered_seller(base):
    """A real account with a shop (so that `me` resolves), and its access token."""
    import uuid
    auth = post(base, "mutation($i: RegisterInput!) { register(input: $i) { accessToken } }",
                {"i": {"email": "seller-%s@example.com" % uuid.uuid4().hex[:12], "password": "a long enough passphrase", "displayName": "Анна"}})
    token = auth["register"]["accessToken"]
    shop = post(base, "mutation($n: String!) { becomeSeller(input: {shopName: $n}) { auth { accessToken } } }", {"n": "Лавка " + uuid.uuid4().hex[:6]}, token)
    return shop["becomeSeller"]["auth"]["accessToken"]


async def interop(base, _token):
    from gql import Client, gql
    from gql.transport.websockets import WebsocketsTransport
    token = registered_seller(base)
    product = create_product(base, token)
    await wait_for_stock_record(base, product, token)
    transport = WebsocketsTransport(url=ws_url(base), init_payload={"authorization": "Bearer " + token}, subprotocols=[PROTOCOL])
    async with Client(transport=transport) as session:
        received = []

        async def watch():
            async for result in session.subscribe(gql("subscription { notificationAdded { kind title productId offset } }")):
                received.append(result)
                return

        task = asyncio.create_task(watch())
        await asyncio.sleep(0.3)
        await cross_threshold(base, product, token)
        await asyncio.wait_for(task, 10)
        query = await session.execute(gql("{ notificationsSince(since: 0) { kind } }"))
    me = post(base, "{ me { unreadNotificationCount notifications(first: 5) { notifications { kind read } } } }", token=token)
    return {"received": received, "product": product, "queryOverSocket": query, "me": me["me"]}


async def resume(base, token):
    product = create_product(base, token)
    await wait_for_stock_record(base, product, token)
    url = ws_url(base)
    auth = {"authorization": "Bearer " + token}
    first = await open_session(url, auth)
    await subscribe(first, "n", "subscription { notificationAdded { offset kind } }")
    await asyncio.sleep(0.3)
    await cross_threshold(base, product, token)  # LOW_STOCK
    seen = [(await next_message(first))["payload"]["data"]["notificationAdded"]]
    await first.close()
    # While away: cleared (back above the threshold), then low again.
    post(base, "mutation($p: ID!) { receiveStock(productId: $p, quantity: 10) { available } }", {"p": product}, token)
    post(base, 'mutation($p: ID!) { adjustStock(productId: $p, delta: -10, reason: "sold") { available } }', {"p": product}, token)
    last = seen[-1]["offset"]
    second = await open_session(url, auth)
    await subscribe(second, "n", "subscription($since: Int) { notificationAdded(since: $since) { offset kind } }", {"since": last})
    missed = [(await next_message(second))["payload"]["data"]["notificationAdded"] for _ in range(2)]
    post(base, "mutation($p: ID!) { receiveStock(productId: $p, quantity: 10) { available } }", {"p": product}, token)
    live = [(await next_message(second))["payload"]["data"]["notificationAdded"]]
    extra = []
    try:
        extra.append(await next_message(second, timeout=1))
    except asyncio.TimeoutError:
        pass
    await second.close()
    return {"seen": seen, "missed": missed, "live": live, "extra": extra}


async def visibility(base, token):
    product = create_product(base, token)
    await wait_for_stock_record(base, product, token)
    url = ws_url(base)
    query = "subscription($p: ID!) { stockChanged(productId: $p) { available onHand reserved } }"
    anonymous = await open_session(url)
    owner = await open_session(url, {"authorization": "Bearer " + token})
    for socket_ in (anonymous, owner):
        await subscribe(socket_, "s", query, {"p": product})
    await asyncio.sleep(0.3)
    post(base, "mutation($p: ID!) { receiveStock(productId: $p, quantity: 7) { available } }", {"p": product}, token)
    # The product's creation signals stock too, possibly after subscribing: read up to the receipt.
    async def receipt(socket_):
        for _ in range(5):
            payload = (await next_message(socket_))["payload"]
            if payload["data"]["stockChanged"]["available"] == 7:
                return payload
        return payload
    result = {"anonymous": await receipt(anonymous), "owner": await receipt(owner)}
    await anonymous.close()
    await owner.close()
    return result


async def slow(base, token, rounds):
    description = "Описание " * 1100
    product = create_product(base, token, description=description)
    version = publish(base, token, product)
    url = ws_url(base)
    query = "subscription($p: ID!) { productChanged(id: $p) { title description } }"
    # The slow reader: a small receive buffer, many subscriptions, and it stops reading.
    slow_socket = await connect(url, subprotocols=[PROTOCOL], max_size=None, open_timeout=10)
    sock = slow_socket.transport.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    await slow_socket.send(json.dumps({"type": "connection_init"}))
    assert json.loads(await slow_socket.recv())["type"] == "connection_ack"
    for index in range(100):
        await subscribe(slow_socket, "s%d" % index, query, {"p": product})
    slow_socket.transport.pause_reading()
    healthy = await open_session(url)
    await subscribe(healthy, "h", query, {"p": product})
    await asyncio.sleep(0.5)
    received = 0
    for round_ in range(rounds):
        data = post(base, "mutation($id: ID!, $v: Int!, $t: String!) { updateProduct(id: $id, expectedVersion: $v, input: {title: $t}) { version } }",
                    {"id": product, "v": version, "t": "Чайник %d" % round_}, token)
        version = data["updateProduct"]["version"]
        # Earlier signals (the publication's) may still arrive first: read up to this round's.
        for _ in range(5):
            title = (await next_message(healthy))["payload"]["data"]["productChanged"]["title"]
            if title == "Чайник %d" % round_:
                received += 1
                break
    slow_socket.transport.resume_reading()
    code = await close_code(slow_socket)
    await healthy.close()
    return {"healthyReceived": received, "slowClosedWith": code}


def raw_frames(base):
    """Frames no library client would send, over a raw socket: the close code each gets."""
    host, port = base.replace("http://", "").split(":")

    def upgraded():
        raw = socket.create_connection((host, int(port)), timeout=10)
        raw.sendall(("GET /graphql HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Protocol: %s\r\n\r\n" % PROTOCOL).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += raw.recv(4096)
        return raw

    def frame(opcode, payload, fin=True, masked=True):
        first = bytes([(0x80 if fin else 0) | opcode, (0x80 if masked else 0) | len(payload)])
        if not masked:
            return first + payload
        key = b"\x01\x02\x03\x04"
        return first + key + bytes(b ^ key[i % 4] for i, b in enumerate(payload))

    def closed_with(raw):
        data = b""
        while len(data) < 4:
            chunk = raw.recv(64)
            if not chunk:
                break
            data += chunk
        raw.close()
        return int.from_bytes(data[2:4], "big") if len(data) >= 4 and data[0] & 0x0F == 8 else "closed"

    out = {}
    for name, bytes_ in [("unmasked", frame(1, b'{"type":"connection_init"}', masked=False)),
                         ("fragmentedControl", frame(9, b"x", fin=False)),
                         ("oneByteClose", frame(8, b"\x03")),
                         ("reservedCloseCode", frame(8, (1005).to_bytes(2, "big"))),
                         ("closeCode", frame(8, (4000).to_bytes(2, "big")))]:
        raw = upgraded()
        raw.sendall(bytes_)
        out[name] = closed_with(raw)
    return out


async def protocol(base, token):
    url = ws_url(base)
    out = {}
    # A request that does not parse, on the connection that could have been upgraded: answered.
    host, port = base.replace("http://", "").split(":")
    raw = socket.create_connection((host, int(port)), timeout=5)
    raw.sendall(b"POST /graphql HTTP/1.1\r\nHost: x\r\ncontent-type: \x7f\r\ncontent-length: 2\r\n\r\n{}")
    out["unparsable"] = raw.recv(64).decode("latin-1").split("\r\n")[0]
    raw.close()
    schema = post(base, "{ __schema { subscriptionType { fields { name } } } }")
    out["subscriptionFields"] = sorted(field["name"] for field in schema["__schema"]["subscriptionType"]["fields"])
    try:
        post(base, "subscription { productChanged(id: \"7f1c4c2e-3b6a-4c59-9a58-2d1f0a7e6b11\") { title } }")
        out["overHTTP"] = "answered"
    except urllib.error.HTTPError as error:
        out["overHTTP"] = json.load(error)["errors"][0]["extensions"]["code"]
    except RuntimeError as error:
        out["overHTTP"] = str(error)
    socket_ = await connect(url, subprotocols=[PROTOCOL])
    await subscribe(socket_, "1", "subscription { productChanged(id: \"x\") { id } }")
    out["subscribeBeforeInit"] = await close_code(socket_)
    socket_ = await open_session(url)
    await socket_.send(json.dumps({"type": "connection_init"}))
    out["secondInit"] = await close_code(socket_)
    socket_ = await open_session(url)
    await socket_.send("{not json")
    out["badJSON"] = await close_code(socket_)
    socket_ = await connect(url, subprotocols=[PROTOCOL])
    await socket_.send(json.dumps({"type": "connection_init", "payload": {"authorization": "Bearer not.a.token"}}))
    out["badToken"] = await close_code(socket_)
    socket_ = await open_session(url)
    query = "subscription { productChanged(id: \"7f1c4c2e-3b6a-4c59-9a58-2d1f0a7e6b11\") { title } }"
    await subscribe(socket_, "dup", query)
    await asyncio.sleep(0.2)
    await subscribe(socket_, "dup", query)
    out["duplicateId"] = await close_code(socket_)
    socket_ = await open_session(url)
    await subscribe(socket_, "bad", "subscription { productChanged(id: \"7f1c4c2e-3b6a-4c59-9a58-2d1f0a7e6b11\") { noSuchField } }")
    out["invalidSelection"] = await next_message(socket_)
    await socket_.send(json.dumps({"type": "ping"}))
    out["ping"] = await next_message(socket_)
    await socket_.close()
    socket_ = await open_session(url)
    # Well over the limit even when a loaded machine spreads the burst over several seconds.
    # Closed while the client is still sending, the close frame can be lost: then "closed".
    try:
        for _ in range(2000):
            await socket_.send(json.dumps({"type": "ping"}))
        out["chatty"] = await close_code(socket_) or "closed"
    except ConnectionClosed as closed:
        out["chatty"] = closed.rcvd.code if closed.rcvd else "closed"
    # WebSocket's own ping (a control frame) is answered with a pong carrying its payload; a
    # frame over the server's limit (64 KiB) closes the connection with 1009 "message too big".
    socket_ = await open_session(url)
    await asyncio.wait_for(await socket_.ping(b"are you there"), 10)
    out["webSocketPing"] = "pong"
    await socket_.send("x" * 70_000)
    out["tooLarge"] = await close_code(socket_)
    out.update(raw_frames(base))
    socket_ = await connect(url, subprotocols=[PROTOCOL])
    out["initTimeout"] = await close_code(socket_, timeout=20)
    try:
        async with connect(url):
            out["withoutSubprotocol"] = "upgraded"
    except Exception as error:
        out["withoutSubprotocol"] = type(error).__name__
    return out


async def multinode(base, token, *nodes):
    product = create_product(base, token)
    version = publish(base, token, product)
    query = "subscription($p: ID!) { productChanged(id: $p) { title } }"
    sockets = []
    for node in nodes:
        socket_ = await open_session(ws_url(node))
        await subscribe(socket_, "m", query, {"p": product})
        sockets.append(socket_)
    await asyncio.sleep(0.5)
    post(base, 'mutation($id: ID!, $v: Int!) { updateProduct(id: $id, expectedVersion: $v, input: {title: "Новое имя"}) { version } }',
         {"id": product, "v": version}, token)
    # The publication's own signal may still arrive after subscribing: read up to the update's.
    titles = []
    for socket_ in sockets:
        for _ in range(5):
            title = (await next_message(socket_))["payload"]["data"]["productChanged"]["title"]
            if title == "Новое имя":
                break
        titles.append(title)
    for socket_ in sockets:
        await socket_.close()
    # Owner-only answers: each node resolves the seller's notification through the subgraphs
    # over HTTP, as the seller (the subgraph must be sent the seller's credential).
    await wait_for_stock_record(base, product, token)
    sockets = []
    for node in nodes:
        socket_ = await open_session(ws_url(node), {"authorization": "Bearer " + token})
        await subscribe(socket_, "n", "subscription { notificationAdded { kind productId } }")
        sockets.append(socket_)
    await asyncio.sleep(0.5)
    await cross_threshold(base, product, token)
    notified = []
    for socket_ in sockets:
        message = await next_message(socket_)
        notified.append((message.get("payload") or {}).get("data") or message)
        await socket_.close()
    return {"titles": titles, "notified": notified, "product": product}


SCENARIOS = {"interop": interop, "resume": resume, "visibility": visibility, "slow": slow, "protocol": protocol, "multinode": multinode}

if __name__ == "__main__":
    scenario, base, token, *rest = sys.argv[1:]
    if scenario == "slow":
        rest = [int(rest[0]) if rest else 20]
    result = asyncio.run(SCENARIOS[scenario](base, token, *rest))
    print(json.dumps(result, ensure_ascii=False))
