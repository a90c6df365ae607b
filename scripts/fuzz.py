#!/usr/bin/env python3
"""Attacks a running single node the way a hostile client would, and checks that it survives.

Seeded, so a failure is reproduced by its seed (and printed with the request that caused it).
Every request is one of: GraphQL documents built from the real schema with numbers, strings and
cursors at the edges; deep nesting, fragment bombs and cycles; malformed bodies and headers;
forged tokens; the internal endpoints without their credential; REST search. After every
request the node must answer /health/live, no answer may be a 5xx, every GraphQL error must
carry extensions.code, and a refused product mutation must leave the seller's products as they
were. Only 127.0.0.1 is ever contacted; the run is bounded by --requests.

Usage: fuzz.py --url http://127.0.0.1:PORT --seller-token TOKEN [--seed N] [--requests M]
"""
import argparse
import base64
import hashlib
import hmac
import http.client
import json
import random
import sys
import time

EDGE_INTS = [0, -1, 1, 2, 99, 100, 101, 2**31 - 1, -(2**31), 2**31, -(2**31) - 1, 2**53, 2**63 - 1, -(2**63), 2**63, 2**64, 10**30]
EDGE_FLOATS = ["1e999", "-1e999", "1.5", "-0", "0.0000001", "1e308", "NaN", "Infinity"]
ODD_STRINGS = [
    "", " ", "\u0000", "a\u0000b", "\u202e\u202d", "😀" * 50, "\ud7ff", "e\u0301" * 100, "\t\n\r", "'; DROP TABLE products; --",
    "%00", "\\", "\"", "Смартфон Галактика", "x" * 5000, "\u0085\u2028\u2029", "\uffff", "<script>alert(1)</script>",
]
ROOT_QUERIES = ["product", "productBySlug", "products", "searchProducts", "search", "searchSuggestions", "categories", "category", "stock"]
PRODUCT_FIELDS = ["id", "sellerId", "title", "slug", "description", "status", "publishAt", "createdAt", "updatedAt", "version", "__typename",
                  "price { amount currency formatted }", "compareAtPrice { amount }", "attributes { key value }", "imageUrls",
                  "category { id name parent { id } children { id } }", "inStock",
                  "stock { available onHand reserved lowStockThreshold warehouses { warehouse { code } onHand } }"]


class Failure(Exception):
    pass


class Fuzzer:
    def __init__(self, url, seller_token, seed, secret=None):
        self.host, self.port = url.replace("http://", "").split("/")[0].split(":")
        self.port = int(self.port)
        self.seller_token = seller_token
        self.random = random.Random(seed)
        self.seed = seed
        self.connection = None
        self.probe = None
        self.cursors = ["", "abc", "p", "====", "eyJ2IjoxLCJrIjpbXX0"]
        self.product_ids = ["00000000-0000-0000-0000-000000000000", "not-a-uuid", ""]
        self.refresh_tokens = []
        self.admin_token = None
        self.created = 0
        self.shapes = set()
        self.statuses = {}
        self.codes = {}

    # MARK: HTTP

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                if response.getheader("connection", "").lower() == "close":
                    self.connection.close()
                    self.connection = None
                return response.status, dict((k.lower(), v) for k, v in response.getheaders()), data
            except (ConnectionError, http.client.HTTPException, OSError) as error:
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    raise Failure(f"the connection failed: {error!r}")

    def alive(self):
        """/health/live on a connection of its own (kept open: a probe per request must not
        cost a TCP handshake each); a dropped connection is retried once on a new one."""
        for attempt in range(2):
            if self.probe is None:
                self.probe = http.client.HTTPConnection(self.host, self.port, timeout=5)
            try:
                self.probe.request("GET", "/health/live")
                response = self.probe.getresponse()
                response.read()
                if response.status != 200:
                    raise Failure(f"/health/live answered {response.status}")
                return
            except (ConnectionError, OSError, http.client.HTTPException) as error:
                self.probe.close()
                self.probe = None
                if attempt == 1 or isinstance(error, TimeoutError):
                    raise Failure(f"/health/live did not answer within 5 s: {error!r}")

    def graphql(self, query, variables=None, token=None, operation=None, path="/graphql"):
        body = {"query": query}
        if variables is not None:
            body["variables"] = variables
        if operation is not None:
            body["operationName"] = operation
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = "Bearer " + token
        return ("POST", path, json.dumps(body).encode(), headers)

    # MARK: values

    def pick(self, items):
        return self.random.choice(items)

    def int_literal(self):
        return str(self.pick(EDGE_INTS + [self.random.randint(-1000, 1000)]))

    def string(self):
        roll = self.random.random()
        if roll < 0.5:
            return self.pick(ODD_STRINGS)
        if roll < 0.8:
            return "".join(chr(self.random.choice([self.random.randint(0x20, 0x7e), self.random.randint(0x400, 0x4ff), self.random.randint(0, 0x1f), self.random.randint(0x1f300, 0x1f64f)])) for _ in range(self.random.randint(0, 40)))
        return "Товар " + str(self.random.randint(0, 10**6))

    def cursor(self):
        roll = self.random.random()
        if roll < 0.3 and self.cursors:
            return self.pick(self.cursors)
        keys = self.pick([
            ["p", str(self.pick(EDGE_INTS)), self.pick(self.product_ids)],
            ["s", str(self.pick(EDGE_INTS))],
            ["p", "1.5e300", "x"], [], ["p"], ["s", "-1"], ["s", "9999"], ["s", "10000"],
        ])
        payload = json.dumps({"v": self.pick([1, 1, 1, 2, 0, -1, 2**63]), "k": keys}).encode()
        text = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        if self.random.random() < 0.1:
            text = text[: self.random.randint(0, len(text))] + self.pick(["!", "=", "%", "\u00e9", ""])
        return text

    def gql_string(self, value):
        return json.dumps(value)

    def selection(self, depth=0):
        fields = self.random.sample(PRODUCT_FIELDS, self.random.randint(1, 4))
        return " ".join(fields)

    # MARK: generators

    def query_document(self):
        root = self.pick(ROOT_QUERIES)
        first = self.int_literal() if self.random.random() < 0.7 else None
        after = self.cursor() if self.random.random() < 0.5 else None
        args = []
        if root in ("products", "searchProducts"):
            if root == "searchProducts":
                args.append("query: " + self.gql_string(self.string()))
            if first is not None:
                args.append("first: " + first)
            if after is not None:
                args.append("after: " + self.gql_string(after))
            if root == "products" and self.random.random() < 0.3:
                args.append("filter: {minPrice: %s, maxPrice: %s, statuses: [PUBLISHED, DRAFT]}" % (self.int_literal(), self.int_literal()))
            arguments = "(" + ", ".join(args) + ")" if args else ""
            return "{ %s%s { edges { cursor node { %s } } pageInfo { hasNextPage endCursor } } }" % (root, arguments, self.selection())
        if root == "search":
            fields = {"query": lambda: self.gql_string(self.string()), "categoryId": lambda: self.gql_string(self.pick(self.product_ids + [self.string()])),
                      "sellerId": lambda: self.gql_string(self.string()), "minPrice": self.int_literal, "maxPrice": self.int_literal,
                      "currency": lambda: self.gql_string(self.pick(["RUB", "USD", "", "rub", self.string()])), "inStock": lambda: self.pick(["true", "false", "null"]),
                      "sort": lambda: self.pick(["RELEVANCE", "PRICE_ASC", "PRICE_DESC", "NEWEST", "POPULARITY", "CHEAP"]),
                      "first": self.int_literal, "after": lambda: self.gql_string(self.cursor())}
            chosen = self.random.sample(sorted(fields), self.random.randint(0, 5))
            arguments = ", ".join("%s: %s" % (name, fields[name]()) for name in chosen)
            facets = self.pick(["", "totalCount", "facets { exact categories { count category { name } } prices { currency min max count } } totalCount"])
            return "{ search(input: {%s}) { correctedQuery %s products { nodes { %s } pageInfo { endCursor } } } }" % (arguments, facets, self.selection())
        if root == "searchSuggestions":
            first = ", first: " + self.int_literal() if self.random.random() < 0.5 else ""
            return "{ searchSuggestions(prefix: %s%s) { kind text category { name } product { id title } } }" % (self.gql_string(self.string()), first)
        if root in ("product", "stock", "category"):
            key = "productId" if root == "stock" else "id"
            body = "available inStock onHand reserved" if root == "stock" else ("id name" if root == "category" else self.selection())
            return '{ %s(%s: %s) { %s } }' % (root, key, self.gql_string(self.pick(self.product_ids + [self.string()])), body)
        if root == "productBySlug":
            return '{ productBySlug(slug: %s) { %s } }' % (self.gql_string(self.string()), self.selection())
        return "{ categories { id name children { id } } }"

    def variables_document(self):
        """The same shapes, with the numbers and strings in variables (coerced, not validated)."""
        value = self.pick([self.pick(EDGE_INTS), 1.5, 1e300, "12", None, True, [], {}, [[[[1]]]], -0.0])
        after = self.pick([self.cursor(), None, 5, {"v": 1}])
        query = "query Q($n: Int, $after: String) { products(first: $n, after: $after) { edges { cursor node { id title } } } }"
        return query, {"n": value, "after": after}

    def mutation(self):
        kind = self.pick(["create", "create", "update", "publish", "discount", "export", "stock", "adjust", "reserve", "category", "account", "account"])
        token = self.seller_token if self.random.random() < 0.8 else self.pick([None, self.forged_token()])
        if kind == "create":
            # Half of the creations are valid but for (at most) one field, so that the write path
            # and its constraints are reached, not only the first validation.
            plausible = self.random.random() < 0.5
            title = "Fuzz product %d" % self.random.randint(0, 10**9) if plausible or self.random.random() < 0.3 else self.string()
            if self.created >= 90:
                # The seller's product count is checked through one page of 100: past 90, every
                # creation is made invalid (a blank title) and must still write nothing.
                title = self.pick(["", " ", "\u0000"])
            amount = self.pick([1999, 1, 2**31 - 1]) if plausible else self.pick(EDGE_INTS + [1999])
            currency = self.pick(["RUB", "EUR", "USD"]) if plausible else self.pick(["RUB", "EUR", "XXX", "", "rub", "€", "USD"])
            variables = {"input": {"title": title, "price": {"amount": amount, "currency": currency}}}
            if self.random.random() < 0.4:
                variables["input"]["description"] = self.string()
            if self.random.random() < 0.3:
                variables["input"]["attributes"] = [{"key": self.string(), "value": self.string()} for _ in range(self.random.randint(0, 60))]
            if self.random.random() < 0.2:
                variables["input"]["imageUrls"] = [self.pick(["http://x", "javascript:alert(1)", self.string(), "https://cdn.example/a.png"]) for _ in range(self.random.randint(0, 30))]
            if self.random.random() < 0.2:
                variables["input"]["sellerId"] = self.pick(["other-seller", "", "fuzz-seller"])
            if self.random.random() < 0.2:
                variables["input"]["categoryId"] = self.pick(self.product_ids)
            return ("create", self.graphql("mutation C($input: CreateProductInput!) { createProduct(input: $input) { id slug version } }", variables, token))
        if kind == "update":
            query = "mutation U($id: ID!, $v: Int!, $input: UpdateProductInput!) { updateProduct(id: $id, expectedVersion: $v, input: $input) { id version } }"
            variables = {"id": self.pick(self.product_ids), "v": self.pick(EDGE_INTS), "input": {"title": self.string(), "price": {"amount": self.pick(EDGE_INTS), "currency": "RUB"}}}
            return ("update", self.graphql(query, variables, token))
        if kind == "publish":
            query = 'mutation { publishProduct(id: %s, publishAt: %s) { id status } }' % (self.gql_string(self.pick(self.product_ids)), self.gql_string(self.pick(["2026-13-45T99:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "-1", self.string()])))
            return ("publish", self.graphql(query, None, token))
        if kind == "export":
            if self.random.random() < 0.4:
                return ("export", self.graphql("query E($id: ID!) { exportJob(id: $id) { state downloadUrl } }", {"id": self.pick(self.product_ids + [self.string(), ""])}, token))
            value = {"format": self.pick(["XLSX", "CSV", "PDF", "", 1])}
            if self.random.random() < 0.5:
                value["filter"] = {"sellerId": self.pick(["fuzz-seller", "other", "", self.string()]), "status": self.pick(["PUBLISHED", "DRAFT", "SOLD", None])}
            return ("export", self.graphql("mutation X($format: ExportFormat!, $filter: ProductExportFilter) { exportProducts(format: $format, filter: $filter) { id state } }", value, token))
        if kind == "discount":
            dates = ["2026-13-45T99:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z", "-1", self.string()]
            value = {"startsAt": self.pick(dates), "endsAt": self.pick(dates)}
            if self.random.random() < 0.6:
                value["percent"] = self.pick(EDGE_INTS + [10, 50])
            if self.random.random() < 0.6:
                value["price"] = {"amount": self.pick(EDGE_INTS), "currency": self.pick(["RUB", "EUR", "", "XXX"])}
            if self.random.random() < 0.2:
                return ("discount", self.graphql("mutation { cancelDiscount(id: %s) { id state } }" % self.gql_string(self.pick(self.product_ids + [self.string()])), None, token))
            query = "mutation D($id: ID!, $input: DiscountInput!) { scheduleDiscount(productId: $id, input: $input) { id state price { amount } } }"
            return ("discount", self.graphql(query, {"id": self.pick(self.product_ids + [self.string()]), "input": value}, token))
        if kind == "stock":
            query = "mutation { receiveStock(productId: %s, quantity: %s) { available } }" % (self.gql_string(self.pick(self.product_ids)), self.int_literal())
            return ("stock", self.graphql(query, None, token))
        if kind == "adjust":
            query = "mutation A($id: ID!, $d: Int!, $r: String!) { adjustStock(productId: $id, delta: $d, reason: $r) { available } }"
            return ("adjust", self.graphql(query, {"id": self.pick(self.product_ids), "d": self.pick(EDGE_INTS), "r": self.string()}, token))
        if kind == "reserve":
            lines = [{"productId": self.pick(self.product_ids), "quantity": self.pick(EDGE_INTS)} for _ in range(self.pick([0, 1, 2, 101, 1000]))]
            query = "mutation R($lines: [ReservationLineInput!]!, $ttl: Int) { reserveStock(lines: $lines, ttlSeconds: $ttl) { id } }"
            return ("reserve", self.graphql(query, {"lines": lines, "ttl": self.pick(EDGE_INTS)}, token))
        if kind == "account":
            return ("account", self.account_mutation(token))
        query = "mutation { createCategory(input: {name: %s, slug: %s}) { id } }" % (self.gql_string(self.string()), self.gql_string(self.string()))
        return ("category", self.graphql(query, None, token))

    def account_mutation(self, token):
        """Registration, login, refresh, logout and password changes with hostile values."""
        def email():
            return self.pick(["fuzz%d@example.com" % self.random.randint(0, 10**6), "FUZZ@Example.com", self.string(), "a@b", "@", "x" * 300 + "@example.com", "a\u0000b@example.com"])
        def password():
            return self.pick(["long enough secret", "short", "", "\u0000" * 20, "я" * 128, "я" * 129, "x" * 10000, self.string()])
        def refresh():
            return self.pick(["A" * 43, "-" * 43, "", "\u00e9" * 43, "x" * 100000, self.string()] + self.refresh_tokens)
        kind = self.pick(["register", "login", "refresh", "logout", "password", "everywhere", "request-reset", "reset", "verify", "seller", "admin", "admin", "delete", "export", "email-change", "email-confirm", "language"])
        fields = "accessToken refreshToken user { id email roles language }"
        if kind == "register":
            value = {"email": email(), "password": password(), "displayName": self.string()}
            if self.random.random() < 0.3:
                value["language"] = self.pick(["RU", "EN", "DE", "", 1])
            return self.graphql("mutation R($input: RegisterInput!) { register(input: $input) { %s } }" % fields, {"input": value}, None)
        if kind == "login":
            return self.graphql("mutation L($e: String!, $p: String!) { login(email: $e, password: $p) { %s } }" % fields, {"e": email(), "p": password()}, None)
        if kind == "refresh":
            return self.graphql("mutation F($t: String!) { refreshSession(refreshToken: $t) { %s } }" % fields, {"t": refresh()}, None)
        if kind == "logout":
            return self.graphql("mutation O($t: String!) { logout(refreshToken: $t) }", {"t": refresh()}, None)
        if kind == "password":
            return self.graphql("mutation P($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { accessToken } }", {"c": password(), "n": password()}, token)
        if kind == "export":
            if self.random.random() < 0.5:
                return self.graphql("{ myPersonalData { userId account orders notifications } }", None, token)
            return self.graphql("{ exportMyData }", None, token)
        if kind == "email-change":
            return self.graphql("mutation E($e: String!, $p: String!) { requestEmailChange(newEmail: $e, password: $p) }", {"e": email(), "p": password()}, token)
        if kind == "email-confirm":
            return self.graphql("mutation C($t: String!) { confirmEmailChange(token: $t) { id email } }", {"t": refresh()}, None)
        if kind == "language":
            return self.graphql("mutation G($l: Language!) { setLanguage(language: $l) { id language } }", {"l": self.pick(["RU", "EN", "DE", "", "ru", 1, None])}, token)
        if kind == "delete":
            return self.graphql("mutation D($p: String!) { deleteAccount(password: $p) }", {"p": password()}, token)
        if kind == "request-reset":
            return self.graphql("mutation Q($e: String!) { requestPasswordReset(email: $e) }", {"e": email()}, None)
        if kind == "reset":
            return self.graphql("mutation S($t: String!, $n: String!) { resetPassword(token: $t, newPassword: $n) }", {"t": refresh(), "n": password()}, None)
        if kind == "verify":
            return self.graphql("mutation V($t: String!) { verifyEmail(token: $t) { id emailVerified } }", {"t": refresh()}, None)
        if kind == "admin":
            admin = self.pick([self.admin_token, self.admin_token, token])
            user = self.pick(self.product_ids + [self.string(), "00000000-0000-0000-0000-000000000000"])
            action = self.pick(["users", "audit", "roles", "suspend", "reinstate", "synonyms", "synonyms-list"])
            if action == "synonyms":
                words = self.pick([[], [self.string()], [self.string() for _ in range(self.random.randint(0, 25))], "x", [None]])
                return self.graphql("mutation Y($t: String!, $s: [String!]!) { setSearchSynonyms(term: $t, synonyms: $s) { term synonyms updatedAt } }",
                                    {"t": self.pick([self.string(), "телефон", "два слова"]), "s": words}, admin)
            if action == "synonyms-list":
                return self.graphql("query Z($f: Int, $a: String) { searchSynonyms(first: $f, after: $a) { term synonyms } }",
                                    {"f": self.pick(EDGE_INTS + [None, 5]), "a": self.pick([None, self.string()])}, admin)
            if action == "users":
                return self.graphql("query U($f: Int, $a: String, $q: String) { users(first: $f, after: $a, query: $q) { users { id email suspended } nextCursor } }",
                                    {"f": self.pick(EDGE_INTS + [None, 5]), "a": self.pick([None, self.cursor(), self.string()]), "q": self.pick([None, self.string(), "%", "_", "\\"])}, admin)
            if action == "audit":
                return self.graphql("query A($f: Int, $a: String) { auditLog(first: $f, after: $a) { entries { id action } nextCursor } }",
                                    {"f": self.pick(EDGE_INTS + [None]), "a": self.pick([None, self.cursor(), self.string()])}, admin)
            if action == "roles":
                return self.graphql("mutation R($u: ID!, $r: [Role!]!) { setUserRoles(userId: $u, roles: $r) { id roles } }",
                                    {"u": user, "r": self.pick([["BUYER"], ["SELLER", "ADMIN"], [], ["ROOT"], "ADMIN"])}, admin)
            if action == "suspend":
                return self.graphql("mutation S($u: ID!, $r: String!) { suspendUser(userId: $u, reason: $r) { id suspended } }", {"u": user, "r": self.string()}, admin)
            return self.graphql("mutation I($u: ID!) { reinstateUser(userId: $u) { id } }", {"u": user}, admin)
        if kind == "seller":
            return self.graphql("mutation B($n: String!) { becomeSeller(input: {shopName: $n}) { seller { slug } auth { accessToken } } }", {"n": self.string()}, token)
        return self.graphql("mutation { logoutEverywhere }", None, token)

    def hostile_document(self):
        kind = self.pick(["nest", "bomb", "cycle", "introspection", "aliases", "braces", "tokens", "width", "directives", "unknown"])
        n = self.random.randint(1, 40)
        if kind == "nest":
            return "{ categories { " + "children { " * n + "id" + " }" * n + " } }"
        if kind == "bomb":
            fragments = ["fragment F%d on Product { ...F%d ...F%d }" % (i, i + 1, i + 1) for i in range(n)]
            fragments.append("fragment F%d on Product { id title }" % n)
            return "{ products(first: 2) { nodes { ...F0 } } } " + " ".join(fragments)
        if kind == "cycle":
            return "{ products { nodes { ...A } } } fragment A on Product { id ...B } fragment B on Product { ...A }"
        if kind == "introspection":
            return "{ __schema { types { name fields { type { " + "ofType { " * n + "name" + " }" * n + " } } } } }"
        if kind == "aliases":
            return "{ " + " ".join("a%d: categories { id }" % i for i in range(n * 5)) + " }"
        if kind == "braces":
            size = self.pick([100, 10_000, 300_000])
            return "{a" * size + "}" * self.random.randint(0, size)
        if kind == "tokens":
            return "{ categories { " + "id " * self.pick([100, 30_000, 200_000]) + "} }"
        if kind == "width":
            return "{ products(first: 100) { edges { node { " + " ".join(self.random.choice(PRODUCT_FIELDS) for _ in range(n * 10)) + " } } } }"
        if kind == "directives":
            return "query($s: Boolean = true) { categories @skip(if: $s) @include(if: 1) { id @deprecated } }"
        return "{ %s }" % self.string()

    def forged_token(self):
        def segment(obj):
            return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")
        now = int(time.time())
        claims = {"sub": "attacker", "roles": self.pick([["admin"], ["seller"], ["root"], []]), "exp": self.pick([now + 3600, now - 3600, 2**63, -1]), "iat": now}
        header = self.pick([{"alg": "none", "typ": "JWT"}, {"alg": "HS256", "typ": "JWT"}, {"alg": "RS256"}, {"alg": "EdDSA", "kid": "../../etc/passwd"}, {}])
        unsigned = segment(header) + "." + segment(claims)
        signature = base64.urlsafe_b64encode(hmac.new(b"guess", unsigned.encode(), hashlib.sha256).digest()).decode().rstrip("=")
        return self.pick([unsigned + ".", unsigned + "." + signature, "garbage", "a.b.c", "x" * 9000, "", unsigned + "." + "A" * 5000])

    def raw_request(self):
        kind = self.pick(["json", "content-type", "get", "headers", "internal", "rest", "download", "big", "method", "upload", "image"])
        if kind == "json":
            body = self.pick([b"{", b"[]", b"null", b'{"query": 5}', b'{"query": ""}', b'{"query": "{ categories { id } }", "variables": []}',
                              b'{"query": "{ categories { id } }", "variables": ' + b"[" * 600 + b"]" * 600 + b"}",
                              b'{"query": "\\ud800"}', b"\xff\xfe\x00", b'{"query": "{ categories { id } }", "operationName": 7}',
                              b'{"query": "query A { categories { id } } query B { categories { id } }"}'])
            return ("POST", "/graphql", body, {"content-type": "application/json"})
        if kind == "content-type":
            return ("POST", "/graphql", b"{ categories { id } }", {"content-type": self.pick(["application/graphql", "text/plain", "application/json; charset=utf-16", "multipart/form-data; boundary=x", "\x7f"])})
        if kind == "get":
            query = self.pick(["{ categories { id } }", "mutation { createCategory(input: {name: \"x\"}) { id } }", "%", "{" * 1000, ""])
            from urllib.parse import quote
            return ("GET", "/graphql?query=" + quote(query) + "&variables=" + quote(self.pick(["{", "[]", '{"a":1}', "%ZZ"])), None, {"accept": self.pick(["application/json", "text/html", "*/*", ""])})
        if kind == "headers":
            headers = {"content-type": "application/json"}
            headers[self.pick(["authorization", "x-forwarded-for", "accept", "traceparent", "emporium-client", "emporium-internal-token", "if-none-match"])] = self.pick([
                "Bearer " + self.forged_token(), "Basic YWRtaW46YWRtaW4=", "Bearer", "bearer  x", "1.2.3.4, 5.6.7.8", "::1" * 100, "x" * 8000, "\t", "00-zz-zz-01"])
            return ("POST", "/graphql", json.dumps({"query": "{ categories { id } }"}).encode(), headers)
        if kind == "internal":
            path = self.pick(["/subgraphs/catalog/graphql", "/subgraphs/inventory/graphql"])
            headers = {"content-type": "application/json"}
            if self.random.random() < 0.5:
                headers["emporium-internal-token"] = self.pick(["", "x", "a" * 64, "test"])
            return ("POST", path, json.dumps({"query": "{ _service { sdl } }"}).encode(), headers)
        if kind == "rest":
            from urllib.parse import quote
            params = "q=" + quote(self.string()) + "&first=" + quote(self.int_literal()) + "&after=" + quote(self.cursor())
            return ("GET", "/api/products/search?" + params, None, {})
        if kind == "download":
            from urllib.parse import quote
            ident = self.pick(["00000000-0000-0000-0000-000000000000", "..%2F..%2Fetc", "x" * 300, self.string()] + self.product_ids)
            params = "expires=" + quote(self.pick(["9999999999", "-1", "99999999999999999999", "", self.int_literal()])) + "&signature=" + quote(self.pick(["0" * 64, "g" * 64, "", "a" * 10000, self.string()]))
            return ("GET", "/exports/" + quote(ident, safe="") + "/download?" + params, None, {})
        if kind == "big":
            return ("POST", "/graphql", b'{"query": "' + b"a" * (1 << 20) + b'"}', {"content-type": "application/json"})
        if kind == "upload":
            return self.upload_request()
        if kind == "image":
            from urllib.parse import quote
            ident = self.pick(["00000000-0000-0000-0000-000000000000", "..%2F..%2Fetc", "x" * 300, self.string()] + self.product_ids)
            name = self.pick(["64.jpg", "1280.webp", "original", "99999999999999999999.jpg", "64.gif", "..", "64.jpg.webp", self.string()])
            return ("GET", "/images/" + quote(ident, safe="") + "/" + quote(name, safe=""), None, {})
        return (self.pick(["PUT", "DELETE", "PATCH", "OPTIONS"]), "/graphql", b"{}", {"content-type": "application/json"})

    def upload_request(self):
        """A hostile image upload: forms broken in every part, files that lie about what they are."""
        boundary = self.pick(["b0undary", "x" * 70, "a b", "--", "\u00e9"])
        files = [b"\xff\xd8\xff" + bytes(self.random.getrandbits(8) for _ in range(64)), b"\x89PNG\r\n\x1a\n" + b"\x00" * 30,
                 b"RIFF\x00\x00\x00\x00WEBPVP8 ", b"GIF89a", b"<svg/>", b"", b"\xff\xd8\xff" + b"\r\n--" + boundary.encode("utf-8", "replace")]
        product = self.pick(self.product_ids + ["", "x" * 200, self.string()])
        parts = []
        if self.random.random() < 0.8:
            parts.append(b"--" + boundary.encode("utf-8", "replace") + b'\r\nContent-Disposition: form-data; name="productId"\r\n\r\n' + product.encode("utf-8", "replace") + b"\r\n")
        for _ in range(self.pick([0, 1, 1, 1, 2, 12])):
            name = self.pick([b"file", b"file", b"other", b'"', b""])
            parts.append(b"--" + boundary.encode("utf-8", "replace") + b'\r\nContent-Disposition: form-data; name="' + name + b'"; filename="a.jpg"\r\n\r\n' + self.pick(files) + b"\r\n")
        body = b"".join(parts) + (b"--" + boundary.encode("utf-8", "replace") + b"--\r\n" if self.random.random() < 0.8 else b"")
        if self.random.random() < 0.2:
            body = body[: self.random.randrange(len(body) + 1)]
        content_type = self.pick(["multipart/form-data; boundary=" + boundary, "multipart/form-data", "image/jpeg", "multipart/form-data; boundary=\"" + boundary + "\""])
        headers = {"content-type": content_type}
        token = self.pick([None, self.seller_token, self.seller_token, "Bearer " + self.forged_token()])
        if token:
            headers["authorization"] = token if token.startswith("Bearer ") else "Bearer " + token
        return ("POST", "/uploads/images", body, headers)

    # MARK: checks

    def check(self, request, status, headers, data):
        method, path = request[0], request[1]
        if status >= 500:
            raise Failure(f"answered {status}: {data[:500]!r}")
        if path.startswith("/subgraphs/") and status != 403:
            raise Failure(f"an internal endpoint answered {status} without the credential")
        content_type = headers.get("content-type", "")
        if "json" in content_type and data:
            try:
                body = json.loads(data)
            except ValueError:
                raise Failure(f"a JSON answer that does not parse: {data[:300]!r}")
            if isinstance(body, dict):
                for error in body.get("errors") or []:
                    code = (error.get("extensions") or {}).get("code")
                    if not code:
                        raise Failure(f"an error without extensions.code: {json.dumps(error)[:500]}")
                    if code == "INTERNAL_SERVER_ERROR":
                        raise Failure(f"a client's request ended in INTERNAL_SERVER_ERROR: {json.dumps(error)[:500]}")
                    self.codes[code] = self.codes.get(code, 0) + 1
                return body
        return None

    def learn(self, body):
        """Keeps real ids and cursors from answers, so later requests reach deeper code."""
        text = json.dumps(body)
        for key, store in (('"id": "', self.product_ids), ('"cursor": "', self.cursors), ('"endCursor": "', self.cursors), ('"refreshToken": "', self.refresh_tokens)):
            start = text.find(key)
            if start >= 0:
                value = text[start + len(key): text.find('"', start + len(key))]
                if value and value not in store and len(store) < 200:
                    store.append(value)

    def seller_products(self):
        query = "{ products(first: 100, filter: {sellerId: \"fuzz-seller\", statuses: [DRAFT, SCHEDULED, PUBLISHED, ARCHIVED]}) { nodes { id } } }"
        request = self.graphql(query, None, self.seller_token)
        status, _, data = self.request(*request)
        body = json.loads(data)
        if status != 200 or body.get("errors"):
            raise Failure(f"could not list the seller's products: {data[:300]!r}")
        return len(body["data"]["products"]["nodes"])

    def shape(self, request):
        body = request[2] or b""
        try:
            query = json.loads(body).get("query", "")
        except Exception:
            query = body[:64].decode("latin-1")
        skeleton = "".join(c for c in str(query) if c in "{}()[]:!$@.") if isinstance(query, str) else "?"
        return hashlib.sha1((request[0] + request[1].split("?")[0] + skeleton[:400]).encode()).hexdigest()[:12]

    def next_request(self):
        roll = self.random.random()
        if roll < 0.3:
            return ("query", self.graphql(self.query_document(), None, self.pick([None, None, self.seller_token])))
        if roll < 0.4:
            query, variables = self.variables_document()
            return ("variables", self.graphql(query, variables))
        if roll < 0.6:
            return self.mutation()
        if roll < 0.8:
            return ("hostile", self.graphql(self.hostile_document(), None, None))
        return ("raw", self.raw_request())

    def run(self, count, report_every=0):
        started = time.time()
        for index in range(count):
            kind, request = self.next_request()
            self.shapes.add(self.shape(request))
            try:
                status, headers, data = self.request(*request)
                self.statuses[status] = self.statuses.get(status, 0) + 1
                body = self.check(request, status, headers, data)
                if body:
                    self.learn(body)
                if kind == "create":
                    created = isinstance(body, dict) and isinstance(body.get("data"), dict) and (body["data"].get("createProduct") or {}).get("id")
                    if created:
                        self.created += 1
                    if not created or index % 50 == 0:
                        have = self.seller_products()
                        if have != self.created:
                            raise Failure(f"the seller has {have} products but {self.created} creations succeeded")
                self.alive()
            except Failure as failure:
                method, path, body, headers = request
                print(f"FUZZ FAILURE (seed {self.seed}, request {index + 1}): {failure}", file=sys.stderr)
                print(f"  reproduce: scripts/fuzz --seed {self.seed} --requests {index + 1}", file=sys.stderr)
                print(f"  request: {method} {path[:300]} headers={json.dumps(headers)[:500]}", file=sys.stderr)
                print(f"  body: {(body or b'')[:2000]!r}", file=sys.stderr)
                return False
            if report_every and (index + 1) % report_every == 0:
                print(f"fuzz: {index + 1} requests, {len(self.shapes)} shapes, {time.time() - started:.0f} s", flush=True)
        return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--seller-token", required=True)
    parser.add_argument("--admin-token", default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=3000)
    arguments = parser.parse_args()
    if not arguments.url.startswith("http://127.0.0.1:"):
        sys.exit("the fuzzer only targets 127.0.0.1")
    fuzzer = Fuzzer(arguments.url, arguments.seller_token, arguments.seed)
    fuzzer.admin_token = arguments.admin_token
    started = time.time()
    ok = fuzzer.run(arguments.requests, report_every=max(1000, arguments.requests // 20))
    elapsed = time.time() - started
    print(f"fuzz: seed {arguments.seed}, {arguments.requests if ok else 'stopped after a failure of'} requests, "
          f"{len(fuzzer.shapes)} distinct shapes, {fuzzer.created} products created, {elapsed:.0f} s")
    print(f"fuzz: statuses {dict(sorted(fuzzer.statuses.items()))}")
    print(f"fuzz: error codes {dict(sorted(fuzzer.codes.items(), key=lambda item: -item[1]))}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
