"""Split search data: month segments, each cut into term-hash shard files.

Layout under `assets/search/` (all classic scripts, so `file://` works):

* `../search-index.js` — the manifest (`window.SITEGEN_SEARCH`): corpus statistics and,
  per segment (a month), its key, document range, field-length sums, bucket count and the
  *pack* that holds its files; per pack, its bucket count.
* A segment's data is cut into *parts*: light part `b` holds the postings (document, tf,
  field length) of the terms whose bucket key hashes to `b`, plus the names of the month's
  *heavy* terms that hash to `b`; a heavy term's postings are a part of their own, so a
  query for a rare term never downloads a common term's postings. A part's postings are
  one string of varint digits (`varint.py`), its terms and counts JSON.
* Parts are published in packs, concatenated: `<pack>/<j>.js` holds, of every month of
  the pack, the light parts whose bucket is `j` modulo the pack's bucket count
  (`pack_buckets`), `<pack>/h/<hex of the term>.js` the heavy parts of one term. A month is
  cut `PACK_SPLIT` times finer than it would be published alone, so that a pack of many
  months still has about `TARGET_POSTINGS` postings a file: a rare term then reads its own
  bucket's share of each month, not a whole bucket of every month. A browser pays about
  2.5 ms per script it loads from disk, whatever its size, so a query's files count as
  much as their bytes: one per term per *pack*, where it used to be one per term per
  month. Packs (`pack_keys`): each earlier year is one, the latest year's months before
  the latest month one, and the latest month one, so a new edition rewrites only its
  month's pack, while a year's archive needs two files per term.
* `<pack>/len-<f>.js` — field `f`'s length in every document of the pack's months, two
  base64url characters a document (`length_code`). Heavy parts carry postings as
  (document, tf) pairs: a common term's postings repeated every document's field length,
  three quarters of their gzip bytes, so a query loads the lengths once, and only of the
  fields its heavy postings are in (mostly the body's).
* `t/<k>.js` — the term directory, read before any postings: for every term of the index
  (as a 24-bit fingerprint, filed under `k`, its bucket key's hash modulo the directory's
  file count) which packs hold it as a light term and which as a heavy one. A query learns
  there that a term occurs nowhere (and stops: nothing matches), and loads a term's light
  or heavy file only from the packs that have it. Words share their first trigram's
  directory file, as they share its light files. Offline copies (one bucket) have none.
* `past/h/<hex>.js`, `past/len-<f>.js` — the completed years' packs joined (`past.py`): a
  heavy term's parts of all of them in one file, their lengths in one per field.
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
from sitegen.search.varint import B64, ints_varint

TARGET_POSTINGS = 2048
"""Postings per light shard file a segment aims at (about 20 kB raw, 6 kB gzip)."""

PACK_SPLIT = 4
"""How many times finer a month's light parts are cut than `TARGET_POSTINGS` asks for. A
pack's file `j` gathers every month's parts that hash to `j`; with one part a month of
TARGET_POSTINGS, a year's file held twelve of them, about 45 kB gzip that a query for a
rare term read from every year (1 MB at ten years for `张立帆`). Cut four times finer, a
year's pack has four times the files, each a quarter of the size. A month alone (the
latest) is published at its own TARGET_POSTINGS, four parts a file."""

HEAVY_POSTINGS = 512
"""A term with at least this many postings in a segment gets a file of its own."""

SHARED_LENGTHS = 4
"""A heavy term's postings in a field leave its lengths to the pack's `len-<f>.js` only
where they cover at least a quarter of the month's documents (`count * SHARED_LENGTHS >=
documents`); elsewhere each posting carries its field length, as a light posting does.
The lengths file costs every document's length; inline lengths cost one per posting and
query term. Leaving them all to the file made a query for `平湖` load the titles' lengths
of every year (13.5 kB gzip a year) for the 1,202 of a year's 16,000 articles with it in
the title; a quarter leaves room for a query of several terms sharing one file."""

DIR_ENTRIES = 512
"""Directory entries (terms) per directory file at most, on average: about 3 kB gzip with
a dozen packs, so a query of four absent trigrams reads about 12 kB."""

FP_BITS = 24
"""Bits of a term's fingerprint in the directory. Two terms of one directory file with the
same fingerprint (about one lookup in 16,000 at DIR_ENTRIES) only make the client load a
file that turns out not to hold the term: the postings, not the directory, decide."""

REF_BASE = 1_000_000
"""ref = year * REF_BASE + n."""


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over code points; `hashKey` in client.js computes the same."""
    h = 0x811C9DC5
    for ch in text:
        h = ((h ^ ord(ch)) * 0x01000193) & 0xFFFFFFFF
    return h


def fnv1a_many(terms: Sequence[str], prefix: str = "",
               limit: np.ndarray | None = None) -> np.ndarray:
    """`fnv1a(prefix + term)` of every term (of its first `limit[i]` code points), as uint32,
    a column of code points at a time: a month has hundreds of thousands of terms, and the
    pure-Python loop took a second a month."""
    n = len(terms)
    h = np.full(n, 0x811C9DC5, dtype=np.uint64)
    for ch in prefix:
        h = ((h ^ np.uint64(ord(ch))) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
    if not n:
        return h.astype(np.uint32)
    lens = np.fromiter((len(t) for t in terms), dtype=np.int64, count=n)
    cps = np.frombuffer("".join(terms).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = np.concatenate(([0], np.cumsum(lens)[:-1]))
    use = lens if limit is None else np.minimum(lens, limit)
    for i in range(int(use.max(initial=0))):
        live = use > i
        idx = starts[live] + i
        h[live] = ((h[live] ^ cps[idx]) * np.uint64(0x01000193)) & np.uint64(0xFFFFFFFF)
    return h.astype(np.uint32)


def bucket_hashes(terms: Sequence[str]) -> np.ndarray:
    """`fnv1a(bucket_key(t))` of every term, vectorized."""
    limit = np.fromiter((3 if len(t) > 3 and is_word_char(t[1]) else len(t) for t in terms),
                        dtype=np.int64, count=len(terms))
    return fnv1a_many(terms, limit=limit)


def fingerprints(terms: Sequence[str]) -> np.ndarray:
    """A term's directory fingerprint: the top FP_BITS of FNV-1a over U+0001 and the term
    (a hash independent of the bucket's), `fingerprint` in client.js."""
    return fnv1a_many(terms, prefix="\x01") >> np.uint32(32 - FP_BITS)


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


def pack_buckets(records: Sequence[dict]) -> int:
    """The light file count of a pack of months (their manifest records): about
    TARGET_POSTINGS postings a file, but no finer than its finest-cut month, whose parts
    could not be split further (a file would only repeat a part another file has)."""
    light = sum(int(r["light"]) for r in records)
    return min(max(int(r["buckets"]) for r in records), bucket_count(light))


def segment_key(date: str) -> str:
    return date[:7]


@dataclass
class SegmentParts:
    """One segment's data: its manifest record, its light parts (`light[b]`, a script line
    each, empty when the bucket has nothing) and its heavy terms' parts."""

    record: dict
    light: list[bytes]
    heavy: dict[str, bytes]
    lengths: bytes = b""
    """The month's lengths line (`pack_lengths` makes the pack's `len-<f>.js` of it):
    every document's field lengths, which heavy parts omit."""
    vocab: bytes = b""
    """The month's terms for the directory (`vocab_arrays`): bucket hash, fingerprint and
    heavy code (`heavy_codes`), one uint32, uint32, uint8 array after another."""


def heavy_codes(heavy: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """Per term, its directory code in this month: 0 for a light term; for a heavy one 2,
    plus 4 << f for each field f whose postings leave their lengths to the pack's
    `len-<f>.js`. The directory thus tells the client which lengths files a heavy term
    needs, and it asks for them with the term's postings: it used to learn that from the
    postings themselves, parsed first, then a second round of loads. (At ten years that
    round was 45-60 ms of waiting in a Chromium trace, but the one round now takes most
    of it back: the files' count and bytes bound the load, not the rounds.)"""
    fields = (shared.astype(np.uint8) << np.arange(2, 2 + len(FIELDS), dtype=np.uint8)).sum(
        axis=1, dtype=np.uint8)
    return np.where(heavy, np.uint8(2) | fields, np.uint8(0)).astype(np.uint8)


def vocab_arrays(blob: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(bucket hashes, fingerprints, heavy codes) of a month's `vocab` blob."""
    n = len(blob) // 9
    hashes = np.frombuffer(blob, dtype=np.uint32, count=n)
    fps = np.frombuffer(blob, dtype=np.uint32, count=n, offset=4 * n)
    heavy = np.frombuffer(blob, dtype=np.uint8, count=n, offset=8 * n)
    return hashes, fps, heavy


def _js(value: object) -> str:
    """Compact JSON, safe as a script anywhere: junction terms carry the text's punctuation
    (`</script>` among it, in an article about HTML), so `<` is escaped, and so are U+2028
    and U+2029 (line ends before ES2019), as `index.to_js_literal` does."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if "<" in text or "\u2028" in text or "\u2029" in text:
        text = (text.replace("<", "\\u003c").replace("\u2028", "\\u2028")
                .replace("\u2029", "\\u2029"))
    return text


def _part(key: str, part_id: str, terms: list[str], counts: str, body: str,
          heavy: list[str], widths: list[int] | None = None) -> bytes:
    """A part's script line. `counts`: its terms' per-field counts, as CSV text; `body`:
    its postings, as `ints_varint` text; `widths`: a heavy part's numbers per posting in
    each field (3 with the field length, 2 without); a light part's are all 3, but for a
    one-part month's, all 2."""
    h = f',"h":{_js(heavy)}' if heavy else ""
    w = f',"w":{_js(widths)}' if widths is not None else ""
    return (f'SitegenSearch.shard("{key}",{part_id},{{"t":{_js(terms)},"c":[{counts}],'
            f'"p":"{body}"{h}{w}}});\n').encode()


def segment_files(key: str, year: int, first: int, postings: Postings,
                  buckets: int | None = None) -> SegmentParts:
    """The parts and manifest record of one segment whose documents are year-local
    numbers first .. first + count - 1 (postings' document i is number first + i).
    `buckets` (a power of two) overrides the size-balanced count: an offline copy of one
    edition is read from disk, where one file serves a query as well as sixty-four. Its
    one part (`buckets == 1`) has no heavy parts and no directory, and carries the
    month's field lengths itself, once, ahead of its postings (`single_part_lengths`)."""
    n_docs = len(postings.lengths)
    starts = postings.term_start
    per_term = np.diff(starts)
    heavy = per_term >= HEAVY_POSTINGS
    forced = buckets is not None
    single = buckets == 1
    if single:
        heavy[:] = False
    light_total = int(per_term[~heavy].sum())
    buckets = buckets or bucket_count(light_total) * PACK_SPLIT
    # (one bucket, an offline copy's: every term is in it, no hash needed, no directory)
    hashes = None if forced and buckets == 1 else bucket_hashes(postings.terms)
    term_bucket = (np.zeros(len(postings.terms), dtype=np.int64) if hashes is None
                   else (hashes & np.uint32(buckets - 1)).astype(np.int64))
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
    del d_sorted, group, new_group, order
    # Per part: posting range, terms in order, per-term field counts.
    file_sorted = file_of[t_sorted]
    n_files = buckets + len(heavy_idx)
    bounds = np.searchsorted(file_sorted, np.arange(n_files + 1))
    counts = np.bincount(term_of_posting * len(FIELDS) + postings.field.astype(np.int64),
                         minlength=len(postings.terms) * len(FIELDS)
                         ).reshape(len(postings.terms), len(FIELDS))
    # Light parts come first, three numbers a posting; heavy parts after them, two where
    # the pack's len-<f>.js has the field length (SHARED_LENGTHS), else three.
    shared = heavy[:, None] & (counts * SHARED_LENGTHS >= n_docs)
    if single:
        shared[:] = True
    keep = np.ones(triples.shape, dtype=bool)
    keep[:, 2] = ~shared[t_sorted, f_sorted]
    flat = triples[keep]
    # each part's first number: two a posting before it, and the third ones kept
    thirds = np.concatenate(([0], np.cumsum(keep[:, 2], dtype=np.int64)))
    starts = 2 * bounds + thirds[bounds]
    del triples, keep, f_sorted, thirds

    posting_text = _PartText.cut(flat, starts, coded=True)
    del flat
    # each part's terms: a stretch of the terms in part order; four counts a term
    term_bounds = np.searchsorted(file_of[term_order], np.arange(n_files + 1))
    # (one conversion for the segment: JSON, list by list, took ten times as long, 6 ms
    # of an offline copy's 20)
    count_text = _PartText.cut(counts[term_order].ravel(), len(FIELDS) * term_bounds)
    light, heavy_parts = _file_parts(key, postings, buckets, heavy_idx, term_bucket,
                                     term_order, term_bounds, 3 - shared,
                                     posting_text, count_text, single)
    if single and n_docs:
        light[0] = single_part_lengths(key, postings.lengths) + light[0]
    record = {
        "key": key,
        "year": year,
        "first": first,
        "count": n_docs,
        "buckets": buckets,
        "light": light_total,
        "lengths": postings.lengths.sum(axis=0).tolist() if n_docs else [0] * len(FIELDS),
    }
    lengths = (f'SitegenSearch.lengths("{key}",'
               f'{_js(postings.lengths.T.tolist() if n_docs else [[] for _ in FIELDS])});\n')
    vocab = b""
    if hashes is not None:
        vocab = (hashes.tobytes() + fingerprints(postings.terms).tobytes()
                 + heavy_codes(heavy, shared & (counts > 0)).tobytes())
    return SegmentParts(record=record, light=light, heavy=heavy_parts,
                        lengths=lengths.encode(), vocab=vocab)


@dataclass(frozen=True)
class _PartText:
    """Numbers of a segment's parts (its postings, or its terms' counts) as one text (CSV,
    or `ints_varint` digits with no separator), and where each part's numbers are in it:
    `starts[f]` is the index of part f's first number, `after` maps a number's index to
    the text offset after it."""

    text: bytes
    after: dict[int, int]
    starts: np.ndarray
    gap: int
    """Characters between two numbers: the CSV's comma, or none."""

    @classmethod
    def cut(cls, values: np.ndarray, starts: np.ndarray, coded: bool = False) -> _PartText:
        """`values` as text (`coded`: as `ints_varint` digits, else CSV), with the offset
        after each part's last number kept."""
        ends = np.unique(starts[1:][starts[1:] > 0] - 1)
        text, cut_at = (ints_varint if coded else ints_csv)(values, ends)
        return cls(text, dict(zip(ends.tolist(), cut_at.tolist(), strict=True)), starts,
                   0 if coded else 1)

    def body(self, fid: int) -> str:
        lo, hi = int(self.starts[fid]), int(self.starts[fid + 1])
        if lo >= hi:
            return ""
        a = self.after[lo - 1] + self.gap if lo else 0
        return self.text[a:self.after[hi - 1]].decode("ascii")


def _file_parts(key: str, postings: Postings, buckets: int, heavy_idx: np.ndarray,
                term_bucket: np.ndarray, term_order: np.ndarray, term_bounds: np.ndarray,
                widths: np.ndarray, text: _PartText, count_text: _PartText,
                single: bool = False) -> tuple[list[bytes], dict[str, bytes]]:
    """Each light part (a bucket: its terms, their per-field counts, postings, and the
    names of the bucket's heavy terms, so the client knows to load them) and each heavy
    part (one term, two or three numbers a posting: `widths`, per term and field)."""
    n_files = buckets + len(heavy_idx)
    bounds = term_bounds.tolist()
    order = term_order.tolist()
    names_in_order = [postings.terms[t] for t in order]
    heavy_names: list[list[str]] = [[] for _ in range(buckets)]
    for t in heavy_idx.tolist():
        heavy_names[int(term_bucket[t])].append(postings.terms[t])
    light: list[bytes] = []
    heavy_parts: dict[str, bytes] = {}
    for fid in range(n_files):
        body = text.body(fid)
        c = count_text.body(fid)
        names = names_in_order[bounds[fid]:bounds[fid + 1]]
        if fid < buckets:
            h = heavy_names[fid]
            light.append(_part(key, str(fid), names, c, body, h,
                               [2] * len(FIELDS) if single else None)
                         if names or h else b"")
        else:
            heavy_parts[names[0]] = _part(key, _js("h/" + names[0]), names, c, body, [],
                                          widths[order[bounds[fid]]].tolist())
    return light, heavy_parts


def pack_keys(months: Sequence[str], latest: str | None = None) -> dict[str, str]:
    """The pack of each month (`YYYY-MM`): every earlier year is one pack, the latest
    year's months before the latest month one, the latest month one. A pack is named by
    its first month, `_` and its last month's number when it has several (`2024-01_11`).
    Adding an edition to the latest month leaves every other pack as it was; the first
    edition of a new month re-packs the year's earlier months (a concatenation of parts
    already made, no indexing). `latest`: the archive's latest month, when `months` are
    not all of the archive's (a partition's year)."""
    if not months:
        return {}
    latest = max(months) if latest is None else max(latest, max(months))
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
    ASCII that cannot collide (`heavyFile` in client.js)."""
    return f"h/{term.encode('utf-8').hex()}.js"


def light_parts_of(file: int, pack_buckets: int, month_buckets: int) -> range:
    """The light parts of a month (cut in `month_buckets`) that a pack's light file `file`
    (of `pack_buckets`) holds: those whose number is `file` modulo the pack's count, or,
    when the month is cut coarser than the pack, the one part the file's terms hash to."""
    if month_buckets >= pack_buckets:
        return range(file, month_buckets, pack_buckets)
    part = file & (month_buckets - 1)
    return range(part, part + 1)


def pack_light(parts: Sequence[SegmentParts], j: int, buckets: int) -> bytes:
    """Light file `j` of a pack of `buckets` files: each month's parts for it, in order."""
    return b"".join(p.light[f] for p in parts
                    for f in light_parts_of(j, buckets, p.record["buckets"]))


def pack_heavy(parts: Sequence[SegmentParts], term: str) -> bytes:
    """The heavy file of `term`: its parts in the months where it is heavy, in order."""
    return b"".join(p.heavy[term] for p in parts if term in p.heavy)


LENGTH_WIDE = 63 * 64
"""Lengths from here on take four characters: `_` and three more (18 bits)."""


def length_code(values: Sequence[int]) -> str:
    """Field lengths as text, two base64url characters each (a length below 4032), else
    `_` and three: decimal numbers and commas gzip to about half as much again, and a
    ten-year query reads a year's body lengths per pack. (Not `ints_varint`, the
    postings' code: a body's lengths are hundreds of words, for which its two or three digits
    gzip 6% larger at ten years; the titles' lengths would gain, but a query reads the
    body's most.)"""
    chars = B64.decode()
    out = []
    for v in values:
        if v < LENGTH_WIDE:
            out.append(chars[v >> 6] + chars[v & 63])
        else:
            out.append("_" + chars[(v >> 12) & 63] + chars[(v >> 6) & 63] + chars[v & 63])
    return "".join(out)


def single_part_lengths(key: str, lengths: np.ndarray) -> bytes:
    """The lengths lines a one-part month (an offline copy's) puts before its part, so that
    its postings leave them out: in a copy of 45 articles, the body's lengths (four
    digits a posting) were 40% of the part's 1.1 MB, and 30% of its gzip."""
    return "".join(f'SitegenSearch.lengths("{key}",{f},"{length_code(lengths[:, f].tolist())}");\n'
                   for f in range(len(FIELDS))).encode()


def pack_lengths(parts: Sequence[SegmentParts]) -> list[bytes]:
    """A pack's `len-<f>.js` for each field `f`: its months' lengths of that field, a line
    a month, in order (from each month's stored `lengths` line)."""
    files: list[list[str]] = [[] for _ in FIELDS]
    for part in parts:
        text = part.lengths.decode()
        key = text[len('SitegenSearch.lengths("'):text.index('",')]
        columns = json.loads(text[text.index('",') + 2:text.rindex(");")])
        for f, values in enumerate(columns):
            files[f].append(f'SitegenSearch.lengths("{key}",{f},"{length_code(values)}");\n')
    return ["".join(lines).encode() for lines in files]


PackVocab = tuple[np.ndarray, np.ndarray]
"""A pack's directory entries: sorted unique keys (bucket hash << 32 | fingerprint, uint64)
and each one's code in this pack: bit 1 a light term in some month, bit 2 heavy in some,
bit 4 << f its heavy postings need the pack's `len-<f>.js` (`heavy_codes`)."""


def pack_vocab(blobs: Sequence[bytes]) -> PackVocab:
    """The directory entries of a pack, from its months' `vocab` blobs."""
    keys: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for blob in blobs:
        hashes, fps, heavy = vocab_arrays(blob)
        keys.append((hashes.astype(np.uint64) << np.uint64(32)) | fps.astype(np.uint64))
        codes.append(np.where(heavy > 0, heavy, np.uint8(1)))  # a light term: 1
    if not keys:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint8)
    return _merge_codes(np.concatenate(keys), np.concatenate(codes))


def _merge_codes(keys: np.ndarray, codes: np.ndarray) -> PackVocab:
    order = np.argsort(keys)
    keys, codes = keys[order], codes[order]
    if not len(keys):
        return keys, codes
    first = np.concatenate(([True], keys[1:] != keys[:-1]))
    starts = np.flatnonzero(first)
    return keys[starts], np.bitwise_or.reduceat(codes, starts)


def directory_count(entries: int) -> int:
    """Power of two with at most DIR_ENTRIES directory entries per file on average."""
    d = 1
    while d * DIR_ENTRIES < entries:
        d *= 2
    return d


def directory_files(vocabs: Sequence[PackVocab]) -> tuple[int, list[bytes]]:
    """The directory over the packs `vocabs` (in the manifest's pack order): its file count
    D and file `k`'s script for k < D. A term is filed under the top log2(D) bits of its
    bucket hash (the packs' entries are sorted by hash, so each pack's entries are already
    in file order and the packs merge without a sort of random keys: that sort took most
    of ten years' directory time). An entry is its fingerprint (four base64url characters)
    and one base64url character per pack (its code there, `PackVocab`; `A`, 0, where the
    pack lacks it), fixed-width so the client cuts the text without a separator. Two terms
    of one file with the same fingerprint are two entries; the client ORs their codes."""
    n_packs = len(vocabs)
    if not n_packs:
        return 1, [b'SitegenSearch.dir(0,"");\n']
    keys = np.concatenate([v[0] for v in vocabs])
    which = np.concatenate([np.full(len(v[0]), i, dtype=np.int64) for i, v in enumerate(vocabs)])
    codes = np.concatenate([v[1] for v in vocabs])
    order = np.argsort(keys, kind="stable")  # sorted runs, merged
    keys, which, codes = keys[order], which[order], codes[order]
    del order
    first = np.concatenate(([True], keys[1:] != keys[:-1])) if len(keys) else np.zeros(0, bool)
    entry = np.cumsum(first) - 1
    n_entries = int(entry[-1]) + 1 if len(entry) else 0
    d = directory_count(n_entries)
    bits = d.bit_length() - 1
    # a pack's keys are unique (pack_vocab merged its months'), so each (entry, pack) cell
    # is set at most once
    table = np.zeros(n_entries * n_packs, dtype=np.uint8)
    table[entry * n_packs + which] = codes
    table = table.reshape(n_entries, n_packs)
    del entry, which, codes
    ukeys = keys[first]
    fp = (ukeys & np.uint64((1 << FP_BITS) - 1)).astype(np.int64)
    files = (ukeys >> np.uint64(64 - bits)).astype(np.int64) if bits else np.zeros(
        n_entries, dtype=np.int64)
    alphabet = np.frombuffer(B64, dtype=np.uint8)
    width = 4 + n_packs
    rec = np.empty((n_entries, width), dtype=np.uint8)
    for i in range(4):
        rec[:, i] = alphabet[(fp >> (6 * (3 - i))) & 63]
    rec[:, 4:] = alphabet[table]
    flat = rec.tobytes()
    bounds = np.searchsorted(files, np.arange(d + 1))
    out = []
    for k in range(d):
        body = flat[int(bounds[k]) * width:int(bounds[k + 1]) * width].decode("ascii")
        out.append(f'SitegenSearch.dir({k},"{body}");\n'.encode())
    return d, out
