#!/usr/bin/env python3
"""The yardstick of scripts/bench-search: the same published products and the same queries in
Tantivy (PyPI `tantivy`, an embedded Rust search engine), never a dependency of the product.

Titles and descriptions are indexed twice, with Tantivy's Russian and English stemmers (as
Emporium's tsvector holds both configurations), titles boosted like PostgreSQL's weight A. Every
query word must match (Emporium AND-s words too), top 20 by BM25. The index is kept in --index
and rebuilt when the product file changes.

    tantivy_bench.py --products products.tsv --queries queries.txt --index DIR --threads 2 --seconds 20
"""
import argparse
import os
import re
import threading
import time

import tantivy

FIELDS = ["title_ru", "title_en", "description_ru", "description_en"]


def analyzer(language):
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer(language))
            .build())


def open_index(path, products):
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for field in FIELDS:
        builder.add_text_field(field, stored=False, tokenizer_name="ru_stem" if field.endswith("_ru") else "en_stem2")
    schema = builder.build()
    stamp = str(os.path.getsize(products))
    marker = os.path.join(path, "built-from")
    fresh = not (os.path.exists(marker) and open(marker).read() == stamp)
    if fresh:
        for name in os.listdir(path) if os.path.isdir(path) else []:
            os.remove(os.path.join(path, name))
        os.makedirs(path, exist_ok=True)
    index = tantivy.Index(schema, path=path, reuse=not fresh)
    index.register_tokenizer("ru_stem", analyzer("russian"))
    index.register_tokenizer("en_stem2", analyzer("english"))
    if fresh:
        started = time.time()
        writer = index.writer(heap_size=400_000_000, num_threads=2)
        count = 0
        with open(products, encoding="utf-8") as file:
            for line in file:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3:
                    continue
                writer.add_document(tantivy.Document(id=parts[0], title_ru=parts[1], title_en=parts[1], description_ru=parts[2], description_en=parts[2]))
                count += 1
        writer.commit()
        writer.wait_merging_threads()
        open(marker, "w").write(stamp)
        print("tantivy: indexed %d products in %.1f s" % (count, time.time() - started), flush=True)
    index.reload()
    return index


def query_text(query):
    # Words only (the query language's own characters are not what a buyer typed), each required.
    return " ".join("+" + word for word in re.findall(r"\w+", query))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", required=True)
    parser.add_argument("--queries", required=True)
    parser.add_argument("--index", required=True)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    index = open_index(args.index, args.products)
    queries = [q for q in open(args.queries, encoding="utf-8").read().splitlines() if re.search(r"\w", q)]
    boosts = {"title_ru": 2.0, "title_en": 2.0}
    parsed = [index.parse_query(query_text(q), FIELDS, field_boosts=boosts) for q in queries]
    searcher = index.searcher()
    found = sum(1 for q in parsed[:200] if searcher.search(q, 20).hits)
    print("tantivy: %d of the first 200 queries find something" % found, flush=True)

    def run(threads, seconds):
        latencies, lock, stop = [], threading.Lock(), time.time() + seconds

        def worker(offset):
            own, i = [], offset
            while time.time() < stop:
                started = time.perf_counter()
                searcher.search(parsed[i % len(parsed)], 20)
                own.append(time.perf_counter() - started)
                i += 1
            with lock:
                latencies.extend(own)

        workers = [threading.Thread(target=worker, args=(k * 7919,)) for k in range(threads)]
        began = time.time()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        elapsed = time.time() - began
        latencies.sort()
        pick = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000
        print("tantivy, %d thread(s), %.0f s: %.0f queries/s, p50 %.2f ms, p99 %.2f ms" % (threads, seconds, len(latencies) / elapsed, pick(0.5), pick(0.99)), flush=True)

    run(1, min(args.seconds, 10))
    run(args.threads, args.seconds)


if __name__ == "__main__":
    main()
