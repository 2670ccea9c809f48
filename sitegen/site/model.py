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

The model is built from body-less summaries (`content.summary.EditionMeta`): a ten-year
archive's listings fit in memory, and bodies are loaded per edition only where a page
prints one. Views (`views.py`) are plain data and each page gets only the views it prints,
because the build fingerprints exactly that data to decide which pages to render again
(`builder.fingerprint.Fingerprinter`): an article's view holds nothing about its
neighbours, and lists of articles hold `ArticleRef`s (title, date, place), so fixing a typo
in one paragraph re-renders that article's page and not every list that names it.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sitegen.config import SiteConfig
from sitegen.content.model import Byline, Edition
from sitegen.content.summary import OPENING_CHARS, EditionMeta, PageMeta, summarize
from sitegen.site import urls
from sitegen.site.views import (
    LEDE_LIMIT,
    ArticleRef,
    ArticleView,
    BylineGroup,
    ContinuationView,
    Credit,
    DayCell,
    EditionLink,
    EditionView,
    Link,
    MonthView,
    PageView,
    PersonLink,
    Reporter,
    RoleEntry,
    RoleGroup,
    Site,
    SiteInfo,
    TownEntry,
    TownView,
    YearView,
    display_title,
    lede,
    ordered_roles,
    page_label,
)
from sitegen.text.labels import display, sort_key

assert LEDE_LIMIT < OPENING_CHARS, "a summary must keep more than a teaser shows"


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

    Without `slugs` the links are drafts (`SiteBuilder`: views are made while the archive
    is read, before every name in it has been seen), whose targets are guessed from
    `guess`, the slugs remembered from earlier builds; `_Relink` then makes new views
    (views are frozen) where a guess turned out wrong: a name new to the archive, or one
    whose slug is numbered after a collision."""

    def __init__(self, slugs: Slugs | None, guess: SlugMemo | None = None) -> None:
        self.slugs = slugs
        self.guess = guess or {}
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
        slug = (self.guess.get((name, "person")) if self.slugs is None
                else self.slugs.people.get(name))
        return urls.reporter_url(slug) if slug is not None else None

    def _town_url(self, name: str) -> str:
        if self.slugs is None:
            slug = self.guess.get((name, "town"))
            return urls.town_url(slug) if slug is not None else ""
        return urls.town_url(self.slugs.towns[name])

    def wrong_guesses(self, final: _Links) -> tuple[frozenset[str], frozenset[str]]:
        """The people and towns whose draft link (this) differs from their `final` one."""
        people = frozenset(name for (_, name), link in self._people.items()
                           if link.url != final._person_url(name))
        towns = frozenset(name for name, link in self._towns.items()
                          if link.url != final._town_url(name))
        return people, towns


@dataclass(frozen=True)
class _Relink:
    """The final views of a `SiteBuilder`'s drafts: each wrongly guessed draft link
    (`people`, `towns`: their names) replaced by its final one (`links`, made with the
    slugs), each neighbour by its `EditionLink` with the first and last 版 (`editions`).
    Everything else is shared with the draft: an incremental build of a year made every
    article view twice when every link was a draft."""

    links: _Links
    editions: Mapping[date, EditionLink]
    people: frozenset[str]
    towns: frozenset[str]

    def _stale(self, groups: tuple[BylineGroup, ...]) -> bool:
        return bool(self.people) and any(p.name in self.people for g in groups
                                         for p in g.people)

    def _groups(self, groups: tuple[BylineGroup, ...]) -> tuple[BylineGroup, ...]:
        if not self._stale(groups):
            return groups
        person = self.links.person
        return tuple(BylineGroup(g.role, tuple(person(p) for p in g.people)) for g in groups)

    def _article(self, art: ArticleView) -> ArticleView:
        if not self._stale(art.bylines) and not (
                self.towns and any(t.label in self.towns for t in art.towns)):
            return art
        return replace(art, bylines=self._groups(art.bylines),
                       towns=tuple(self.links.town(t.label) for t in art.towns))

    def _page(self, page: PageView) -> PageView:
        articles = tuple(map(self._article, page.articles))
        others = self._groups(page.other_bylines)
        if others is page.other_bylines and all(
                a is b for a, b in zip(articles, page.articles, strict=True)):
            return page
        return replace(page, articles=articles, other_bylines=others)

    def _edition(self, link: EditionLink | None) -> EditionLink | None:
        return None if link is None else self.editions.get(link.date, link)

    def view(self, view: EditionView) -> EditionView:
        return replace(view, pages=tuple(map(self._page, view.pages)),
                       older=self._edition(view.older), newer=self._edition(view.newer),
                       same_day=tuple(self.editions.get(e.date, e) for e in view.same_day))


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
    """A link to `ed`, with its first and last 版 when its pages are known (a `_Day`'s are
    not yet: `SiteBuilder.finish` makes the final link)."""
    pages = getattr(ed, "pages", None)
    if not pages:
        return EditionLink(ed.date, urls.edition_url(ed.date))
    first, last = pages[0], pages[-1]
    return EditionLink(ed.date, urls.edition_url(ed.date),
                       Link(page_label(first.label, first.name),
                            urls.page_url(ed.date, first.label)),
                       Link(page_label(last.label, last.name),
                            urls.page_url(ed.date, last.label)))


SAME_DAY_LIMIT = 10
"""历史上的今天 lists at most this many earlier years (the newest)."""


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
            # made once, not per use: the town's page, its month pages and the sitemap
            # share them, and the fingerprinter encodes each object once
            credits=tuple(Credit(ref(a), None)
                          for a in sorted(mentions.get(name, []), key=_newest_first)),
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
        town_index=[TownEntry(t.name, t.url, len(t.credits)) for t in towns],
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

    roles = ordered_roles(c.role for r in reporters for c in r.credits if staff(c))
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
    the views (`build_site_model` gives the same model from a list).

    `keep`: the editions whose views are kept (a partition's year; default all). Of the
    others only what the kept ones' pages name is kept: their people and towns (slugs),
    their links (neighbours, 历史上的今天)."""

    def __init__(self, config: SiteConfig, days: Sequence[date],
                 keep: Callable[[date], bool] | None = None,
                 memo: SlugMemo | None = None) -> None:
        self.config = config
        self.keep = keep
        self.memo = {} if memo is None else memo
        """Slugs remembered across builds (`SlugMemo`): the drafts' guess, and `finish`'s
        shortcut past pinyin; it grows with the names `finish` meets first."""
        self.around, self.same_day = _around([_Day(d) for d in days], {})
        self.links = _Links(None, self.memo)
        self.views: list[EditionView] = []
        self._editions: dict[date, EditionLink] = {}  # final, with first and last 版
        # per edition, its credited names and tagged towns in order (interned strings):
        # slugs number collisions in order of first appearance over the whole archive,
        # and summaries may arrive in any order
        self._names: dict[date, tuple[list[str], list[str]]] = {}

    def add(self, meta: EditionMeta) -> EditionView:
        """Add one edition (in any order): its draft views, whose links have no targets until
        `finish` makes the final ones."""
        self._editions[meta.date] = edition_link(meta)  # its neighbours' 上一版 / 下一版
        view = edition_view(meta, None, False, *self.around[meta.date], links=self.links,
                            same_day=self.same_day[meta.date])
        names = [p.name for a in view.articles for g in a.bylines for p in g.people]
        towns = [t.label for a in view.articles for t in a.towns]
        self._names[meta.date] = (list(dict.fromkeys(names)), list(dict.fromkeys(towns)))
        if self.keep is None or self.keep(meta.date):
            self.views.append(view)
        return view

    def people(self) -> list[str]:
        """Everyone credited, in order of first credit."""
        found: dict[str, None] = {}
        for day in sorted(self._names):
            found.update(dict.fromkeys(self._names[day][0]))
        return list(found)

    def finish(self) -> tuple[Site, Slugs]:
        """The site model, with every link's target filled in, and the slugs."""
        names = self.people()
        found = {t.name: None for t in self.config.towns}
        for day in sorted(self._names):
            found.update(dict.fromkeys(self._names[day][1]))
        towns = list(found)
        memo = self.memo
        slugs = Slugs(dict(zip(names, _unique_slugs(names, "person", memo), strict=True)),
                      dict(zip(towns, _unique_slugs(towns, "town", memo), strict=True)))
        final = _Links(slugs)
        relink = _Relink(final, self._editions, *self.links.wrong_guesses(final))
        views = sorted(map(relink.view, self.views), key=lambda v: v.date, reverse=True)
        self.views = []
        articles = [a for ed in reversed(views) for a in ed.articles]
        site = assemble_site(site_info(self.config), views, articles, slugs.people,
                             slugs.towns, [t.name for t in self.config.towns])
        return site, slugs


@dataclass(frozen=True)
class _Day:
    date: date
