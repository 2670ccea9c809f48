"""Does search find exactly the articles that contain the query? A brute-force check.

Usage: python bench/precision.py SITE_DIR [--random N] [--seed S]

SITE_DIR is a built site (`bench/generate.py`, then `sitegen build`). For every query of
`run.py`'s table (and, with --random, N substrings cut from random articles: 1–8
characters, across punctuation too), it compares two sets: the articles the real search
client returns in node (`results.mjs`: the built files, client.js, lunr.js, every match),
and the articles whose folded text contains every positive part of the query (the part's
key, `tokenize.part_key`, as a plain substring of the article's fields, folded by the same
code the index uses; a negative part's key absent). Prints one row per query: results,
truth, results that do not contain the query (over-matches) and articles missed; exits 1
if any query differs.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from run import QUERIES  # noqa: E402

from sitegen.config import load_config  # noqa: E402
from sitegen.content.files import load_editions  # noqa: E402
from sitegen.search.documents import search_docs  # noqa: E402
from sitegen.search.index import field_texts  # noqa: E402
from sitegen.search.tokenize import fold, part_key  # noqa: E402
from sitegen.site.model import build_site_model, site_slugs  # noqa: E402


def article_keys(site: Path) -> dict[str, str]:
    """URL -> the article's searchable text folded, its fields apart (a line break)."""
    config = load_config(site)
    editions = load_editions(config.content_dir)
    model = build_site_model(editions, config, slugs=site_slugs(editions, config))
    return {d.url: "\n".join(fold(t) for t in field_texts(d).values())
            for d in search_docs(model, editions)}


def truth(keys: dict[str, str], q: str) -> set[str]:
    parts = q.split()
    neg = [part_key(p[1:]) for p in parts if len(p) > 1 and p[0] in "-－"]
    pos = [part_key(p) for p in parts if not (len(p) > 1 and p[0] in "-－")]
    pos, neg = [p for p in pos if p], [n for n in neg if n]
    if not pos:
        return set()
    return {u for u, k in keys.items()
            if all(p in k for p in pos) and not any(n in k for n in neg)}


def results(build: Path, queries: list[str]) -> dict[str, set[str]]:
    proc = subprocess.run(["node", str(BENCH / "results.mjs"), str(build)],
                          input=json.dumps(queries), capture_output=True, text=True,
                          check=True, timeout=3600)
    return {r["q"]: set(r["urls"]) for r in json.loads(proc.stdout)}


def random_queries(keys: dict[str, str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = [k for k in keys.values() if k]
    out: list[str] = []
    while len(out) < n:
        text = rng.choice(texts)
        i = rng.randrange(len(text))
        q = text[i : i + rng.randint(1, 8)].strip()
        if q and " " not in q and "\n" not in q and part_key(q):
            out.append(q)
    return list(dict.fromkeys(out))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--random", type=int, default=0)
    ap.add_argument("--seed", type=int, default=18)
    args = ap.parse_args(argv)
    keys = article_keys(args.site)
    queries = list(QUERIES) + random_queries(keys, args.random, args.seed)
    found = results(args.site / "build", queries)
    bad = 0
    print(f"{'query':<16} {'results':>8} {'truth':>8} {'over':>6} {'missed':>6}")
    for q in queries:
        want = truth(keys, q)
        got = found[q]
        over, missed = len(got - want), len(want - got)
        bad += bool(over or missed)
        if q in QUERIES or over or missed:
            print(f"{q:<16} {len(got):>8} {len(want):>8} {over:>6} {missed:>6}")
    print(f"{len(queries)} queries over {len(keys)} articles: {len(queries) - bad} exact, "
          f"{bad} not")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
