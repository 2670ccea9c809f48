"""Build the search index: pure functions from a list of documents to a lunr.js 2.3.9 index.

The index is built with lunr.py (the `lunr` package) because it writes the exact serialized
format lunr.js loads, so the browser gets BM25 scoring, required/optional clauses and prefix
wildcards without a custom engine. lunr.py is used with *empty* pipelines and pre-tokenized
fields (lists of terms, see `tokenize.py`). That avoids its trimmer and stemmer, which are
built for English. It also keeps the serialized search pipeline empty, so the browser has no
pipeline function to register before `lunr.Index.load`.

Everything here is a pure function of `docs` (and `cut`) so that a later partitioner can split
the same output by term without touching how documents are tokenized.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from lunr.builder import Builder

from sitegen.search.tokenize import Cut, field_terms

FORMAT = 1
"""Version of the `window.SITEGEN_SEARCH` payload; search.js refuses other versions."""

LUNR_FORMAT_VERSION = "2.3.9"
"""The lunr.js version the serialized index is for (lunr.py 0.8.0 targets it)."""

FIELD_BOOSTS: tuple[tuple[str, int], ...] = (
    ("title", 10),
    ("people", 5),
    ("towns", 3),
    ("body", 1),
)
"""Index fields and their build-time boosts. A title hit beats a body hit at equal term
statistics; search.js also puts articles whose title contains every query word first."""

PIPELINE_LABELS: tuple[str, ...] = ()
"""Search-pipeline labels the serialized index carries. lunr.js throws on load for any label
that has not been registered with `lunr.Pipeline.registerFunction`; we have none (the
browser tokenizes queries itself), and search.js asserts the same list."""


@dataclass(frozen=True)
class SearchDoc:
    """One article as the search page needs it: what is indexed and what a result shows."""

    url: str
    """Site-root-relative path of the article page, `2023-09-19/01/<slug>.html`."""
    title: str
    kicker: str | None
    subtitle: str | None
    body: str
    """Paragraphs joined with newlines."""
    people: list[str]
    """Byline names."""
    towns: list[str]
    date: str
    """ISO date of the edition, `2023-09-19`."""
    page: str
    """Display name of the page, `第01版 要闻`."""
    bylines: str
    """Display string, `记者 钱澄蓉 通讯员 蒋诗琪`."""


def field_texts(doc: SearchDoc) -> dict[str, str]:
    """The text of each index field. search.js rebuilds the same strings from the display
    data (`fieldTexts`) to check that a candidate really contains the query, so any change
    here must be made there too. Newlines between parts keep runs from joining across them."""
    return {
        "title": "\n".join(p for p in (doc.kicker, doc.title, doc.subtitle) if p),
        "people": "\n".join(doc.people),
        "towns": "\n".join(doc.towns),
        "body": doc.body,
    }


def utf16_order(term: str) -> bytes:
    """Sort key matching JavaScript's string comparison (UTF-16 code units).

    lunr.js rebuilds its token set by inserting the serialized terms in order and throws
    "Out of order word insertion" if one compares lower than the one before it. Python sorts
    by code point, which disagrees for characters outside the BMP: `𠮷` (U+20BB7, surrogates
    D842 DFB7) sorts after `﨑` (U+FA11) in Python but before it in JavaScript.
    """
    return term.encode("utf-16-be")


def build_index(docs: Sequence[SearchDoc], cut: Cut) -> dict:
    """The serialized lunr index of `docs`, refs being list positions as strings.

    Deterministic: terms get their `_index` in first-seen order, field vectors follow the
    document order, and the inverted index is sorted in UTF-16 order for lunr.js.
    """
    if not docs:
        # lunr.py divides by the number of documents; a site with no articles yet still
        # gets a search page that loads and finds nothing.
        return {
            "version": LUNR_FORMAT_VERSION,
            "fields": [name for name, _ in FIELD_BOOSTS],
            "fieldVectors": [],
            "invertedIndex": [],
            "pipeline": list(PIPELINE_LABELS),
        }
    builder = Builder()
    builder.ref("ref")
    for name, boost in FIELD_BOOSTS:
        builder.field(name, boost=boost)
    for ref, doc in enumerate(docs):
        texts = field_texts(doc)
        # A list field value goes through lunr's tokenizer as ready-made tokens.
        builder.add(
            {"ref": str(ref), **{name: field_terms(texts[name], cut) for name, _ in FIELD_BOOSTS}}
        )
    serialized = builder.build().serialize()
    serialized["invertedIndex"].sort(key=lambda pair: utf16_order(pair[0]))
    if tuple(serialized["pipeline"]) != PIPELINE_LABELS:
        raise AssertionError(f"unexpected search pipeline {serialized['pipeline']!r}")
    return serialized


def display_doc(doc: SearchDoc) -> dict[str, object]:
    """What the results list shows for one article. It also carries every indexed text,
    because search.js confirms each candidate contains the query as a substring and cuts
    the highlighted snippet from the body."""
    return {
        "url": doc.url,
        "title": doc.title,
        "kicker": doc.kicker or "",
        "subtitle": doc.subtitle or "",
        "date": doc.date,
        "page": doc.page,
        "bylines": doc.bylines,
        "body": doc.body,
        "people": list(doc.people),
        "towns": list(doc.towns),
    }


def build_payload(docs: Sequence[SearchDoc], cut: Cut) -> dict:
    """Everything the search page needs: the lunr index and the display data, by ref."""
    return {
        "format": FORMAT,
        "index": build_index(docs, cut),
        "docs": [display_doc(d) for d in docs],
    }


def to_js_literal(value: object) -> str:
    """Compact JSON, safe to embed as JavaScript anywhere.

    `<` is escaped so that no `</script>` or `<!--` can end up in a script file someone might
    later inline. U+2028 and U+2029 are escaped because they end lines in JavaScript before
    ES2019. Keys are sorted and nothing depends on the clock, so the output is byte-identical
    for identical input.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


JS_PREFIX = "window.SITEGEN_SEARCH=JSON.parse("
JS_SUFFIX = ");\n"


def render_index_js(payload: dict) -> str:
    """The contents of `assets/search-index.js`.

    A classic script, not a JSON file: browsers block `fetch` of `file://` URLs, but a
    `<script src>` loads from disk. The payload is a string handed to `JSON.parse` rather
    than an object literal because JavaScript engines parse JSON about three times faster
    (measured in Chromium: 8 MB took 220 ms instead of 640 ms), for 9% more raw bytes and
    almost no more gzip bytes.
    """
    inner = to_js_literal(payload)
    # `inner` has no raw `<`, U+2028 or U+2029 left, and dumping it as a JSON string adds none.
    return JS_PREFIX + json.dumps(inner, ensure_ascii=False) + JS_SUFFIX


def parse_index_js(text: str) -> dict:
    """The payload of a `search-index.js` written by `render_index_js` (for tests and tools)."""
    if not (text.startswith(JS_PREFIX) and text.endswith(JS_SUFFIX)):
        raise ValueError("not a sitegen search-index.js")
    return json.loads(json.loads(text[len(JS_PREFIX) : -len(JS_SUFFIX)]))
