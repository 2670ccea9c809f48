"""The search documents and the unsplit lunr index of them.

The browser never loads one index of the whole archive (see `shards.py`), but the unsplit
index is the *definition* the split one must reproduce: `build_index` computes it from the
same term statistics as the shards (`engine.py`), and `lunr_py_index` builds it the slow,
obviously-right way with lunr.py. Tests check the two agree, and that the browser's index
assembled from shards equals `build_index` restricted to the loaded terms.

lunr is used with *empty* pipelines and pre-tokenized fields (lists of terms, see
`tokenize.py`): that avoids its trimmer and stemmer, which are built for English, and keeps
the serialized search pipeline empty, so the browser has no pipeline function to register.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.search.tokenize import Cut, field_terms

FORMAT = 5
"""Version of the `window.SITEGEN_SEARCH` payload; client.js refuses other versions."""

LUNR_FORMAT_VERSION = "2.3.9"
"""The lunr.js version the serialized index is for (lunr.py 0.8.0 targets it)."""

FIELD_BOOSTS: tuple[tuple[str, int], ...] = (
    ("title", 10),
    ("people", 5),
    ("towns", 3),
    ("body", 1),
)
"""Index fields and their build-time boosts. A title hit beats a body hit at equal term
statistics; client.js also puts articles whose title contains every query word first."""

PIPELINE_LABELS: tuple[str, ...] = ()
"""Search-pipeline labels the serialized index carries. lunr.js throws on load for any label
that has not been registered with `lunr.Pipeline.registerFunction`; we have none (the
browser tokenizes queries itself), and client.js asserts the same list."""


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
    """The text of each index field. Newlines between parts keep runs from joining across
    them (they fold to a separator, so `fold` of a field never spans two parts' words)."""
    return {
        "title": "\n".join(p for p in (doc.kicker, doc.title, doc.subtitle) if p),
        "people": "\n".join(doc.people),
        "towns": "\n".join(doc.towns),
        "body": doc.body,
    }


def build_index(docs: Sequence[SearchDoc], cut: Cut, refs: Sequence[str] | None = None) -> dict:
    """The unsplit serialized lunr index of `docs` (refs default to list positions), from
    `engine.py`'s statistics; terms are numbered by UTF-16 rank (see `engine.lunr_index`)."""
    from sitegen.search.engine import FIELDS, batch_postings, doc_words, lunr_index

    texts = [tuple(field_texts(d)[f] for f in FIELDS) for d in docs]
    postings = batch_postings(texts, [doc_words(t, cut) for t in texts]) if texts else None
    refs = list(refs) if refs is not None else [str(i) for i in range(len(docs))]
    return lunr_index(postings, refs)


def lunr_py_index(docs: Sequence[SearchDoc], cut: Cut, refs: Sequence[str] | None = None) -> dict:
    """The same index built by lunr.py from `field_terms` lists (first-seen term numbering,
    Python code-point term order as lunr.py serializes it). The reference for tests."""
    from lunr.builder import Builder

    refs = list(refs) if refs is not None else [str(i) for i in range(len(docs))]
    builder = Builder()
    builder.ref("ref")
    for name, boost in FIELD_BOOSTS:
        builder.field(name, boost=boost)
    for ref, doc in zip(refs, docs, strict=True):
        texts = field_texts(doc)
        terms = {name: field_terms(texts[name], cut) for name, _ in FIELD_BOOSTS}
        builder.add({"ref": ref, **terms})
    return builder.build().serialize()


def display_doc(doc: SearchDoc) -> dict[str, object]:
    """What the results list shows for one article (loaded only for shown results): the
    body is there to cut the highlighted snippet from."""
    return {
        "url": doc.url,
        "title": doc.title,
        "kicker": doc.kicker or "",
        "subtitle": doc.subtitle or "",
        "date": doc.date,
        "page": doc.page,
        "bylines": doc.bylines,
        "body": doc.body,
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
