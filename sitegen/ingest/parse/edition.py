"""An edition's pages parsed together: stories that jump (转版) joined into one article.

A story that ends `（下转第A02版）` on page A01 goes on in a continuation on A02, which opens
`（上接第A01版）` and closes with a headline group repeating the start of the story's
title (`我市出台十条措施` for `我市出台十条措施助推制造业技改提速`). The two are one article:
the first part's fields, the continuation's paragraphs after its own, towns counted over
the whole text, printed on both pages. The continuation's page lists it as a
continuation (上接第A01版) that points at the joined article; a jump whose other part
cannot be found keeps both parts as articles and is reported (`unmatched`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from sitegen.config import Town
from sitegen.content.model import Article, Extra, Heading, ParsedPage
from sitegen.ingest.parse.article import article_towns
from sitegen.text.labels import resolve_jump


@dataclass(frozen=True)
class Continuation:
    """Where a joined story's second part was printed: listed on its page, not an article."""

    continued_from: str
    article: int
    """Index of the joined article among the articles of `continued_from`."""
    title: str | None
    repeated_title: str | None
    source_lines: tuple[int, int]

    def to_dict(self) -> dict[str, object]:
        return {"continued_from": self.continued_from, "article": self.article,
                "title": self.title, "repeated_title": self.repeated_title,
                "source_lines": list(self.source_lines)}


@dataclass
class PlacedArticle:
    article: Article
    pages: list[str]
    """The labels of the pages it is printed on: its own, and a jump's other page."""

    def to_dict(self) -> dict[str, object]:
        return self.article.to_dict() | {"pages": list(self.pages)}


@dataclass
class EditionPageParse:
    label: str
    articles: list[PlacedArticle]
    continuations: list[Continuation] = field(default_factory=list)
    extras: list[Extra] = field(default_factory=list)
    unassigned_bylines: list = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"label": self.label,
                                  "articles": [a.to_dict() for a in self.articles]}
        if self.continuations:
            out["continuations"] = [c.to_dict() for c in self.continuations]
        out["extras"] = [e.to_dict() for e in self.extras]
        out["unassigned_bylines"] = [[b.to_dict() for b in group]
                                     for group in self.unassigned_bylines]
        return out


@dataclass(frozen=True)
class UnmatchedJump:
    """A jump line whose other part was not found: both parts stay articles, for review."""

    label: str
    title: str | None
    direction: str
    """`to` (a `下转` line with no continuation) or `from` (a `上接` with no start)."""
    printed: str


@dataclass
class EditionParse:
    date: date | None
    pages: list[EditionPageParse]
    unmatched: list[UnmatchedJump] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {"date": self.date.isoformat() if self.date else None,
                "pages": [p.to_dict() for p in self.pages]}


def _key(title: str | None) -> str:
    return (title or "").replace(" ", "")


def repeats_title(repeated: str | None, title: str | None) -> bool:
    """The continuation's headline is the start of (or equal to) the story's title."""
    return bool(_key(repeated)) and _key(title).startswith(_key(repeated))


def join(first: Article, rest: Article, towns: Sequence[Town]) -> Article:
    """One article from a story and its continuation: the first part's fields, the
    continuation's paragraphs (intertitles and quotes with them) after its own."""
    offset = len(first.paragraphs)
    joined = replace(
        first,
        paragraphs=[*first.paragraphs, *rest.paragraphs],
        headings=[*first.headings, *(Heading(h.before + offset, h.text) for h in rest.headings)],
        quotes=[*first.quotes, *rest.quotes],
        bylines=first.bylines or rest.bylines,
        captions=[*first.captions, *rest.captions],
        video=first.video or rest.video,
    )
    joined.towns = article_towns(joined, towns)
    return joined


def _find_continuation(label: str, article: Article, pages: dict[str, ParsedPage],
                       taken: set[tuple[str, int]]) -> tuple[str, int] | None:
    target = resolve_jump(article.continued_to or "", pages, label)
    if target is None:
        return None
    candidates = [
        (len(_key(a.title)), i) for i, a in enumerate(pages[target].articles)
        if (target, i) not in taken and a.continued_from is not None
        and resolve_jump(a.continued_from, pages, target) == label
        and repeats_title(a.title, article.title)]
    if not candidates:
        return None
    return target, max(candidates)[1]  # the longest repeated title: the best match


def join_jumps(pages: dict[str, ParsedPage], towns: Sequence[Town],
               day: date | None = None) -> EditionParse:
    """Join every jump of an edition whose pages are given by label, in page order."""
    joined: dict[tuple[str, int], tuple[str, int]] = {}  # continuation → its start
    for label, page in pages.items():
        for i, article in enumerate(page.articles):
            if article.continued_to is None:
                continue
            found = _find_continuation(label, article, pages, set(joined))
            if found is not None:
                joined[found] = (label, i)
    starts = {start: cont for cont, start in joined.items()}
    out: list[EditionPageParse] = []
    unmatched: list[UnmatchedJump] = []
    index_of: dict[tuple[str, int], int] = {}
    for label, page in pages.items():
        placed: list[PlacedArticle] = []
        for i, article in enumerate(page.articles):
            if (label, i) in joined:
                continue
            if (label, i) in starts:
                cont_label, j = starts[(label, i)]
                article = join(article, pages[cont_label].articles[j], towns)
                placed.append(PlacedArticle(article, [label, cont_label]))
            else:
                placed.append(PlacedArticle(article, [label]))
                if article.continued_to is not None:
                    unmatched.append(UnmatchedJump(label, article.title, "to",
                                                   article.continued_to))
                if article.continued_from is not None:
                    unmatched.append(UnmatchedJump(label, article.title, "from",
                                                   article.continued_from))
            index_of[(label, i)] = len(placed) - 1
        out.append(EditionPageParse(label, placed, extras=list(page.extras),
                                    unassigned_bylines=list(page.unassigned_bylines)))
    by_label = {p.label: p for p in out}
    for (cont_label, j), (label, i) in sorted(joined.items()):
        rest = pages[cont_label].articles[j]
        by_label[cont_label].continuations.append(Continuation(
            continued_from=label, article=index_of[(label, i)],
            title=pages[label].articles[i].title, repeated_title=rest.title,
            source_lines=rest.source_lines))
    return EditionParse(day, out, unmatched)
