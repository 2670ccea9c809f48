"""Split search data: month segments, each cut into term-hash shard files.

Layout under `assets/search/` (all classic scripts, so `file://` works):

* `../search-index.js` — the manifest (`window.SITEGEN_SEARCH`): corpus statistics and,
  per segment (a month), its key, document range, field-length sums, bucket count and the
  *pack* that holds its files; per pack, its bucket count.
* A segment's data is cut into *parts*: light part `b` holds the postings (document, tf,
  field length) of the terms whose bucket key hashes to `b`, plus the names of the month's
  *heavy* terms that hash to `b`; a heavy term's postings are a part of their own, so a
  query for a rare term never downloads a common term's postings.
* Parts are published in packs, concatenated: `<pack>/<j>.js` holds light part
  `j & (buckets - 1)` of every month of the pack, `<pack>/h/<hex of the term>.js` the heavy
  parts of one term. A browser pays about 2.5 ms per script it loads from disk, whatever
  its size, so what a query costs is the number of files: one per term per *pack*, where
  it used to be one per term per month. Packs (`pack_keys`): each earlier year is one, the
  latest year's months before the latest month one, and the latest month one, so a new
  edition rewrites only its month's pack, while a year's archive needs two files per term.
* `docs/<YYYY>/<n>.js` — what the result list shows for one article.

A document is `(year, n)`: n counts the year's articles in the build's order (oldest edition
first, page order), so adding the newest edition only appends. Its lunr ref is
`str(year * 1_000_000 + n)`.

A segment's files depend only on its own documents (and the tokenizer and segmenter), never
on the rest of the archive: that is what makes them cacheable by content hash and lets years
be built separately and merged (the manifest is a concatenation of segment records). The
corpus-wide numbers BM25 needs (N, per-term document counts, average field lengths) are put
together in the browser from the manifest and the loaded shards, which is why the shards
carry term frequencies and field lengths rather than lunr's precomputed weights (those
depend on N, so every new edition would change every file).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sitegen.search.engine import FIELDS, Postings, ints_csv
from sitegen.search.tokenize import is_word_char

TARGET_POSTINGS = 2048
"""Postings per light shard file a segment aims at (about 20 kB raw, 6 kB gzip)."""

HEAVY_POSTINGS = 512
"""A term with at least this many postings in a segment gets a file of its own."""

REF_BASE = 1_000_000
"""ref = year * REF_BASE + n."""


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over code points; `hashKey` in search.js computes the same."""
    h = 0x811C9DC5
    for ch in text:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


def bucket_key(term: str) -> str:
    """What decides a term's shard: a word's first three code points (the trigram it starts
    with), any other term itself. Words thereby share a shard with their first trigram,
    which the query loads anyway, so the browser finds out which words the index has for
    free. (Keyed by their first two characters, every trigram of a common bigram went to
    that bigram's shard: `电商`'s light file held every `电商X`, and a query for `电商`
    downloaded 516 kB instead of 205 kB.)"""
    if len(term) > 3 and is_word_char(term[1]):
        return term[:3]
    return term


def bucket_count(light_postings: int) -> int:
    """Power of two with about TARGET_POSTINGS light postings per file."""
    b = 1
    while b * TARGET_POSTINGS < light_postings:
        b *= 2
    return b


def segment_key(date: str) -> str:
    return date[:7]


@dataclass
class SegmentParts:
    """One segment's data: its manifest record, its light parts (`light[b]`, a script line
    each, empty when the bucket has nothing) and its heavy terms' parts."""

    record: dict
    light: list[bytes]
    heavy: dict[str, bytes]


def _js(value: object) -> str:
    """Compact JSON, safe as a script anywhere: junction terms carry the text's punctuation
    (`</script>` among it, in an article about HTML), so `<` is escaped, and so are U+2028
    and U+2029 (line ends before ES2019), as `index.to_js_literal` does."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if "<" in text or "\u2028" in text or "\u2029" in text:
        text = (text.replace("<", "\\u003c").replace("\u2028", "\\u2028")
                .replace("\u2029", "\\u2029"))
    return text


def _part(key: str, part_id: str, terms: list[str], counts: list[int], body: str,
          heavy: list[str]) -> bytes:
    h = f',"h":{_js(heavy)}' if heavy else ""
    return (f'SitegenSearch.shard("{key}",{part_id},{{"t":{_js(terms)},"c":{_js(counts)},'
            f'"p":[{body}]{h}}});\n').encode()


def segment_files(key: str, year: int, first: int, postings: Postings,
                  buckets: int | None = None) -> SegmentParts:
    """The parts and manifest record of one segment whose documents are year-local
    numbers first .. first + count - 1 (postings' document i is number first + i).
    `buckets` (a power of two) overrides the size-balanced count: an offline copy of one
    edition is read from disk, where one file serves a query as well as sixty-four."""
    n_docs = len(postings.lengths)
    starts = postings.term_start
    per_term = np.diff(starts)
    heavy = per_term >= HEAVY_POSTINGS
    light_total = int(per_term[~heavy].sum())
    buckets = buckets or bucket_count(light_total)
    # (one bucket, an offline copy's: every term is in it, no hash needed)
    term_bucket = np.zeros(len(postings.terms), dtype=np.int64) if buckets == 1 else np.array(
        [fnv1a(bucket_key(t)) & (buckets - 1) for t in postings.terms], dtype=np.int64)
    # Heavy terms get part numbers buckets, buckets + 1, ... in term order.
    file_of = term_bucket.copy()
    heavy_idx = np.flatnonzero(heavy)
    file_of[heavy_idx] = buckets + np.arange(len(heavy_idx))
    # Order postings by (part, term, field, doc): terms by (part, term) first, then one
    # sort of the postings on a single integer key (a 4-key lexsort took three times as long).
    term_order = np.argsort(file_of, kind="stable")
    term_rank = np.empty(len(term_order), dtype=np.int64)
    term_rank[term_order] = np.arange(len(term_order))
    term_of_posting = np.repeat(np.arange(len(postings.terms)), per_term)
    doc_bits = max(1, int(n_docs).bit_length())
    sort_key = term_rank[term_of_posting] * len(FIELDS) + postings.field
    sort_key <<= doc_bits
    sort_key |= postings.doc
    order = np.argsort(sort_key)
    del sort_key
    t_sorted = term_of_posting[order]
    f_sorted = postings.field[order].astype(np.int64)
    d_sorted = postings.doc[order]
    group = t_sorted * len(FIELDS) + f_sorted
    new_group = np.concatenate(([True], group[1:] != group[:-1]))
    triples = np.empty((len(order), 3), dtype=np.int32)
    triples[:, 0] = np.where(new_group, d_sorted,
                             d_sorted - np.concatenate(([0], d_sorted[:-1])))
    triples[:, 1] = postings.tf[order]
    triples[:, 2] = postings.lengths[d_sorted, f_sorted]
    triples = triples.ravel()
    del d_sorted, group, new_group, order
    # Per part: posting range, terms in order, per-term field counts.
    file_sorted = file_of[t_sorted]
    n_files = buckets + len(heavy_idx)
    bounds = np.searchsorted(file_sorted, np.arange(n_files + 1))
    # the text offset after each part's last number (a posting is three numbers)
    csv, cut_at = ints_csv(triples, 3 * bounds[bounds > 0] - 1)
    del triples
    after = dict(zip((3 * bounds[bounds > 0] - 1).tolist(), cut_at.tolist(), strict=True))
    counts = np.bincount(term_of_posting * len(FIELDS) + postings.field.astype(np.int64),
                         minlength=len(postings.terms) * len(FIELDS)
                         ).reshape(len(postings.terms), len(FIELDS))
    terms_in_file: list[list[int]] = [[] for _ in range(n_files)]
    for t, f in zip(term_order.tolist(), file_of[term_order].tolist(), strict=True):
        terms_in_file[f].append(t)
    heavy_names: list[list[str]] = [[] for _ in range(buckets)]
    for t in heavy_idx.tolist():
        heavy_names[int(term_bucket[t])].append(postings.terms[t])
    light: list[bytes] = []
    heavy_parts: dict[str, bytes] = {}
    for fid in range(n_files):
        lo, hi = int(bounds[fid]), int(bounds[fid + 1])
        if lo < hi:
            a = after[3 * lo - 1] + 1 if lo else 0
            b = after[3 * hi - 1]
            body = csv[a:b].decode("ascii")
        else:
            body = ""
        ts = terms_in_file[fid]
        c = counts[ts].ravel().tolist() if ts else []
        names = [postings.terms[t] for t in ts]
        if fid < buckets:
            h = heavy_names[fid]
            light.append(_part(key, str(fid), names, c, body, h) if names or h else b"")
        else:
            term = names[0]
            heavy_parts[term] = _part(key, _js("h/" + term), names, c, body, [])
    record = {
        "key": key,
        "year": year,
        "first": first,
        "count": n_docs,
        "buckets": buckets,
        "lengths": postings.lengths.sum(axis=0).tolist() if n_docs else [0] * len(FIELDS),
    }
    return SegmentParts(record=record, light=light, heavy=heavy_parts)


def pack_keys(months: Sequence[str]) -> dict[str, str]:
    """The pack of each month (`YYYY-MM`): every earlier year is one pack, the latest
    year's months before the latest month one, the latest month one. A pack is named by
    its first month, `_` and its last month's number when it has several (`2024-01_11`).
    Adding an edition to the latest month leaves every other pack as it was; the first
    edition of a new month re-packs the year's earlier months (a concatenation of parts
    already made, no indexing)."""
    if not months:
        return {}
    latest = max(months)
    groups: dict[tuple[str, bool], list[str]] = {}
    for m in sorted(set(months)):
        groups.setdefault((m[:4], m == latest), []).append(m)
    out: dict[str, str] = {}
    for members in groups.values():
        key = members[0] if len(members) == 1 else f"{members[0]}_{members[-1][5:]}"
        out.update((m, key) for m in members)
    return out


def heavy_file(term: str) -> str:
    """File name (under a pack) of a heavy term's parts: the hex of its UTF-8, readable
    ASCII that cannot collide (`heavyFile` in search.js)."""
    return f"h/{term.encode('utf-8').hex()}.js"


def pack_light(parts: Sequence[SegmentParts], j: int) -> bytes:
    """Light file `j` of a pack: each month's light part `j & (buckets - 1)`, in order."""
    return b"".join(p.light[j & (p.record["buckets"] - 1)] for p in parts)


def pack_heavy(parts: Sequence[SegmentParts], term: str) -> bytes:
    """The heavy file of `term`: its parts in the months where it is heavy, in order."""
    return b"".join(p.heavy[term] for p in parts if term in p.heavy)
