"""Summaries of editions: everything but the article bodies, which archive-wide pages and
the site model are made from (a ten-year archive's summaries fit in memory, its bodies do
not), each with a digest of its content that the build's fingerprints use.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sitegen.content.model import (
    Article,
    Byline,
    ContinuationRef,
    Edition,
    Extra,
)

OPENING_CHARS = 100
"""How much of an article's first paragraph a summary keeps: more than any teaser shows
(`site.LEDE_LIMIT`, checked there), so a teaser made from the summary equals one made from
the article; no more, since 200,000 summaries are in memory at once."""


@dataclass(slots=True)
class ArticleMeta:
    """An article without its body: what listings, feeds and page fingerprints need.

    `digest` identifies the stored article's content (body included), so an article page is
    re-rendered exactly when the article changed, without reading the body to find out."""

    kind: str
    kicker: str | None
    title: str | None
    subtitle: str | None
    bylines: tuple[Byline, ...]
    towns: tuple[str, ...]
    captions: tuple[str, ...]
    video: bool
    opening: str
    date: date
    page: str
    order: int
    digest: str
    pages: tuple[str, ...] = ()
    column: str | None = None
    agency: str | None = None

    @property
    def printed_on(self) -> tuple[str, ...]:
        return self.pages or (self.page,)


@dataclass(slots=True)
class PageMeta:
    label: str
    name: str
    extras: tuple[Extra, ...]
    unassigned_bylines: tuple[tuple[Byline, ...], ...]
    articles: list[ArticleMeta]
    continuations: tuple[ContinuationRef, ...]
    slugs: tuple[str, ...]
    """The articles' URL slugs (pinyin of the titles, numbered on collision): made once
    when the page is read, because pinyin is the slow part of building the site model."""


@dataclass(slots=True)
class EditionMeta:
    """An edition without article bodies; `digest` changes whenever anything in it does."""

    date: date
    number: int | None
    pages: list[PageMeta]
    digest: str

    @property
    def articles(self) -> list[ArticleMeta]:
        return [a for p in self.pages for a in p.articles]


def slug_source(article: Article | ArticleMeta) -> str:
    """What an article's URL slug is made from: its title, or for a brief printed without
    one its column and opening words (so it still gets a readable, stable slug)."""
    if article.title:
        return article.title
    opening = article.opening if isinstance(article, ArticleMeta) else (
        article.paragraphs[0] if article.paragraphs else "")
    return f"{article.column or ''}{opening[:12]}"


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def summarize(edition: Edition) -> EditionMeta:
    """The body-less summary of `edition` (dataclass reprs are deterministic, so the digests
    are the same in every process and every run)."""
    from sitegen.text.slugs import unique_slugs  # pypinyin: imported when first needed

    pages = []
    for page in edition.pages:
        articles = []
        for stored in page.articles:
            art = stored.article
            articles.append(ArticleMeta(
                kind=art.kind,
                kicker=art.kicker,
                title=art.title,
                subtitle=art.subtitle,
                bylines=tuple(art.bylines),
                towns=tuple(art.towns),
                captions=tuple(art.captions),
                video=art.video,
                opening=art.paragraphs[0][:OPENING_CHARS] if art.paragraphs else "",
                date=stored.date,
                page=stored.page,
                order=stored.order,
                digest=_digest(repr((art, stored.pages))),
                pages=stored.pages,
                column=art.column,
                agency=art.source,
            ))
        meta = page.meta
        pages.append(PageMeta(
            label=meta.label,
            name=meta.name,
            extras=tuple(meta.extras),
            unassigned_bylines=tuple(tuple(g) for g in meta.unassigned_bylines),
            articles=articles,
            continuations=tuple(meta.continuations),
            slugs=tuple(unique_slugs([slug_source(a) for a in articles], fallback="article")),
        ))
    digest = _digest(repr((edition.date, edition.number, [
        (p.label, p.name, p.extras, p.unassigned_bylines, p.continuations,
         [(a.page, a.order, a.digest) for a in p.articles]) for p in pages])))
    return EditionMeta(date=edition.date, number=edition.number, pages=pages, digest=digest)
