"""An article as search reads it: the documents the index is made of.

Why here and not in the build: what an index field holds is the search package's decision
(a new field is filled here, and named in `index.py` and `engine.py`), and the build, the offline
copies and the benchmarks all make documents the same way. The build makes them without
bodies in the parent (enough to tell whether a month changed) and its workers add the
bodies from the content cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sitegen.search.index import SearchDoc

if TYPE_CHECKING:
    from sitegen.config import SiteConfig
    from sitegen.content.model import Article, Edition
    from sitegen.site.views import ArticleView, Site


def search_doc(view: ArticleView, body: str = "") -> SearchDoc:
    """The search document of an article: its view's data and `body` (its paragraphs,
    one per line)."""
    return SearchDoc(
        url=view.url,
        title=view.title,
        kicker=view.kicker,
        subtitle=view.subtitle,
        body=body,
        people=view.people,
        towns=[t.label for t in view.towns],
        date=view.date.isoformat(),
        page=view.page_label,
        bylines=view.byline_text.replace("　", " "),
    )


def article_body(article: Article) -> str:
    """What search reads of an article besides its headline: the editor's note, the lead,
    the paragraphs with their intertitles, the pull quotes (one per line)."""
    body = list(article.paragraphs)
    for heading in sorted(article.headings, key=lambda h: h.before, reverse=True):
        body.insert(heading.before, heading.text)
    quotes = [f"{q.text} {q.source or ''}".rstrip() for q in article.quotes]
    return "\n".join(t for t in (article.editor_note, article.lead, *body, *quotes) if t)


def search_docs(site: Site, editions: Sequence[Edition]) -> list[SearchDoc]:
    """The search documents of `site` (bodies from `editions`), in reading order."""
    bodies = {(ed.date, a.page, a.order): article_body(a.article)
              for ed in editions for a in ed.articles}
    return [search_doc(view, bodies[(ed.date, *view.key)])
            for ed in sorted(site.editions, key=lambda e: e.date) for view in ed.articles]


def search_words(people: Iterable[str], config: SiteConfig) -> tuple[str, ...]:
    """The user words of the site's segmenter: reporter and town names."""
    words = set(people) | {t for town in config.towns for t in town.spellings}
    return tuple(sorted(words))


def no_words(text: str) -> list[str]:
    """The segmenter of an offline copy's search: none, so its index holds the n-grams
    that find articles and not the jieba words that only rank them. Words would cost a
    year's build a second jieba pass over every article (the site's words depend on every
    reporter name in the archive, so they cannot be shared with a copy that must not
    change when a new name appears elsewhere); within one day's paper, ranking by the
    n-grams alone is close enough."""
    return []
