"""A federation v2 subgraph written with another GraphQL library (strawberry), for Emporium's
gateway tests: it adds customer reviews to catalog products.

    python3 reviews_subgraph.py PORT

Serves POST /graphql (JSON) on 127.0.0.1:PORT and prints "listening" once ready. Reviews are
derived from the product id, so tests know what to expect without shared state.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import List

import strawberry


@strawberry.type
class Review:
    stars: int
    text: str


def reviews_of(product_id: str) -> List[Review]:
    # Deterministic: the number of reviews is the count of hex letters a-f in the id (capped).
    count = min(3, sum(1 for c in product_id if c in "abcdef"))
    return [Review(stars=(i % 5) + 1, text=f"review {i + 1} of {product_id}") for i in range(count)]


@strawberry.federation.type(keys=["id"])
class Product:
    id: strawberry.ID

    @strawberry.field
    def reviews(self) -> List[Review]:
        return reviews_of(str(self.id))

    @strawberry.field
    def review_count(self) -> int:
        return len(reviews_of(str(self.id)))

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "Product":
        return Product(id=id)


@strawberry.type
class Query:
    @strawberry.field
    def top_review_stars(self) -> int:
        return 5


schema = strawberry.federation.Schema(query=Query, types=[Product], federation_version="2.3")


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("content-length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        result = schema.execute_sync(body.get("query", ""), variable_values=body.get("variables"),
                                     operation_name=body.get("operationName"))
        payload = {"data": result.data}
        if result.errors:
            payload["errors"] = [{"message": e.message, "path": e.path} for e in result.errors]
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    print("listening", flush=True)
    server.serve_forever()
