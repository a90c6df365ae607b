#!/usr/bin/env python3
"""Realistic search queries made from seeded products (docs/BENCHMARKS.md, scripts/bench-search).

Reads `id<TAB>title<TAB>description` lines and writes distinct queries, one per line: one to three
words a buyer might type for a product seen in the catalog — words of its title (kind, brand,
model, colour) or of its description (adjectives, features) — lowercased, in Russian and English
as the titles are; a share typed with a typo, in Latin letters for Russian, or in the other
keyboard layout, as issue #21 asks. Deterministic for a seed.

    queries.py --products products.tsv --count 1000 --seed 1 > queries.txt
"""
import argparse
import random
import re
import sys

LATIN_KEYS = "`qwertyuiop[]asdfghjkl;'zxcvbnm,."
CYRILLIC_KEYS = "ёйцукенгшщзхъфывапролджэячсмитьбю"
LAYOUT = {**dict(zip(LATIN_KEYS, CYRILLIC_KEYS)), **dict(zip(CYRILLIC_KEYS, LATIN_KEYS))}
LATIN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k",
         "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
         "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"}
STOP = {"a", "by", "the", "and", "of", "for", "от", "и", "для", "по", "offers", "предлагает", "модель", "цвет", "colour", "ships", "доставка"}


def words(text):
    return [w for w in re.findall(r"[0-9a-zа-яё]+", text.lower()) if w not in STOP and len(w) >= 2]


def typo(word, rng):
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "swap", "double"])
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + word[i] + word[i:]


def variant(query, rng):
    roll = rng.random()
    if roll < 0.12:
        parts = query.split(" ")
        j = max(range(len(parts)), key=lambda k: len(parts[k]))
        parts[j] = typo(parts[j], rng)
        return " ".join(parts), "typo"
    if roll < 0.22 and re.search("[а-яё]", query):
        return "".join(LATIN.get(c, c) for c in query), "latin"
    if roll < 0.32:
        return "".join(LAYOUT.get(c, c) for c in query), "layout"
    return query, "written"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    products = []
    with open(args.products, encoding="utf-8") as file:
        for line in file:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                products.append((parts[1], parts[2]))
    if not products:
        sys.exit("queries.py: no products in " + args.products)
    seen, forms = set(), {}
    attempts = 0
    while len(seen) < args.count and attempts < args.count * 50:
        attempts += 1
        title, description = rng.choice(products)
        title_words = words(title)
        source = title_words if rng.random() < 0.75 else words(description)[:8] + title_words[:1]
        if not source:
            continue
        n = rng.choice([1, 1, 2, 2, 2, 3])
        start = rng.randrange(0, max(1, len(source) - n + 1))
        query = " ".join(source[start:start + n])
        query, form = variant(query, rng)
        if query and query not in seen:
            seen.add(query)
            forms[form] = forms.get(form, 0) + 1
            print(query)
    print("queries.py: %d queries %s" % (len(seen), dict(sorted(forms.items()))), file=sys.stderr)


if __name__ == "__main__":
    main()
