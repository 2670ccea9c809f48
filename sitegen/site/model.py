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

The model is built from body-less summaries (`content.EditionMeta`): a ten-year archive's
listings fit in memory, and bodies are loaded per edition only where a page prints one.
Views are plain data (dataclasses of strings, numbers, dates, tuples) and each page gets
only the views it prints, because the build fingerprints exactly that data to decide which
pages to render again (`cache.Fingerprinter`): an article's view holds nothing about its
neighbours, and lists of articles hold `ArticleRef`s (title, date, place), so fixing a typo
in one paragraph re-renders that article's page and not every list that names it.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sitegen.config import SiteConfig
from sitegen.content.files import OPENING_CHARS, ArticleMeta, EditionMeta, PageMeta, summarize
from sitegen.content.model import ROLES, Byline, Edition, Extra
from sitegen.site import urls
from sitegen.text.labels import display, sort_key

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
WEEKDAY_SHORT = ("一", "二", "三", "四", "五", "六", "日")
LEDE_LIMIT = 90
assert LEDE_LIMIT < OPENING_CHARS, "a summary must keep more than a teaser shows"


def page_label(label: str, name: str) -> str:
    """`第01版 要闻`, `第C01版 今日平湖`: how the paper itself names a page (also the search
    index's `page`)."""
    return f"{display(label)} {name}".rstrip()


BRIEF_TITLE_CHARS = 16


def display_title(art: ArticleMeta) -> str:
    """What lists and the article page call an article: its title, or for a brief printed
    without one (a 简讯 item that opens with its news) its column and opening words."""
    if art.title:
        return art.title
    opening = art.opening[:BRIEF_TITLE_CHARS].rstrip("，、。；：")
    more = "……" if len(art.opening) > BRIEF_TITLE_CHARS else ""
    return f"{art.column or '简讯'}：{opening}{more}"


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


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled link target (site path); templates make it relative to the current page."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class EditionLink:
    """Another edition, for 前一期 / 后一期 links (and its first and last 版, where 上一版 /
    下一版 cross into it), or for 历史上的今天."""

    date: date
    url: str
    first_page: Link | None = None
    last_page: Link | None = None


@dataclass(frozen=True, slots=True)
class PageStep:
    """上一版 / 下一版 from a 版 view: the page it leads to, and the date of its edition when
    it is another edition's (the last 版 of 前一期, the first of 后一期)."""

    label: str
    url: str
    date: date | None = None


@dataclass(frozen=True, slots=True)
class PersonLink:
    role: str
    name: str
    url: str | None


@dataclass(frozen=True, slots=True)
class BylineGroup:
    """Consecutive names with the same role, printed as `通讯员 蒋诗琪 张丹燕`."""

    role: str
    people: tuple[PersonLink, ...]


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """An article as a line in a list (a reporter's or a town's articles): only what the
    line prints, so the list changes only when one of these does."""

    title: str
    url: str
    date: date
    edition_url: str
    page_url: str
    page_label: str


@dataclass(frozen=True, slots=True)
class ArticleView:
    """One article as pages show it (teaser, edition contents, its own page), without its
    body, which the renderer loads for the article's own page only."""

    url: str
    slug: str
    kind: str
    kicker: str | None
    title: str
    subtitle: str | None
    date: date
    page: str
    order: int
    page_label: str
    page_url: str
    edition_url: str
    bylines: tuple[BylineGroup, ...]
    towns: tuple[Link, ...]
    captions: tuple[str, ...]
    video: bool
    lede: str
    column: str | None = None
    agency: str | None = None
    printed_on: tuple[Link, ...] = ()
    """Every page it is printed on (`第A01版`, `第A02版`), when a jump carries it over."""

    @property
    def key(self) -> tuple[str, int]:
        """(page, order): the article's place in its edition, how its body is found."""
        return (self.page, self.order)

    @property
    def people(self) -> list[str]:
        return [p.name for g in self.bylines for p in g.people]

    @property
    def ref(self) -> ArticleRef:
        return ArticleRef(self.title, self.url, self.date, self.edition_url, self.page_url,
                          self.page_label)

    @property
    def byline_text(self) -> str:
        """`记者 林旭东 通讯员 吴慧婷` as plain text (feeds, search)."""
        return "　".join(f"{g.role} {' '.join(p.name for p in g.people)}" for g in self.bylines)


@dataclass(frozen=True, slots=True)
class ContinuationView:
    """A jumped story's second part, as its page lists it: 上接第A01版 and the article."""

    continued_from: str
    """`第A01版`."""
    from_url: str
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class ArticleGroup:
    """Consecutive articles of a page under one 简讯 column head (`column`), or not in
    one (`column` None): how a 版 view lists them."""

    column: str | None
    articles: tuple[ArticleView, ...]


@dataclass(frozen=True, slots=True)
class PageView:
    date: date
    page: str
    """The page's label (`01`, `C01`)."""
    name: str
    label: str
    """How the paper names it: `第C01版 今日平湖`."""
    url: str
    edition_url: str
    articles: tuple[ArticleView, ...]
    extras: tuple[Extra, ...]
    other_bylines: tuple[BylineGroup, ...]
    continuations: tuple[ContinuationView, ...] = ()

    @property
    def weather(self) -> list[Extra]:
        return [e for e in self.extras if e.kind == "weather"]

    @property
    def notices(self) -> list[Extra]:
        """Notices and ads: printed on the page, shown in its view, never articles."""
        return [e for e in self.extras if e.kind in ("notice", "ad")]

    @property
    def groups(self) -> list[ArticleGroup]:
        """The articles with the briefs of a 简讯 column grouped under its head."""
        groups: list[ArticleGroup] = []
        for art in self.articles:
            column = art.column if art.kind == "brief" else None
            if groups and column is not None and groups[-1].column == column:
                groups[-1] = ArticleGroup(column, (*groups[-1].articles, art))
            else:
                groups.append(ArticleGroup(column, (art,)))
        return groups

    @property
    def head(self) -> PageHead:
        return PageHead(self.page, self.name, self.label, self.url)


@dataclass(frozen=True, slots=True)
class PageHead:
    """A page as an article page names it (第01版 要闻 and its link), nothing of its list."""

    page: str
    name: str
    label: str
    url: str


@dataclass(frozen=True, slots=True)
class EditionHead:
    """An edition as an article page names it: date, number, link; not its neighbours or
    contents, so a new edition or a changed title elsewhere leaves article pages alone."""

    date: date
    number: int | None
    url: str

    @property
    def iso(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True, slots=True)
class EditionView:
    date: date
    number: int | None
    url: str
    pages: tuple[PageView, ...]
    download_url: str | None
    older: EditionLink | None = None
    newer: EditionLink | None = None
    same_day: tuple[EditionLink, ...] = ()
    """历史上的今天: the editions of the same month and day in earlier years, newest first."""

    @property
    def articles(self) -> list[ArticleView]:
        return [a for p in self.pages for a in p.articles]

    def steps(self, page: PageView) -> tuple[PageStep | None, PageStep | None]:
        """(上一版, 下一版) of `page`: the page before and after it in this edition, and at
        the ends the last 版 of 前一期 and the first 版 of 后一期."""
        at = next(i for i, p in enumerate(self.pages) if p.url == page.url)
        if at > 0:
            before = self.pages[at - 1]
            prev: PageStep | None = PageStep(before.label, before.url)
        elif self.older is not None and self.older.last_page is not None:
            prev = PageStep(self.older.last_page.label, self.older.last_page.url,
                            self.older.date)
        else:
            prev = None
        if at + 1 < len(self.pages):
            after = self.pages[at + 1]
            nxt: PageStep | None = PageStep(after.label, after.url)
        elif self.newer is not None and self.newer.first_page is not None:
            nxt = PageStep(self.newer.first_page.label, self.newer.first_page.url,
                           self.newer.date)
        else:
            nxt = None
        return prev, nxt

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def head(self) -> EditionHead:
        return EditionHead(self.date, self.number, self.url)


@dataclass(frozen=True, slots=True)
class Credit:
    """An article in a list of someone's (or somewhere's) articles; `role` is the person's
    role on it, None in lists that are not about a person."""

    article: ArticleRef
    role: str | None


LIST_SIZE = 50
"""A reporter's or town's page lists its newest `list_size` articles (`sitegen.toml`, this
by default); one with more also gets a page per month (`month_pages`). Without that, a
page grows with the archive: in a year's archive a town is mentioned in thousands of
articles (a 5.8 MB page on the benchmark), every new edition re-rendered it, and a
reader's phone had to lay it out."""


@dataclass(frozen=True, slots=True)
class MonthPage:
    """One month of a reporter's or town's articles (newest first)."""

    label: str  # `2024年3月`
    url: str
    credits: tuple[Credit, ...]

    @property
    def link(self) -> MonthLink:
        return MonthLink(self.label, self.url, len(self.credits))


@dataclass(frozen=True, slots=True)
class MonthLink:
    label: str
    url: str
    count: int


def month_pages(owner_url: str, credits: Sequence[Credit], list_size: int) -> list[MonthPage]:
    """The month pages of a list of `credits` (newest first), newest month first; none when
    the owner's page shows them all (`list_size` or fewer)."""
    if len(credits) <= list_size:
        return []
    groups: dict[tuple[int, int], list[Credit]] = {}
    for credit in credits:
        day = credit.article.date
        groups.setdefault((day.year, day.month), []).append(credit)
    return [MonthPage(f"{year}年{month}月", urls.month_list_url(owner_url, year, month),
                      tuple(items)) for (year, month), items in groups.items()]


@dataclass(frozen=True, slots=True)
class Reporter:
    name: str
    slug: str
    url: str
    credits: tuple[Credit, ...]  # newest first

    @property
    def roles(self) -> list[str]:
        return _ordered_roles(c.role for c in self.credits if c.role)


@dataclass(frozen=True, slots=True)
class RoleEntry:
    """A person in the reporters index: name, link and count only."""

    name: str
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class RoleGroup:
    role: str
    entries: tuple[RoleEntry, ...]


@dataclass(frozen=True, slots=True)
class TownView:
    name: str
    slug: str
    url: str | None  # None: no article mentions it, so it has no page
    articles: tuple[ArticleRef, ...]  # newest first

    @property
    def credits(self) -> list[Credit]:
        return [Credit(a, None) for a in self.articles]


@dataclass(frozen=True, slots=True)
class TownEntry:
    """A town in the towns index: name, link (None without articles) and count."""

    name: str
    url: str | None
    count: int


@dataclass(frozen=True, slots=True)
class DayCell:
    day: int | None  # None pads the first and last week
    url: str | None  # the edition of that day, if there is one
    iso: str | None


@dataclass(frozen=True, slots=True)
class MonthView:
    year: int
    month: int
    weeks: tuple[tuple[DayCell, ...], ...]
    count: int


@dataclass(frozen=True, slots=True)
class YearView:
    year: int
    months: tuple[MonthView, ...]


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What every page prints about the site itself (templates see it as `site`)."""

    name: str
    description: str
    base_url: str
    language: str
    offline: bool
    weekday_names: tuple[str, ...] = WEEKDAY_SHORT
    list_size: int = LIST_SIZE

    @property
    def feed_url(self) -> str | None:
        """The Atom feed, which an offline copy does not carry."""
        return None if self.offline else urls.FEED


@dataclass
class Site:
    info: SiteInfo
    editions: list[EditionView]  # newest first
    articles: list[ArticleView]  # oldest edition first, page order
    reporters: list[Reporter]
    role_groups: list[RoleGroup]
    towns: list[TownView]
    town_index: list[TownEntry]
    archive: list[YearView]

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def base_url(self) -> str:
        return self.info.base_url

    @property
    def description(self) -> str:
        return self.info.description

    @property
    def language(self) -> str:
        return self.info.language

    @property
    def offline(self) -> bool:
        return self.info.offline

    @property
    def latest(self) -> EditionView | None:
        return self.editions[0] if self.editions else None

    @property
    def feed_url(self) -> str | None:
        return self.info.feed_url

    def html_pages(self) -> list[str]:
        """Site path of every HTML page of the site, in a stable order (sitemap, checks)."""
        out = [urls.FRONT]
        for ed in sorted(self.editions, key=lambda e: e.date):
            out.append(ed.url)
            for page in ed.pages:
                out.append(page.url)
                out.extend(a.url for a in page.articles)
        out.append(urls.REPORTERS)
        for rep in self.reporters:
            out.append(rep.url)
            out.extend(m.url for m in month_pages(rep.url, rep.credits, self.info.list_size))
        out.append(urls.TOWNS)
        for town in self.towns:
            if town.url:
                out.append(town.url)
                out.extend(m.url
                           for m in month_pages(town.url, town.credits, self.info.list_size))
        out.extend([urls.ARCHIVE, urls.SEARCH])
        return out


# ------------------------------------------------------------------------------ building


def _ordered_roles(roles: Iterable[str]) -> list[str]:
    """Distinct roles in the paper's order (记者 … 作者), unknown ones after, alphabetically."""
    seen = set(roles)
    known = [r for r in ROLES if r in seen]
    return known + sorted(seen - set(ROLES))


def _group_bylines(people: Iterable[PersonLink]) -> tuple[BylineGroup, ...]:
    groups: list[BylineGroup] = []
    for person in people:
        if groups and groups[-1].role == person.role:
            last = groups.pop()
            groups.append(BylineGroup(last.role, (*last.people, person)))
        else:
            groups.append(BylineGroup(person.role, (person,)))
    return tuple(groups)


def as_meta(editions: Sequence[Edition | EditionMeta]) -> list[EditionMeta]:
    """Summaries of `editions` (full editions are summarised; summaries pass through)."""
    return [e if isinstance(e, EditionMeta) else summarize(e) for e in editions]


SlugMemo = dict[tuple[str, str], str]
"""(text, fallback) -> `slugs.slugify(text, fallback=fallback)`, kept between builds."""


def _unique_slugs(texts: list[str], fallback: str, memo: SlugMemo | None) -> list[str]:
    """`slugs.unique_slugs(texts, fallback=fallback)`, with each slugify result looked up
    in `memo` first: pinyin (and importing its dictionaries) is most of the time of a
    small rebuild, and names rarely change. Same numbering rule as `unique_slugs`."""
    from sitegen.text.slugs import slugify, unique_slugs  # pypinyin: imported when first needed

    if memo is None:
        return unique_slugs(texts, fallback=fallback)

    def memoised(text: str) -> str:
        key = (text, fallback)
        if key not in memo:
            memo[key] = slugify(text, fallback=fallback)
        return memo[key]

    return unique_slugs(texts, fallback=fallback, slug_of=memoised)


def person_slugs(editions: Sequence[EditionMeta], memo: SlugMemo | None = None
                 ) -> dict[str, str]:
    """Name -> slug for everyone credited, collisions numbered in order of first credit."""
    names: list[str] = []
    seen: set[str] = set()
    for ed in sorted(editions, key=lambda e: e.date):
        for art in ed.articles:
            for byline in art.bylines:
                if byline.name not in seen:
                    seen.add(byline.name)
                    names.append(byline.name)
    return dict(zip(names, _unique_slugs(names, "person", memo), strict=True))


def town_names(editions: Sequence[EditionMeta], config: SiteConfig) -> list[str]:
    """Gazetteer towns in configured order, then any other town an editor tagged."""
    names = [t.name for t in config.towns]
    seen = set(names)
    for ed in sorted(editions, key=lambda e: e.date):
        for art in ed.articles:
            for town in art.towns:
                if town not in seen:
                    seen.add(town)
                    names.append(town)
    return names


@dataclass(frozen=True)
class Slugs:
    """File names of people and towns, decided over the whole archive."""

    people: dict[str, str]
    towns: dict[str, str]  # in index order: gazetteer first


def site_slugs(editions: Sequence[Edition | EditionMeta], config: SiteConfig,
               memo: SlugMemo | None = None) -> Slugs:
    metas = as_meta(editions)
    names = town_names(metas, config)
    return Slugs(person_slugs(metas, memo),
                 dict(zip(names, _unique_slugs(names, "town", memo), strict=True)))


class _Links:
    """Interned links: one PersonLink per (role, name), one Link per town, so 200,000
    article views share a few hundred small objects instead of holding their own.

    Without `slugs` the links are made with empty targets and filled in by `resolve` once
    the slugs are known (`SiteBuilder`: views are made while the archive is read, before
    every name in it has been seen)."""

    def __init__(self, slugs: Slugs | None) -> None:
        self.slugs = slugs
        self._people: dict[tuple[str, str], PersonLink] = {}
        self._towns: dict[str, Link] = {}

    def person(self, byline: Byline) -> PersonLink:
        key = (byline.role, byline.name)
        link = self._people.get(key)
        if link is None:
            link = PersonLink(byline.role, byline.name, self._person_url(byline.name))
            self._people[key] = link
        return link

    def town(self, name: str) -> Link:
        link = self._towns.get(name)
        if link is None:
            link = Link(name, self._town_url(name))
            self._towns[name] = link
        return link

    def _person_url(self, name: str) -> str | None:
        if self.slugs is None:
            return None
        slug = self.slugs.people.get(name)
        return urls.reporter_url(slug) if slug is not None else None

    def _town_url(self, name: str) -> str:
        return urls.town_url(self.slugs.towns[name]) if self.slugs is not None else ""

    def resolve(self, slugs: Slugs) -> None:
        """Give every link made so far its target. The links are frozen for everyone else;
        this is the one place that sets them, before any view is used."""
        self.slugs = slugs
        for link in self._people.values():
            object.__setattr__(link, "url", self._person_url(link.name))
        for town in self._towns.values():
            object.__setattr__(town, "url", self._town_url(town.label))


def _article_views(page: PageMeta, day: date, links: _Links, edition_url: str,
                   label: str, page_url: str, names: Mapping[str, str]
                   ) -> tuple[ArticleView, ...]:
    out = []
    for art, slug in zip(page.articles, page.slugs, strict=True):
        out.append(ArticleView(
            url=urls.article_url(day, page.label, slug),
            slug=slug,
            kind=art.kind,
            kicker=art.kicker,
            title=display_title(art),
            subtitle=art.subtitle,
            date=day,
            page=page.label,
            order=art.order,
            page_label=label,
            page_url=page_url,
            edition_url=edition_url,
            bylines=_group_bylines(links.person(b) for b in art.bylines),
            towns=tuple(links.town(t) for t in art.towns),
            captions=art.captions,
            video=art.video,
            lede=lede([art.opening]),
            column=art.column,
            agency=art.agency,
            printed_on=tuple(Link(display(p), urls.page_url(day, p)) for p in art.pages
                             if p in names) if len(art.pages) > 1 else (),
        ))
    return tuple(out)


def _continuations(page: PageMeta, day: date, article_urls: Mapping[str, tuple[str, str]]
                   ) -> tuple[ContinuationView, ...]:
    """The page's continuations that point at an article of the edition (a reference to
    a missing one is `sitegen check`'s to report, not the reader's to follow)."""
    out = []
    for ref in page.continuations:
        found = article_urls.get(ref.article)
        if found is not None:
            out.append(ContinuationView(display(ref.continued_from),
                                        urls.page_url(day, ref.continued_from), *found))
    return tuple(out)


def edition_view(
    ed: EditionMeta,
    slugs: Slugs | None,
    offline: bool = False,
    older: EditionLink | None = None,
    newer: EditionLink | None = None,
    links: _Links | None = None,
    same_day: tuple[EditionLink, ...] = (),
) -> EditionView:
    """One edition's views. A build worker calls this for the edition it renders, with the
    neighbours the whole-site model gave it, and gets exactly the parent's view."""
    links = links or _Links(slugs)
    ed_url = urls.edition_url(ed.date)
    names = {page.label: page.name for page in ed.pages}
    article_urls = {
        f"{page.label}-{art.order:02d}": (display_title(art),
                                          urls.article_url(ed.date, page.label, slug))
        for page in ed.pages for art, slug in zip(page.articles, page.slugs, strict=True)}
    pages = []
    for page in ed.pages:
        others = [links.person(b) for group in page.unassigned_bylines for b in group]
        label = page_label(page.label, page.name)
        page_url = urls.page_url(ed.date, page.label)
        pages.append(PageView(
            date=ed.date,
            page=page.label,
            name=page.name,
            label=label,
            url=page_url,
            edition_url=ed_url,
            articles=_article_views(page, ed.date, links, ed_url, label, page_url, names),
            extras=page.extras,
            other_bylines=_group_bylines(others),
            continuations=_continuations(page, ed.date, article_urls),
        ))
    return EditionView(
        date=ed.date,
        number=ed.number,
        url=ed_url,
        pages=tuple(pages),
        download_url=None if offline else urls.download_url(ed.date),
        older=older,
        newer=newer,
        same_day=same_day,
    )


def neighbours(articles: Sequence[ArticleView]) -> dict[str, tuple[Link | None, Link | None]]:
    """url -> (上一篇, 下一篇) within one edition, in reading order."""
    out: dict[str, tuple[Link | None, Link | None]] = {}
    for i, art in enumerate(articles):
        before = articles[i - 1] if i > 0 else None
        after = articles[i + 1] if i + 1 < len(articles) else None
        out[art.url] = (Link(before.title, before.url) if before else None,
                        Link(after.title, after.url) if after else None)
    return out


def _newest_first(article: ArticleView) -> tuple[int, tuple[str, int], int]:
    return (-article.date.toordinal(), sort_key(article.page), article.order)


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


def site_info(config: SiteConfig, offline: bool = False) -> SiteInfo:
    return SiteInfo(name=config.name, description=config.description,
                    base_url=config.base_url, language=config.language, offline=offline,
                    list_size=config.list_size)


def edition_link(ed: EditionMeta | _Day) -> EditionLink:
    """A link to `ed`, with its first and last 版 when its pages are known (a `_Day` has
    none yet: `SiteBuilder.add` fills them in)."""
    link = EditionLink(ed.date, urls.edition_url(ed.date))
    pages = getattr(ed, "pages", None)
    if pages:
        set_pages(link, ed)  # type: ignore[arg-type]
    return link


def set_pages(link: EditionLink, ed: EditionMeta) -> None:
    """Give `link` the first and last 版 of `ed`. Links are frozen for everyone else; this
    is the one place that sets these fields, before any view is used."""
    if not ed.pages:
        return
    first, last = ed.pages[0], ed.pages[-1]
    object.__setattr__(link, "first_page", Link(page_label(first.label, first.name),
                                                urls.page_url(ed.date, first.label)))
    object.__setattr__(link, "last_page", Link(page_label(last.label, last.name),
                                               urls.page_url(ed.date, last.label)))


SAME_DAY_LIMIT = 10
"""历史上的今天 lists at most this many earlier years (the newest)."""


def edition_links(
    editions: Sequence[EditionMeta | _Day],
) -> dict[date, tuple[EditionLink | None, EditionLink | None]]:
    """date -> (older, newer) edition, for 前一期 / 后一期. One link object per edition,
    shared by its neighbours (and `same_day_links` given the same `made`)."""
    return _around(editions, {})[0]


def _around(editions: Sequence[EditionMeta | _Day], made: dict[date, EditionLink]
            ) -> tuple[dict[date, tuple[EditionLink | None, EditionLink | None]],
                       dict[date, tuple[EditionLink, ...]]]:
    """(older, newer) and 历史上的今天 of every edition; `made` collects the link objects,
    one per date."""
    ordered = sorted(editions, key=lambda e: e.date)
    for ed in ordered:
        if ed.date not in made:
            made[ed.date] = edition_link(ed)
    days = [e.date for e in ordered]
    around: dict[date, tuple[EditionLink | None, EditionLink | None]] = {}
    for i, day in enumerate(days):
        around[day] = (made[days[i - 1]] if i > 0 else None,
                       made[days[i + 1]] if i + 1 < len(days) else None)
    by_day: dict[tuple[int, int], list[date]] = {}
    for day in days:
        by_day.setdefault((day.month, day.day), []).append(day)
    same: dict[date, tuple[EditionLink, ...]] = {}
    for group in by_day.values():
        for i, day in enumerate(group):
            same[day] = tuple(made[d] for d in reversed(group[max(0, i - SAME_DAY_LIMIT):i]))
    return around, same


def build_site_model(
    editions: Sequence[Edition | EditionMeta],
    config: SiteConfig,
    only: date | None = None,
    slugs: Slugs | None = None,
) -> Site:
    """The navigable site for `editions`; with `only`, the offline copy of that one edition.

    Slugs are computed over all `editions` even when restricted, so the offline copy's
    file names match the published site's (pass `slugs` to reuse them across copies).
    (`SiteBuilder` makes the same model from summaries read one at a time.)
    """
    metas = as_meta(editions)
    slugs = slugs or site_slugs(metas, config)
    people = slugs.people
    town_slugs = slugs.towns
    offline = only is not None
    chosen = sorted((e for e in metas if only is None or e.date == only),
                    key=lambda e: e.date)
    around, same_day = _around(chosen, {})
    links = _Links(slugs)
    views = [edition_view(e, slugs, offline, *around[e.date], links=links,
                          same_day=same_day[e.date])
             for e in reversed(chosen)]
    articles = [a for ed in reversed(views) for a in ed.articles]
    return assemble_site(site_info(config, offline), views, articles, people, town_slugs,
                         [t.name for t in config.towns])


def assemble_site(
    info: SiteInfo,
    views: list[EditionView],
    articles: list[ArticleView],
    people: Mapping[str, str],
    town_slugs: Mapping[str, str],
    gazetteer: Sequence[str],
) -> Site:
    """The archive-wide lists (reporters, towns, archive) over `views` (newest first)."""
    credits: dict[str, list[tuple[ArticleView, str]]] = {}
    for art in articles:
        for group in art.bylines:
            for person in group.people:
                credits.setdefault(person.name, []).append((art, person.role))
    refs: dict[str, ArticleRef] = {}

    def ref(art: ArticleView) -> ArticleRef:
        found = refs.get(art.url)
        if found is None:
            found = refs[art.url] = art.ref
        return found

    reporters = sorted(
        (Reporter(name, people[name], urls.reporter_url(people[name]),
                  tuple(Credit(ref(a), role)
                        for a, role in sorted(cs, key=lambda c: _newest_first(c[0]))))
         for name, cs in credits.items()),
        key=lambda r: (r.slug, r.name),
    )
    role_groups = _role_groups(reporters, agency_of={a.url: a.agency for a in articles})

    mentions: dict[str, list[ArticleView]] = {}
    for art in articles:
        for town in art.towns:
            mentions.setdefault(town.label, []).append(art)
    gazetteer_names = set(gazetteer)
    towns = [
        TownView(
            name=name,
            slug=town_slugs[name],
            url=urls.town_url(town_slugs[name]) if name in mentions else None,
            articles=tuple(ref(a) for a in sorted(mentions.get(name, []), key=_newest_first)),
        )
        for name in town_slugs
        if name in mentions or name in gazetteer_names
    ]
    return Site(
        info=info,
        editions=views,
        articles=articles,
        reporters=reporters,
        role_groups=role_groups,
        towns=towns,
        town_index=[TownEntry(t.name, t.url, len(t.articles)) for t in towns],
        archive=_archive(views),
    )


def _role_groups(reporters: Sequence[Reporter], agency_of: Mapping[str, str | None]
                 ) -> list[RoleGroup]:
    """The reporters index: the paper's own people by role (记者 … 作者), then the
    reporters of wire copy under their agency (新华社), never mixed into the staff."""
    def staff(credit: Credit) -> bool:
        return credit.role is not None and not agency_of.get(credit.article.url)

    def in_role(role: str) -> Callable[[Credit], bool]:
        return lambda credit: staff(credit) and credit.role == role

    def of_agency(agency: str) -> Callable[[Credit], bool]:
        return lambda credit: agency_of.get(credit.article.url) == agency

    roles = _ordered_roles(c.role for r in reporters for c in r.credits if staff(c))
    groups = [RoleGroup(role, _entries(reporters, in_role(role))) for role in roles]
    for agency in sorted({a for a in agency_of.values() if a}):
        entries = _entries(reporters, of_agency(agency))
        if entries:
            groups.append(RoleGroup(agency, entries))
    return groups


def _entries(reporters: Sequence[Reporter], counts: Callable[[Credit], bool]
             ) -> tuple[RoleEntry, ...]:
    """An index entry for each reporter with credits that `counts`, and their number."""
    return tuple(RoleEntry(r.name, r.url, sum(1 for c in r.credits if counts(c)))
                 for r in reporters if any(counts(c) for c in r.credits))


class SiteBuilder:
    """The published site's model, made from summaries handed in one edition at a time
    (oldest first), so a build never holds every summary of a large archive at once: only
    the views (`build_site_model` gives the same model from a list)."""

    def __init__(self, config: SiteConfig, days: Sequence[date]) -> None:
        self.config = config
        self._made: dict[date, EditionLink] = {}
        self.around, self.same_day = _around([_Day(d) for d in days], self._made)
        self.links = _Links(None)
        self.views: list[EditionView] = []
        # per edition, its credited names and tagged towns in order (interned strings):
        # slugs number collisions in order of first appearance over the whole archive,
        # and summaries may arrive in any order
        self._names: dict[date, tuple[list[str], list[str]]] = {}

    def add(self, meta: EditionMeta) -> EditionView:
        """Add one edition (in any order); its views, links still empty until `finish`."""
        set_pages(self._made[meta.date], meta)  # its neighbours' 上一版 / 下一版
        view = edition_view(meta, None, False, *self.around[meta.date], links=self.links,
                            same_day=self.same_day[meta.date])
        names = [p.name for a in view.articles for g in a.bylines for p in g.people]
        towns = [t.label for a in view.articles for t in a.towns]
        self._names[meta.date] = (list(dict.fromkeys(names)), list(dict.fromkeys(towns)))
        self.views.append(view)
        return view

    def people(self) -> list[str]:
        """Everyone credited, in order of first credit."""
        found: dict[str, None] = {}
        for day in sorted(self._names):
            found.update(dict.fromkeys(self._names[day][0]))
        return list(found)

    def finish(self, memo: SlugMemo | None = None) -> tuple[Site, Slugs]:
        """The site model, with every link's target filled in, and the slugs."""
        names = self.people()
        found = {t.name: None for t in self.config.towns}
        for day in sorted(self._names):
            found.update(dict.fromkeys(self._names[day][1]))
        towns = list(found)
        slugs = Slugs(dict(zip(names, _unique_slugs(names, "person", memo), strict=True)),
                      dict(zip(towns, _unique_slugs(towns, "town", memo), strict=True)))
        self.links.resolve(slugs)
        views = sorted(self.views, key=lambda v: v.date, reverse=True)
        articles = [a for ed in reversed(views) for a in ed.articles]
        site = assemble_site(site_info(self.config), views, articles, slugs.people,
                             slugs.towns, [t.name for t in self.config.towns])
        return site, slugs


@dataclass(frozen=True)
class _Day:
    date: date
