"""Page plans: which template renders which URL with which data, and each plan's fingerprint.

Why apart from rendering: planning is pure (the site model in, plans out) and is what an
incremental build compares: a plan's fingerprint covers the data its template is given
and the transitive source of its templates, so the build decides what to render again
without rendering anything. A new page kind is a `plan_*` entry here and a template.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import jinja2
import jinja2.meta
from markupsafe import Markup

from sitegen.render.charts import bar_chart_svg, chart_table, monthly_counts
from sitegen.site.model import neighbours, urls
from sitegen.site.views import Credit, EditionView, Link, Site, SiteInfo, cn_date, month_pages


@dataclass(slots=True)
class PagePlan:
    """One HTML file to write: its site path, template and the data it prints.

    `body` is the (page, order) of the article whose paragraphs the page prints, and
    `body_digest` that article's content digest: the page's fingerprint covers the body
    without the body being loaded."""

    url: str
    template: str
    title: str
    section: str
    context: dict[str, Any] = field(default_factory=dict)
    crumbs: list[Link] = field(default_factory=list)
    absolute_links: bool = False  # 404.html: served at any depth, so links are absolute
    inline_style: bool = False  # 404.html: styled even when base_url is not (yet) right
    canonical: bool = True
    body: tuple[str, int] | None = None
    body_digest: str | None = None


def _edition_title(info: SiteInfo, day: date) -> str:
    return f"{info.name} {cn_date(day)}"


def plan_front(site: Site) -> PagePlan:
    """The front page: the latest edition's first 版, and 往期查阅 (this month's calendar, a
    date to jump to) on the published site."""
    latest = site.latest
    front_page = latest.pages[0] if latest and latest.pages else None
    days: dict[str, list[int]] = {}
    for ed in sorted(site.editions, key=lambda e: e.date):
        days.setdefault(f"{ed.date.year:04d}-{ed.date.month:02d}", []).append(ed.date.day)
    calendar = site.archive[0].months[0] if site.archive and not site.offline else None
    return PagePlan(
        urls.FRONT, "front.html",
        f"{site.name}数字报" + (f" {cn_date(latest.date)}" if latest else ""),
        "front", {"edition": latest, "page": front_page, "calendar": calendar,
                  "edition_days": days,
                  "first_day": site.editions[-1].date if site.editions else None},
        canonical=not site.offline,
    )


def plan_edition(info: SiteInfo, ed: EditionView, latest: bool,
                 digests: dict[tuple[str, int], str] | None = None) -> list[PagePlan]:
    """The edition's contents page, its pages and its articles. `latest`: this edition is
    the one 首页 shows (older ones are reached through 往期回顾)."""
    plans: list[PagePlan] = []
    ed_crumb = Link(cn_date(ed.date), ed.url)
    section = "front" if latest else "archive"
    plans.append(PagePlan(ed.url, "edition.html", _edition_title(info, ed.date), section,
                          {"edition": ed}, [ed_crumb]))
    around = neighbours(ed.articles)
    head = ed.head
    for page in ed.pages:
        page_crumbs = [ed_crumb, Link(page.label, page.url)]
        plans.append(PagePlan(
            page.url, "page.html", f"{page.label} - {_edition_title(info, ed.date)}",
            section, {"edition": ed, "page": page}, page_crumbs,
        ))
        page_head = page.head
        for art in page.articles:
            prev, next_ = around[art.url]
            plans.append(PagePlan(
                art.url, "article.html", f"{art.title} - {info.name}", section,
                {"edition": head, "page": page_head, "article": art, "prev": prev,
                 "next": next_},
                [*page_crumbs, Link(art.title, art.url)],
                body=art.key,
                body_digest=digests.get(art.key) if digests is not None else None,
            ))
    return plans


def plan_shared(site: Site) -> list[PagePlan]:
    """The pages that span the archive: people, towns, archive, search, 404."""
    plans: list[PagePlan] = []
    latest = site.latest
    last_day = latest.date if latest else None

    def chart(days: list[date], label: str) -> Markup:
        """Articles per month up to the latest edition (SVG made and escaped by charts.py)."""
        if last_day is None:
            return Markup("")
        counts = monthly_counts(days, last_day)
        return Markup(bar_chart_svg(counts, label) + chart_table(counts, label))

    people_crumb = Link("记者", urls.REPORTERS)
    plans.append(PagePlan(urls.REPORTERS, "reporters.html", f"记者与作者 - {site.name}",
                          "reporters", {"role_groups": site.role_groups}, [people_crumb]))
    def owner_pages(url: str, name: str, template: str, section: str,
                    context: dict[str, Any], credits: Sequence[Credit], crumbs: list[Link],
                    chart_label: str) -> None:
        """A reporter's or town's page (its newest articles, a chart, its months) and one
        page per month when it has more than `list_size` articles."""
        size = site.info.list_size
        months = month_pages(url, credits, size)
        days = [c.article.date for c in credits]
        plans.append(PagePlan(url, template, f"{name} - {site.name}", section, {
            **context, "credits": credits[:size] if months else credits,
            "total": len(credits), "months": [m.link for m in months],
            "chart": chart(days, chart_label)}, crumbs))
        for i, month in enumerate(months):
            newer = months[i - 1].link if i > 0 else None
            older = months[i + 1].link if i + 1 < len(months) else None
            plans.append(PagePlan(
                month.url, "month_list.html", f"{name} {month.label} - {site.name}", section,
                {"owner": Link(name, url), "month": month.link, "credits": month.credits,
                 "newer": newer, "older": older},
                [*crumbs, Link(month.label, month.url)]))

    for rep in site.reporters:
        owner_pages(rep.url, rep.name, "reporter.html", "reporters",
                    {"name": rep.name, "roles": rep.roles}, rep.credits,
                    [people_crumb, Link(rep.name, rep.url)], f"{rep.name}每月署名稿件")
    towns_crumb = Link("镇街道", urls.TOWNS)
    plans.append(PagePlan(urls.TOWNS, "towns.html", f"镇街道 - {site.name}", "towns",
                          {"towns": site.town_index}, [towns_crumb]))
    for town in site.towns:
        if town.url:
            owner_pages(town.url, town.name, "town.html", "towns", {"name": town.name},
                        town.credits, [towns_crumb, Link(town.name, town.url)],
                        f"{town.name}每月相关稿件")
    plans.append(PagePlan(urls.ARCHIVE, "archive.html", f"往期回顾 - {site.name}", "archive",
                          {"archive": site.archive}, [Link("往期回顾", urls.ARCHIVE)]))
    plans.append(PagePlan(urls.SEARCH, "search.html", f"搜索 - {site.name}", "search", {},
                          [Link("搜索", urls.SEARCH)], canonical=False))
    if not site.offline:
        plans.append(PagePlan(urls.NOT_FOUND, "404.html", f"页面未找到 - {site.name}", "",
                              {}, absolute_links=True, inline_style=True, canonical=False))
    else:
        # An offline copy's lists hold its one edition: the published page at the same
        # address is another page, not this one's canonical form.
        for plan in plans:
            plan.canonical = False
    return plans


def plan_pages(site: Site, digests: dict[date, dict[tuple[str, int], str]] | None = None
               ) -> list[PagePlan]:
    """Every HTML page of `site`, in `site.html_pages()` order plus 404."""
    plans = [plan_front(site)]
    latest = site.latest
    for ed in sorted(site.editions, key=lambda e: e.date):
        plans += plan_edition(site.info, ed, ed is latest,
                              digests.get(ed.date) if digests is not None else None)
    return plans + plan_shared(site)


# ------------------------------------------------------------------------------ fingerprints


def template_digests(env: jinja2.Environment) -> dict[str, str]:
    """Template name -> digest of its source and of every template it extends, imports or
    includes (transitively), as the environment resolves them (site overrides first)."""
    sources: dict[str, str] = {}
    refs: dict[str, set[str]] = {}
    names = sorted(env.list_templates())
    for name in names:
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        sources[name] = source
        try:
            found = set(jinja2.meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateSyntaxError:
            found = {None}  # type: ignore[arg-type]
        # a computed template name could be any template
        refs[name] = set(names) if None in found else {n for n in found if n is not None}
    out = {}
    for name in names:
        seen, stack = set(), [name]
        while stack:
            current = stack.pop()
            if current in seen or current not in sources:
                continue
            seen.add(current)
            stack.extend(refs[current])
        h = hashlib.blake2b(digest_size=16)
        for dep in sorted(seen):
            h.update(dep.encode() + b"\0" + sources[dep].encode() + b"\0")
        out[name] = h.hexdigest()
    return out


def page_fingerprint(plan: PagePlan, digest: Callable[..., str], base: str,
                     templates: dict[str, str], style: str) -> str:
    """Everything that decides `plan`'s bytes: `base` (code, configuration, site info),
    its templates, its own data, the body it prints and, if inlined, the stylesheet."""
    return digest(base, templates.get(plan.template, plan.template), plan.url, plan.title,
                  plan.section, plan.crumbs, plan.absolute_links, plan.canonical,
                  plan.context, plan.body, plan.body_digest,
                  style if plan.inline_style else None)


