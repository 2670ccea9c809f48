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
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.output import BuildOutput
from sitegen.search.engine import BOOSTS, FIELDS, K1, B, batch_postings, doc_words
from sitegen.search.index import (
    FORMAT,
    LUNR_FORMAT_VERSION,
    PIPELINE_LABELS,
    SearchDoc,
    display_doc,
    field_texts,
    to_js_literal,
)
from sitegen.search.shards import REF_BASE, segment_files, segment_key
from sitegen.search.tokenize import Cut

LUNR_VERSION = LUNR_FORMAT_VERSION
LUNR_SOURCE = Path("node_modules") / "lunr" / "lunr.js"
"""lunr.js comes from npm (pinned in package.json and package-lock.json), never from a CDN:
the site has to work offline, and the version has to match the index format."""

TOKENIZER_VERSION = "2"
"""Bump when the terms an article produces change: every cached segment is then rebuilt."""

SEARCH_DIR = "assets/search"
MANIFEST = "assets/search-index.js"
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


def lunr_js_path(project_root: Path) -> Path:
    """The installed lunr.js, or a SitegenError saying how to install it."""
    path = Path(project_root) / LUNR_SOURCE
    if not path.is_file():
        raise SitegenError(
            "lunr.js is not installed (needed for the search page); "
            "run `npm ci` in the project folder",
            path,
        )
    head = path.read_text(encoding="utf-8", errors="replace")[:300]
    if f"not as bright - {LUNR_VERSION}" not in head:
        raise SitegenError(
            f"node_modules has a different lunr.js than {LUNR_VERSION}; run `npm ci`", path
        )
    return path


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


def _numbered(docs: Sequence[SearchDoc]) -> list[tuple[int, int, SearchDoc]]:
    """(year, n, doc) in date order (stable: the build's page order within a day)."""
    out = []
    per_year: dict[int, int] = {}
    for doc in sorted(docs, key=lambda d: d.date):
        year = int(doc.date[:4])
        n = per_year.get(year, 0)
        per_year[year] = n + 1
        out.append((year, n, doc))
    return out


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
            path.write_bytes(marshal.dumps(value))


def _reuse_all(output: BuildOutput, rels: list[str]) -> bool:
    prev = output.previous
    if prev is None or not all((prev / rel).is_file() for rel in rels):
        return False
    return all(output.reuse(rel) for rel in rels)


def write_search_assets(
    output: BuildOutput | Path,
    docs: Sequence[SearchDoc],
    cut: Cut,
    project_root: Path,
    cache_dir: Path | None = None,
    measure_gzip: bool = False,
) -> SearchStats:
    """Write `assets/lunr.js`, the manifest `assets/search-index.js` and the split index and
    result-list data under `assets/search/` (see `shards.py` for the layout).

    `output` is the build's `BuildOutput` (a plain folder is accepted too and wrapped).
    `docs` must be in reading order (oldest edition first, page order). `cut` segments
    Chinese text with the site's user dictionary (jieba's `cut_for_search`). `cache_dir`
    (e.g. `<site>/.sitegen-cache/search/`) enables reuse of unchanged months and articles.
    """
    started = time.perf_counter()
    if not isinstance(output, BuildOutput):
        output = BuildOutput(Path(output))
    stats = SearchStats()
    sizes: list[tuple[str, int]] = []

    def put(rel: str, data: bytes) -> None:
        output.write_bytes(rel, data)
        stats.files_written += 1
        stats.bytes += len(data)
        if measure_gzip:
            sizes.append((rel, len(gzip.compress(data, 6))))

    lunr_js = lunr_js_path(project_root)
    put("assets/lunr.js", lunr_js.read_bytes())
    cache = _Cache(cache_dir)
    ck = cut_key(cut)
    cacheable = ck is not None
    numbered = _numbered(docs)
    stats.documents = len(numbered)

    segments: dict[str, list[tuple[int, int, SearchDoc]]] = {}
    for item in numbered:
        segments.setdefault(segment_key(item[2].date), []).append(item)
    records = []
    t_words = t_post = t_files = 0.0
    for key, items in segments.items():
        year, first = items[0][0], items[0][1]
        hashes = [_doc_hash(d) for _, _, d in items]
        seg_hash = hashlib.sha256(
            "\n".join([TOKENIZER_VERSION, ck or "", key, str(first), *hashes]).encode()
        ).hexdigest()
        cached = cache.load_json("segments", key) if cacheable else None
        if cached and cached.get("hash") == seg_hash and _reuse_all(
            output, [f"{SEARCH_DIR}/{rel}" for rel in cached["files"]]
        ):
            stats.files_reused += len(cached["files"])
            stats.bytes += cached["bytes"]
            if measure_gzip and cached.get("gzip") is not None:
                sizes.append((key, cached["gzip"]))
            records.append(cached["record"])
            stats.shard_files += len(cached["files"])
            continue
        stats.segments_rebuilt += 1
        t0 = time.perf_counter()
        known = cache.load_words(key) if cacheable else {}
        texts = [tuple(field_texts(d)[f] for f in FIELDS) for _, _, d in items]
        words = []
        for h, tx in zip(hashes, texts, strict=True):
            w = known.get(h)
            if w is None:
                w = doc_words(tx, cut)
            words.append(w)
        t1 = time.perf_counter()
        postings = batch_postings(texts, words)
        t2 = time.perf_counter()
        out = segment_files(key, year, first, postings)
        seg_gzip = 0
        seg_bytes = 0
        for rel, data in out.files.items():
            put(f"{SEARCH_DIR}/{rel}", data)
            seg_bytes += len(data)
            if measure_gzip:
                seg_gzip += sizes[-1][1]
        t3 = time.perf_counter()
        t_words += t1 - t0
        t_post += t2 - t1
        t_files += t3 - t2
        stats.shard_files += len(out.files)
        records.append(out.record)
        if cacheable:
            cache.save_words(key, dict(zip(hashes, words, strict=True)))
            cache.save_json("segments", key, {
                "hash": seg_hash, "record": out.record, "files": sorted(out.files),
                "bytes": seg_bytes, "gzip": seg_gzip if measure_gzip else None})
    stats.segments = len(records)

    # Result-list data, one small script per article.
    t0 = time.perf_counter()
    years: dict[int, list] = {}
    doc_cache: dict[int, dict] = {}
    for year, n, doc in numbered:
        if year not in doc_cache:
            doc_cache[year] = (cache.load_json("docs", str(year)) or {}) if cacheable else {}
        data = display_doc(doc)
        body = to_js_literal(data)
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
        rel = f"{SEARCH_DIR}/docs/{year}/{n}.js"
        entry = doc_cache[year].get(str(n))
        if entry and entry[0] == digest and output.reuse(rel):
            stats.files_reused += 1
            stats.bytes += entry[1]
            if measure_gzip and len(entry) > 2 and entry[2] is not None:
                sizes.append((rel, entry[2]))
        else:
            blob = f'SitegenSearch.doc("{doc_ref(year, n)}",{body});\n'.encode()
            put(rel, blob)
            doc_cache[year][str(n)] = [digest, len(blob),
                                       sizes[-1][1] if measure_gzip else None]
        stats.doc_files += 1
        dates = years.setdefault(year, [])
        if not dates or dates[-2] != doc.date[5:]:
            dates += [doc.date[5:], n]
    if cacheable:
        for year, entries in doc_cache.items():
            cache.save_json("docs", str(year), entries)
    t_docs = time.perf_counter() - t0

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
        "segments": records,
        "dates": {str(y): d for y, d in sorted(years.items())},
    }
    put(MANIFEST, render_manifest(manifest).encode("utf-8"))
    if measure_gzip:
        stats.gzip_bytes = sum(s for _, s in sizes)
    stats.timings = {"words": t_words, "postings": t_post, "shards": t_files, "docs": t_docs}
    stats.seconds = time.perf_counter() - started
    return stats
