"""Write the search files into a build: the only part of `sitegen.search` that touches disk.

Incremental by content hash. The cache folder (`cache_dir`) keeps, per month segment, the
hash of everything its files depend on (tokenizer version, segmenter dictionary, each
article's number and indexed text), the list of files it produced, and each article's jieba
words by article hash. An unchanged segment's files are hard-linked from the previous build
(`BuildOutput.reuse`) without being read; a changed one (the month an edition was added to)
is rebuilt, re-running jieba only for articles it has not seen. Result-list files work the
same way per article. Only the manifest is written every time.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import marshal
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby
from pathlib import Path

from sitegen import codehash
from sitegen.errors import naming
from sitegen.output import BuildOutput
from sitegen.resources import lunr_js_path
from sitegen.search import variants
from sitegen.search.engine import BOOSTS, FIELDS, K1, B, batch_postings, docs_words
from sitegen.search.index import (
    FORMAT,
    LUNR_FORMAT_VERSION,
    PIPELINE_LABELS,
    SearchDoc,
    display_doc,
    field_texts,
    to_js_literal,
)
from sitegen.search.parts import PartsStore, pack_digest
from sitegen.search.past import joined_files, past_digest, past_packs, write_past
from sitegen.search.shards import (
    REF_BASE,
    directory_files,
    fnv1a,
    heavy_file,
    light_parts_of,
    pack_buckets,
    pack_heavy,
    pack_keys,
    pack_lengths,
    pack_light,
    pack_vocab,
    segment_files,
    segment_key,
)
from sitegen.search.tokenize import Cut

LUNR_VERSION = LUNR_FORMAT_VERSION
"""lunr.js comes from npm (pinned in package.json and package-lock.json), never from a CDN:
the site has to work offline, and the version has to match the index format. Where it is
found (a checkout's node_modules, an installed sitegen's package data): `sitegen.resources`."""

TOKENIZER_VERSION = "3"
"""Bump when the terms an article produces change: every cached segment is then rebuilt
(so it is when the traditional-to-simplified table changes: its digest is hashed too)."""



@cache
def parts_code() -> str:
    """A digest of the Python code that makes a month's parts (this package and what it
    imports; not the browser's scripts, which read the parts but do not make them). A
    month's cached parts are valid only for that code: a build after a change to the cut
    of the parts once reused the old parts under the new layout's manifest."""
    return codehash.digest(p for p in codehash.sources("sitegen.search") if p.suffix == ".py")


SEARCH_DIR = "assets/search"
MANIFEST = "assets/search-index.js"
CLIENT_JS = Path(__file__).with_name("client.js")
"""The browser's half of the search (tokenizer mirror, hashing, loading, ranking): package
data of this package, published beside the index it reads so the two change together;
a theme's page script only calls it."""
CLIENT_NAME = "search-client.js"
SHOWN = 20
"""Results shown at first; "more" shows (and loads) the next SHOWN."""

JS_PREFIX = "window.SITEGEN_SEARCH=JSON.parse("
JS_SUFFIX = ");\n"


@dataclass
class SearchStats:
    """What `write_search_assets` did."""

    documents: int = 0
    segments: int = 0
    segments_rebuilt: int = 0
    shard_files: int = 0
    doc_files: int = 0
    files_written: int = 0
    files_reused: int = 0
    bytes: int = 0
    """Raw bytes of every search file (manifest, shards, result-list data, lunr.js)."""
    gzip_bytes: int | None = None
    """Their gzip -6 size, when measured (`measure_gzip=True`; it costs seconds)."""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def cut_key(cut: Cut) -> str | None:
    """Identity of the segmenter for cache keys, or None when it cannot be known (a plain
    function): jieba's words depend on its user dictionary, so a new reporter name means new
    words. `Segmenter.cut_for_search` is identified by its user words."""
    owner = getattr(cut, "__self__", None)
    words = getattr(owner, "user_words", None)
    if words is None:
        key = getattr(cut, "cache_key", None)
        return str(key) if key is not None else None
    name = getattr(cut, "__name__", "")
    return hashlib.sha256(("\n".join([name, *words])).encode("utf-8")).hexdigest()


def render_manifest(manifest: dict) -> str:
    """`assets/search-index.js`: a classic script (fetch of file:// URLs is blocked) handing a
    JSON string to `JSON.parse` (faster to parse than an object literal)."""
    return JS_PREFIX + json.dumps(to_js_literal(manifest), ensure_ascii=False) + JS_SUFFIX


def parse_manifest(text: str) -> dict:
    if not (text.startswith(JS_PREFIX) and text.endswith(JS_SUFFIX)):
        raise ValueError("not a sitegen search-index.js")
    return json.loads(json.loads(text[len(JS_PREFIX) : -len(JS_SUFFIX)]))


def doc_ref(year: int, n: int) -> str:
    return str(year * REF_BASE + n)


def _doc_hash(doc: SearchDoc) -> str:
    texts = field_texts(doc)
    return hashlib.sha256("\x00".join(texts[f] for f in FIELDS).encode("utf-8")).hexdigest()


class _Cache:
    """The search cache folder; every method is a no-op without one."""

    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _path(self, kind: str, key: str) -> Path | None:
        return None if self.root is None else self.root / kind / key

    def load_json(self, kind: str, key: str) -> dict | None:
        path = self._path(kind, key + ".json")
        try:
            return json.loads(path.read_text("utf-8")) if path else None
        except (OSError, ValueError):
            return None

    def save_json(self, kind: str, key: str, value: dict) -> None:
        path = self._path(kind, key + ".json")
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value, ensure_ascii=False), "utf-8")

    def load_words(self, key: str) -> dict:
        path = self._path("words", key + ".marshal")
        try:
            return marshal.loads(path.read_bytes()) if path else {}
        except (OSError, ValueError, EOFError, TypeError):
            return {}

    def save_words(self, key: str, value: dict) -> None:
        path = self._path("words", key + ".marshal")
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                path.write_bytes(marshal.dumps(value))
            except OSError as exc:  # a half file reads as no words (`words`): fine to leave
                raise naming(exc, path) from exc


@dataclass
class SegmentResult:
    """What `write_segment` made of one month: its manifest record, its content hash (its
    parts wait in the parts store under it), the result-list files it wrote or reused
    (relative to the output root), and its days' first document numbers."""

    record: dict
    files: list[str]
    dates: list[tuple[str, int]]
    """(MM-DD, the day's first year-local document number), in order."""
    digest: str = ""
    bytes: int = 0
    gzip_bytes: int | None = None
    rebuilt: bool = False
    files_written: int = 0
    files_reused: int = 0
    timings: dict[str, float] = field(default_factory=dict)


class _Writer:
    """`output` with the byte (and, when measured, gzip) counts of what goes through it."""

    def __init__(self, output: BuildOutput, measure_gzip: bool) -> None:
        self.output = output
        self.measure_gzip = measure_gzip
        self.bytes = 0
        self.gzip = 0
        self.written = 0
        self.reused = 0

    def put(self, rel: str, data: bytes) -> None:
        self.output.write_bytes(rel, data)
        self.written += 1
        self.bytes += len(data)
        if self.measure_gzip:
            self.gzip += len(gzip.compress(data, 6))

    def count_reused(self, files: int, size: int, gz: int | None) -> None:
        self.reused += files
        self.bytes += size
        if self.measure_gzip and gz is not None:
            self.gzip += gz


def write_segment(output: BuildOutput, key: str, year: int, first: int,
                  docs: Sequence[SearchDoc], cut: Cut, cache_dir: Path | None = None,
                  measure_gzip: bool = False, buckets: int | None = None,
                  store: PartsStore | None = None) -> SegmentResult:
    """Make one segment (`key`, a month): its parts, into the parts store (`write_pack`
    publishes them), and the result-list file of each of its documents, which are the
    year's documents `first`, `first + 1`, ... in reading order. Depends on nothing outside
    the segment, so months can be made by different processes (the build's workers) and
    put together by `write_pack` and `write_manifest`. With `cache_dir`, an unchanged
    month is not made again and jieba runs only for articles it has not seen."""
    cache = _Cache(cache_dir)
    store = store or PartsStore(cache_dir)
    ck = cut_key(cut)
    cacheable = ck is not None
    writer = _Writer(output, measure_gzip)
    hashes = [_doc_hash(d) for d in docs]
    seg_hash = hashlib.sha256(
        "\n".join([TOKENIZER_VERSION, parts_code(), variants.digest(), ck or "", key, str(first),
                   str(buckets or ""), *hashes]).encode()
    ).hexdigest()
    result = SegmentResult(record={}, files=[], dates=[], digest=seg_hash)
    cached = cache.load_json("segments", key) if cacheable else None
    if cached and cached.get("hash") == seg_hash and store.digest(key) == seg_hash:
        result.record = cached["record"]
    else:
        _index_month(result, key, year, first, docs, hashes, cut, buckets, store,
                     cache if cacheable else None)
    _write_doc_files(result, key, year, first, docs, writer, cache if cacheable else None)
    result.bytes, result.files_written, result.files_reused = (
        writer.bytes, writer.written, writer.reused)
    result.gzip_bytes = writer.gzip if measure_gzip else None
    return result


def _index_month(result: SegmentResult, key: str, year: int, first: int,
                 docs: Sequence[SearchDoc], hashes: list[str], cut: Cut,
                 buckets: int | None, store: PartsStore, cache: _Cache | None) -> None:
    """Index one month: its words (jieba only for documents `cache` has not seen), its
    postings, its parts into `store`."""
    result.rebuilt = True
    t0 = time.perf_counter()
    known = cache.load_words(key) if cache is not None else {}
    texts = [tuple(field_texts(d)[f] for f in FIELDS) for d in docs]
    missing = [i for i, h in enumerate(hashes) if h not in known]
    made = dict(zip(missing, docs_words([texts[i] for i in missing], cut), strict=True))
    words = [made[i] if i in made else known[h] for i, h in enumerate(hashes)]
    t1 = time.perf_counter()
    postings = batch_postings(texts, words)
    del texts
    t2 = time.perf_counter()
    parts = segment_files(key, year, first, postings, buckets)
    del postings
    store.save(key, result.digest, parts)
    t3 = time.perf_counter()
    result.timings = {"words": t1 - t0, "postings": t2 - t1, "shards": t3 - t2}
    result.record = parts.record
    if cache is not None:
        cache.save_words(key, dict(zip(hashes, words, strict=True)))
        cache.save_json("segments", key, {"hash": result.digest, "record": parts.record})


def _write_doc_files(result: SegmentResult, key: str, year: int, first: int,
                     docs: Sequence[SearchDoc], writer: _Writer, cache: _Cache | None
                     ) -> None:
    """The result-list data of a month, one small script per article (those unchanged
    since `cache` remembered them reused)."""
    t0 = time.perf_counter()
    output = writer.output
    doc_cache = (cache.load_json("docs", key) or {}) if cache is not None else {}
    new_cache: dict[str, list] = {}
    for n, doc in enumerate(docs, start=first):
        body = to_js_literal(display_doc(doc))
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
        rel = f"{SEARCH_DIR}/docs/{year}/{n}.js"
        entry = doc_cache.get(str(n))
        if entry and entry[0] == digest and output.reuse(rel):
            writer.count_reused(1, entry[1], entry[2] if len(entry) > 2 else None)
            new_cache[str(n)] = entry
        else:
            before = (writer.bytes, writer.gzip)
            writer.put(rel, f'SitegenSearch.doc("{doc_ref(year, n)}",{body});\n'.encode())
            new_cache[str(n)] = [digest, writer.bytes - before[0],
                                 writer.gzip - before[1] if writer.measure_gzip else None]
        result.files.append(rel)
        if not result.dates or result.dates[-1][0] != doc.date[5:]:
            result.dates.append((doc.date[5:], n))
    if cache is not None:
        cache.save_json("docs", key, new_cache)
    result.timings["docs"] = time.perf_counter() - t0


@dataclass
class PackResult:
    """The files `write_pack` wrote (relative to the output root) and their sizes."""

    files: list[str]
    bytes: int = 0
    gzip_bytes: int | None = None


def pack_months(segments: Sequence[SegmentResult], latest: str | None = None
                ) -> dict[str, list[SegmentResult]]:
    """The packs of `segments` (in reading order), each with its months in order.
    `latest`: the archive's latest month, when `segments` are not the whole archive's (a
    partition's year: the latest month decides the packs, `pack_keys`)."""
    of = pack_keys([s.record["key"] for s in segments], latest)
    packs: dict[str, list[SegmentResult]] = {}
    for seg in segments:
        packs.setdefault(of[seg.record["key"]], []).append(seg)
    return packs


def write_pack(output: BuildOutput, pack: str, months: Sequence[tuple[str, str]],
               cache_dir: Path | None = None, share: tuple[int, int] = (0, 1),
               only: Collection[str] | None = None, measure_gzip: bool = False,
               store: PartsStore | None = None) -> PackResult:
    """Publish pack `pack` of `months` ((key, content hash) of the segments, in order): its
    light files and its heavy terms' files, from the months' parts. `share` (i, k) writes
    the files whose number (light) or term hash (heavy) is i modulo k, so k workers can
    write a pack together, each reading only its share of every month; `only` restricts it
    to those files (relative to the output root)."""
    store = store or PartsStore(cache_dir)
    i, k = share
    outlines = [store.outline(key) for key, _ in months]
    buckets = pack_buckets([record for record, _ in outlines])
    mine = range(i, buckets, k)
    mine_heavy = {t for _, terms in outlines for t in terms if fnv1a(t) % k == i}
    parts = [store.load(key, digest,
                        {f for j in mine for f in light_parts_of(j, buckets, record["buckets"])
                         }.__contains__,
                        mine_heavy.__contains__)
             for (key, digest), (record, _) in zip(months, outlines, strict=True)]
    writer = _Writer(output, measure_gzip)
    result = PackResult(files=[])

    def put(name: str, data: bytes) -> None:
        rel = f"{SEARCH_DIR}/{pack}/{name}"
        if only is None or rel in only:
            writer.put(rel, data)
            result.files.append(rel)

    for j in mine:
        put(f"{j}.js", pack_light(parts, j, buckets))
    for term in sorted(mine_heavy):
        put(heavy_file(term), pack_heavy(parts, term))
    if i == 0:
        # the lengths heavy parts leave out, and the pack's directory entries: one share's
        if any(terms for _, terms in outlines):
            for (key, digest), part in zip(months, parts, strict=True):
                part.lengths = store.extra(key, digest, "lengths")
            for f, data in enumerate(pack_lengths(parts)):
                put(f"len-{f}.js", data)
        if only is None:
            vocab = pack_vocab([store.extra(key, digest, "vocab") for key, digest in months])
            store.save_vocab(pack, pack_digest(pack, months), vocab)
    result.bytes = writer.bytes
    result.gzip_bytes = writer.gzip if measure_gzip else None
    return result


def write_directory(output: BuildOutput, segments: Sequence[SegmentResult],
                    store: PartsStore) -> tuple[int, list[bytes]]:
    """Write the term directory (`search/t/<k>.js`, `shards.directory_files`) of the packs
    of `segments`; returns its file count and the files' bytes. Each pack's entries are
    the ones its `write_pack` kept, or made here from its months' parts when those are
    missing (a cache emptied by hand)."""
    vocabs = []
    for pack, segs in pack_months(segments).items():
        months = [(s.record["key"], s.digest) for s in segs]
        vocab = store.load_vocab(pack, pack_digest(pack, months))
        if vocab is None:
            vocab = pack_vocab([store.extra(key, digest, "vocab") for key, digest in months])
        vocabs.append(vocab)
    count, files = directory_files(vocabs)
    for k, data in enumerate(files):
        output.write_bytes(f"{SEARCH_DIR}/t/{k}.js", data)
    return count, files


def write_manifest(output: BuildOutput, project_root: Path | None,
                   segments: Sequence[SegmentResult], measure_gzip: bool = False,
                   store: PartsStore | None = None, directory: bool = True,
                   pack_files: Mapping[str, Sequence[str]] | None = None,
                   read: Callable[[str], bytes] | None = None) -> tuple[int, int | None]:
    """Write `assets/lunr.js`, the search client that reads this index (`client.js`, as
    `assets/search-client.js`), the traditional-to-simplified table it folds queries
    with (`assets/search-fold.js`, `variants.py`) and the manifest of `segments` (in reading
    order), which names the table it was indexed with. Returns
    the bytes written (and, when measured, their gzip size). `project_root`: see
    `sitegen.resources.lunr_js_candidates` (None: this sitegen's own lunr.js). With
    `directory` (all but an offline copy's one-bucket index) the term directory is written
    too, from the packs' entries in `store`, and with `pack_files` (each pack's files) the
    completed years' packs joined (`past.py`), their files read with `read` (default: from
    `output`, where the build wrote or linked them; the merge reads the partitions')."""
    lunr_js = lunr_js_path(project_root)
    years: dict[int, list] = {}
    for seg in segments:
        dates = years.setdefault(int(seg.record["year"]), [])
        for day, n in seg.dates:
            dates += [day, n]
    grouped = pack_months(segments)
    packs = {pack: pack_buckets([seg.record for seg in segs]) for pack, segs in grouped.items()}
    of = {seg.record["key"]: pack for pack, segs in grouped.items() for seg in segs}
    dir_count, dir_files = (write_directory(output, segments, store or PartsStore(None))
                            if directory and segments else (0, []))
    past: list[str] = []
    if dir_count and pack_files is not None:
        pack_years = {pack: int(segs[0].record["year"]) for pack, segs in grouped.items()}
        past = past_packs(pack_years, max(pack_years.values()))
    digest = past_digest([(pack, pack_digest(pack, [(s.record["key"], s.digest)
                                                    for s in grouped[pack]]))
                          for pack in past])
    if past:
        assert pack_files is not None
        write_past(output, joined_files(past, pack_files), digest,
                   _previous_past_digest(output),
                   read or (lambda rel: (output.root / rel).read_bytes()))
    manifest = {
        "format": FORMAT,
        "lunr": LUNR_VERSION,
        "fields": list(FIELDS),
        "boosts": list(BOOSTS),
        "k1": K1,
        "b": B,
        "pipeline": list(PIPELINE_LABELS),
        "refBase": REF_BASE,
        "shown": SHOWN,
        "segments": [{**seg.record, "pack": of[seg.record["key"]]} for seg in segments],
        "packs": packs,
        "dates": {str(y): d for y, d in sorted(years.items())},
        "fold": variants.digest(),
        "dir": dir_count,
        "dirPacks": list(grouped) if dir_count else [],
        "past": past,
        "pastDigest": digest,
    }
    files = [lunr_js.read_bytes(), render_manifest(manifest).encode("utf-8"),
             variants.fold_js(), CLIENT_JS.read_bytes(), *dir_files]
    output.write_bytes("assets/lunr.js", files[0])
    output.write_bytes(MANIFEST, files[1])
    output.write_bytes(f"assets/{variants.JS_NAME}", files[2])
    output.write_bytes(f"assets/{CLIENT_NAME}", files[3])
    size = sum(map(len, files))
    return size, sum(len(gzip.compress(f, 6)) for f in files) if measure_gzip else None


def _previous_past_digest(output: BuildOutput) -> str | None:
    """What the previous build's joined files were made of (its manifest's `pastDigest`)."""
    if output.previous is None:
        return None
    try:
        return parse_manifest((output.previous / MANIFEST).read_text("utf-8")).get("pastDigest")
    except (OSError, ValueError):  # none, or not one sitegen wrote: join again
        return None


def month_groups(docs: Iterable[SearchDoc]) -> Iterator[tuple[str, int, int, list[SearchDoc]]]:
    """(segment key, year, first year-local number, documents) of each month of `docs`
    (which are in reading order), one month in memory at a time."""
    per_year: dict[int, int] = {}
    for key, group in groupby(docs, key=lambda d: segment_key(d.date)):
        items = list(group)
        year = int(key[:4])
        first = per_year.get(year, 0)
        per_year[year] = first + len(items)
        yield key, year, first, items


def write_search_assets(
    output: BuildOutput | Path,
    docs: Sequence[SearchDoc],
    cut: Cut,
    project_root: Path | None,
    cache_dir: Path | None = None,
    measure_gzip: bool = False,
    buckets: int | None = None,
) -> SearchStats:
    """Write `assets/lunr.js`, the manifest `assets/search-index.js` and the split index and
    result-list data under `assets/search/` (see `shards.py` for the layout).

    `output` is the build's `BuildOutput` (a plain folder is accepted too and wrapped).
    `docs` is in reading order (oldest edition first, page order; a list is sorted by date,
    stably). `project_root` is where lunr.js is found (`sitegen.resources.lunr_js_path`;
    None: this sitegen's own). `cut` segments Chinese text with the site's user dictionary (jieba's
    `cut_for_search`). `cache_dir` (e.g. `<site>/.sitegen-cache/search/`) enables reuse of
    unchanged months and articles. `buckets` fixes each month's number of shard files
    (an offline copy's one). The build itself calls `write_segment` per month in its
    workers and `write_manifest` once.
    """
    started = time.perf_counter()
    if not isinstance(output, BuildOutput):
        output = BuildOutput(Path(output))
    lunr_js_path(project_root)  # before any work: say how to install it
    stats = SearchStats()
    ordered = sorted(docs, key=lambda d: d.date) if isinstance(docs, list) else docs
    store = PartsStore(cache_dir)
    cache = _Cache(cache_dir)
    results = []
    gz_total = 0
    for key, year, first, items in month_groups(ordered):
        seg = write_segment(output, key, year, first, items, cut, cache_dir, measure_gzip,
                            buckets, store)
        results.append(seg)
        stats.documents += len(items)
        stats.segments_rebuilt += seg.rebuilt
        stats.doc_files += len(items)
        stats.files_written += seg.files_written
        stats.files_reused += seg.files_reused
        stats.bytes += seg.bytes
        gz_total += seg.gzip_bytes or 0
        for name, value in seg.timings.items():
            stats.timings[name] = stats.timings.get(name, 0.0) + value
    pack_files: dict[str, list[str]] = {}
    for pack, segs in pack_months(results).items():
        months = [(s.record["key"], s.digest) for s in segs]
        digest = pack_digest(pack, months)
        known = cache.load_json("packs", pack)
        if (known and known.get("digest") == digest
                and (not measure_gzip or known.get("gzip") is not None)
                and all(output.reuse(rel) for rel in known["files"])):
            pack_files[pack] = known["files"]
            stats.files_reused += len(known["files"])
            stats.bytes += known["bytes"]
            gz_total += known.get("gzip") or 0
            stats.shard_files += len(known["files"])
            continue
        made = write_pack(output, pack, months, measure_gzip=measure_gzip, store=store)
        pack_files[pack] = made.files
        stats.files_written += len(made.files)
        stats.shard_files += len(made.files)
        stats.bytes += made.bytes
        gz_total += made.gzip_bytes or 0
        cache.save_json("packs", pack, {"digest": digest, "files": made.files,
                                        "bytes": made.bytes, "gzip": made.gzip_bytes})
    stats.segments = len(results)
    size, gz = write_manifest(output, project_root, results, measure_gzip, store,
                              directory=buckets != 1, pack_files=pack_files)
    stats.files_written += 2
    stats.bytes += size
    if measure_gzip:
        stats.gzip_bytes = gz_total + (gz or 0)
    stats.seconds = time.perf_counter() - started
    return stats
