"""The site model: everything a reader can navigate, decided once, in Python.

`build_site_model` turns the loaded editions into views that templates only have to print:
each article knows its URL, its place (第NN版), its neighbours within the edition, its
bylines and towns as links; reporters are grouped by role with counts; towns list the
articles that mention them; the archive is already laid out as month calendars. Keeping
every grouping, ordering and URL decision here (pure, no I/O) is what makes themes
replaceable and the output deterministic.

Slugs for people and towns are assigned over the *whole* archive, in a stable order (towns
in gazetteer order, people in order of first credit, oldest edition first), so an offline
copy of one edition uses the same file names as the full site and adding a new edition
never renames an older person's page.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from sitegen import urls
from sitegen.config import SiteConfig
from sitegen.model import ROLES, Article, Edition, EditionPage, Extra, StoredArticle
from sitegen.slugs import unique_slugs

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
WEEKDAY_SHORT = ("一", "二", "三", "四", "五", "六", "日")
LEDE_LIMIT = 90


def page_label(number: int, name: str) -> str:
    """`第01版 要闻`: how the paper itself names a page (also the search index's `page`)."""
    return f"第{number:02d}版 {name}".rstrip()


def lede(paragraphs: Sequence[str], limit: int = LEDE_LIMIT) -> str:
    """The opening lines for a teaser: the first paragraph, cut at a sentence end if one is
    close to `limit`, else hard at `limit` with an ellipsis (CJK has no word boundaries)."""
    if not paragraphs:
        return ""
    first = paragraphs[0]
    if len(first) <= limit:
        return first
    head = first[:limit]
    stop = max(head.rfind(mark) for mark in "。！？；")
    if stop >= limit // 2:
        return head[: stop + 1]
    return head.rstrip("，、：；") + "……"


# ------------------------------------------------------------------------------ views


@dataclass(frozen=True)
class Link:
    """A labelled link target (site path); templates make it relative to the current page."""

    label: str
    url: str


@dataclass(frozen=True)
class EditionLink:
    """Another edition, for 前一期 / 后一期 links."""

    date: date
    url: str


@dataclass(frozen=True)
class PersonLink:
    role: str
    name: str
    url: str | None


@dataclass(frozen=True)
class BylineGroup:
    """Consecutive names with the same role, printed as `通讯员 蒋诗琪 张丹燕`."""

    role: str
    people: tuple[PersonLink, ...]


@dataclass
class ArticleView:
    stored: StoredArticle
    slug: str
    url: str
    page_label: str
    page_url: str
    edition_url: str
    bylines: list[BylineGroup]
    towns: list[Link]
    lede: str
    prev: Link | None = None
    next: Link | None = None

    @property
    def title(self) -> str:
        return self.stored.article.title

    @property
    def kicker(self) -> str | None:
        return self.stored.article.kicker

    @property
    def subtitle(self) -> str | None:
        return self.stored.article.subtitle

    @property
    def date(self) -> date:
        return self.stored.date

    @property
    def article(self) -> Article:
        return self.stored.article

    @property
    def people(self) -> list[str]:
        return [b.name for b in self.stored.article.bylines]

    @property
    def byline_text(self) -> str:
        """`记者 林旭东 通讯员 吴慧婷` as plain text (feeds, search)."""
        return "　".join(f"{g.role} {' '.join(p.name for p in g.people)}" for g in self.bylines)


@dataclass
class PageView:
    date: date
    number: int
    name: str
    label: str
    url: str
    edition_url: str
    articles: list[ArticleView]
    extras: list[Extra]
    other_bylines: list[BylineGroup]

    @property
    def weather(self) -> list[Extra]:
        return [e for e in self.extras if e.kind == "weather"]


@dataclass
class EditionView:
    date: date
    number: int | None
    url: str
    pages: list[PageView]
    download_url: str | None
    older: EditionLink | None = None
    newer: EditionLink | None = None

    @property
    def articles(self) -> list[ArticleView]:
        return [a for p in self.pages for a in p.articles]

    @property
    def iso(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True)
class Credit:
    """An article in a list of someone's (or somewhere's) articles; `role` is the person's
    role on it, None in lists that are not about a person."""

    article: ArticleView
    role: str | None


@dataclass
class Reporter:
    name: str
    slug: str
    url: str
    credits: list[Credit]  # newest first

    @property
    def roles(self) -> list[str]:
        return _ordered_roles(c.role for c in self.credits if c.role)


@dataclass(frozen=True)
class RoleEntry:
    reporter: Reporter
    count: int


@dataclass(frozen=True)
class RoleGroup:
    role: str
    entries: tuple[RoleEntry, ...]


@dataclass
class TownView:
    name: str
    slug: str
    url: str | None  # None: no article mentions it, so it has no page
    articles: list[ArticleView]  # newest first

    @property
    def credits(self) -> list[Credit]:
        return [Credit(a, None) for a in self.articles]


@dataclass(frozen=True)
class DayCell:
    day: int | None  # None pads the first and last week
    url: str | None  # the edition of that day, if there is one
    iso: str | None


@dataclass(frozen=True)
class MonthView:
    year: int
    month: int
    weeks: tuple[tuple[DayCell, ...], ...]
    count: int


@dataclass(frozen=True)
class YearView:
    year: int
    months: tuple[MonthView, ...]


@dataclass
class Site:
    name: str
    description: str
    base_url: str
    language: str
    offline: bool
    editions: list[EditionView]  # newest first
    articles: list[ArticleView]  # oldest edition first, page order
    reporters: list[Reporter]
    role_groups: list[RoleGroup]
    towns: list[TownView]
    archive: list[YearView]
    weekday_names: tuple[str, ...] = field(default=WEEKDAY_SHORT)

    @property
    def latest(self) -> EditionView | None:
        return self.editions[0] if self.editions else None

    @property
    def feed_url(self) -> str | None:
        """The Atom feed, which an offline copy does not carry."""
        return None if self.offline else urls.FEED

    def html_pages(self) -> list[str]:
        """Site path of every HTML page of the site, in a stable order (sitemap, checks)."""
        out = [urls.FRONT]
        for ed in sorted(self.editions, key=lambda e: e.date):
            out.append(ed.url)
            for page in ed.pages:
                out.append(page.url)
                out.extend(a.url for a in page.articles)
        out.append(urls.REPORTERS)
        out.extend(r.url for r in self.reporters)
        out.append(urls.TOWNS)
        out.extend(t.url for t in self.towns if t.url)
        out.extend([urls.ARCHIVE, urls.SEARCH])
        return out


# ------------------------------------------------------------------------------ building


def _ordered_roles(roles: Iterable[str]) -> list[str]:
    """Distinct roles in the paper's order (记者 … 作者), unknown ones after, alphabetically."""
    seen = set(roles)
    known = [r for r in ROLES if r in seen]
    return known + sorted(seen - set(ROLES))


def _group_bylines(people: Iterable[PersonLink]) -> list[BylineGroup]:
    groups: list[BylineGroup] = []
    for person in people:
        if groups and groups[-1].role == person.role:
            last = groups.pop()
            groups.append(BylineGroup(last.role, (*last.people, person)))
        else:
            groups.append(BylineGroup(person.role, (person,)))
    return groups


def person_slugs(editions: Sequence[Edition]) -> dict[str, str]:
    """Name -> slug for everyone credited, collisions numbered in order of first credit."""
    names: list[str] = []
    seen: set[str] = set()
    for ed in sorted(editions, key=lambda e: e.date):
        for stored in ed.articles:
            for byline in stored.article.bylines:
                if byline.name not in seen:
                    seen.add(byline.name)
                    names.append(byline.name)
    return dict(zip(names, unique_slugs(names, fallback="person"), strict=True))


def town_names(editions: Sequence[Edition], config: SiteConfig) -> list[str]:
    """Gazetteer towns in configured order, then any other town an editor tagged."""
    names = [t.name for t in config.towns]
    seen = set(names)
    for ed in sorted(editions, key=lambda e: e.date):
        for stored in ed.articles:
            for town in stored.article.towns:
                if town not in seen:
                    seen.add(town)
                    names.append(town)
    return names


def _article_views(
    page: EditionPage,
    people: dict[str, str],
    town_slugs: dict[str, str],
    edition_url: str,
) -> list[ArticleView]:
    slugs = unique_slugs([a.article.title for a in page.articles], fallback="article")
    label = page_label(page.number, page.name)
    out = []
    for stored, slug in zip(page.articles, slugs, strict=True):
        art = stored.article
        links = [
            PersonLink(b.role, b.name, urls.reporter_url(people[b.name]) if b.name in people
                       else None)
            for b in art.bylines
        ]
        out.append(ArticleView(
            stored=stored,
            slug=slug,
            url=urls.article_url(stored.date, page.number, slug),
            page_label=label,
            page_url=urls.page_url(stored.date, page.number),
            edition_url=edition_url,
            bylines=_group_bylines(links),
            towns=[Link(t, urls.town_url(town_slugs[t])) for t in art.towns],
            lede=lede(art.paragraphs),
        ))
    return out


def _edition_view(
    ed: Edition,
    people: dict[str, str],
    town_slugs: dict[str, str],
    offline: bool,
) -> EditionView:
    ed_url = urls.edition_url(ed.date)
    pages = []
    for page in ed.pages:
        others = [
            PersonLink(b.role, b.name, urls.reporter_url(people[b.name]) if b.name in people
                       else None)
            for group in page.meta.unassigned_bylines for b in group
        ]
        pages.append(PageView(
            date=ed.date,
            number=page.number,
            name=page.name,
            label=page_label(page.number, page.name),
            url=urls.page_url(ed.date, page.number),
            edition_url=ed_url,
            articles=_article_views(page, people, town_slugs, ed_url),
            extras=list(page.meta.extras),
            other_bylines=_group_bylines(others),
        ))
    articles = [a for p in pages for a in p.articles]
    for before, after in pairwise(articles):
        before.next = Link(after.title, after.url)
        after.prev = Link(before.title, before.url)
    return EditionView(
        date=ed.date,
        number=ed.number,
        url=ed_url,
        pages=pages,
        download_url=None if offline else urls.download_url(ed.date),
    )


def _newest_first(article: ArticleView) -> tuple[int, int, int]:
    return (-article.date.toordinal(), article.stored.page_number, article.stored.order)


def _archive(editions: Sequence[EditionView]) -> list[YearView]:
    """Years and months newest first, each month a Monday-first calendar of its editions."""
    by_month: dict[tuple[int, int], dict[int, EditionView]] = {}
    for ed in editions:
        by_month.setdefault((ed.date.year, ed.date.month), {})[ed.date.day] = ed
    cal = calendar.Calendar(firstweekday=calendar.MONDAY)
    years: dict[int, list[MonthView]] = {}
    for (year, month) in sorted(by_month, reverse=True):
        days = by_month[(year, month)]
        weeks = tuple(
            tuple(
                DayCell(None, None, None) if d == 0 else DayCell(
                    d,
                    days[d].url if d in days else None,
                    date(year, month, d).isoformat(),
                )
                for d in week
            )
            for week in cal.monthdayscalendar(year, month)
        )
        years.setdefault(year, []).append(MonthView(year, month, weeks, len(days)))
    return [YearView(y, tuple(m)) for y, m in years.items()]


@dataclass(frozen=True)
class Slugs:
    """File names of people and towns, decided over the whole archive."""

    people: dict[str, str]
    towns: dict[str, str]  # in index order: gazetteer first


def site_slugs(editions: Sequence[Edition], config: SiteConfig) -> Slugs:
    names = town_names(editions, config)
    return Slugs(person_slugs(editions),
                 dict(zip(names, unique_slugs(names, fallback="town"), strict=True)))


def build_site_model(
    editions: Sequence[Edition],
    config: SiteConfig,
    only: date | None = None,
    slugs: Slugs | None = None,
) -> Site:
    """The navigable site for `editions`; with `only`, the offline copy of that one edition.

    Slugs are computed over all `editions` even when restricted, so the offline copy's
    file names match the published site's (pass `slugs` to reuse them across copies).
    """
    slugs = slugs or site_slugs(editions, config)
    people = slugs.people
    town_slugs = slugs.towns
    towns_all = list(town_slugs)
    offline = only is not None
    chosen = sorted(
        (e for e in editions if only is None or e.date == only),
        key=lambda e: e.date, reverse=True,
    )
    views = [_edition_view(e, people, town_slugs, offline) for e in chosen]
    for newer, older in pairwise(views):
        newer.older = EditionLink(older.date, older.url)
        older.newer = EditionLink(newer.date, newer.url)
    articles = [a for ed in reversed(views) for a in ed.articles]

    credits: dict[str, list[Credit]] = {}
    for art in articles:
        for byline in art.stored.article.bylines:
            credits.setdefault(byline.name, []).append(Credit(art, byline.role))
    reporters = sorted(
        (Reporter(name, people[name], urls.reporter_url(people[name]),
                  sorted(cs, key=lambda c: _newest_first(c.article)))
         for name, cs in credits.items()),
        key=lambda r: (r.slug, r.name),
    )
    role_groups = []
    for role in _ordered_roles(c.role for r in reporters for c in r.credits if c.role):
        entries = tuple(
            RoleEntry(r, sum(1 for c in r.credits if c.role == role))
            for r in reporters if any(c.role == role for c in r.credits)
        )
        role_groups.append(RoleGroup(role, entries))

    mentions: dict[str, list[ArticleView]] = {}
    for art in articles:
        for town in art.stored.article.towns:
            mentions.setdefault(town, []).append(art)
    towns = [
        TownView(
            name=name,
            slug=town_slugs[name],
            url=urls.town_url(town_slugs[name]) if name in mentions else None,
            articles=sorted(mentions.get(name, []), key=_newest_first),
        )
        for name in towns_all
        if name in mentions or name in {t.name for t in config.towns}
    ]
    return Site(
        name=config.name,
        description=config.description,
        base_url=config.base_url,
        language=config.language,
        offline=offline,
        editions=views,
        articles=articles,
        reporters=reporters,
        role_groups=role_groups,
        towns=towns,
        archive=_archive(views),
    )
