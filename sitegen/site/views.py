"""The views: plain frozen data that templates print, one kind per thing a page shows.

Why frozen dataclasses of plain values: the build fingerprints exactly the data a page's
template is given (`Fingerprinter` walks these fields), so a view holds what its page
prints and nothing more (an article's view nothing about its neighbours; lists hold
`ArticleRef`s), and a change re-renders just the pages that print it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sitegen.content.model import ROLES, Extra
from sitegen.content.summary import ArticleMeta
from sitegen.site import urls
from sitegen.text.labels import display

WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
WEEKDAY_SHORT = ("一", "二", "三", "四", "五", "六", "日")
LEDE_LIMIT = 90


def cn_date(day: date) -> str:
    """`2024年2月2日`: how a Chinese paper prints its date (no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def cn_month(year: int, month: int) -> str:
    return f"{year}年{month}月"


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
        return ordered_roles(c.role for c in self.credits if c.role)


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
    credits: tuple[Credit, ...]  # the articles that mention it, newest first, no role


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


def ordered_roles(roles: Iterable[str]) -> list[str]:
    """Distinct roles in the paper's order (记者 … 作者), unknown ones after, alphabetically."""
    seen = set(roles)
    known = [r for r in ROLES if r in seen]
    return known + sorted(seen - set(ROLES))
