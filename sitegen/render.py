"""Rendering the site model into files: Jinja2 templates, Markdown bodies, theme assets.

Templates are looked up in `config.theme_dirs` order (the site's override folder first,
then the built-in theme), so a site can replace any single template or static file.
Autoescaping is on and undefined variables are errors: a typo in an override template
fails the build instead of silently publishing an empty headline.

Article bodies go through Python-Markdown with raw HTML disabled (its `html_block`
preprocessor and `html` inline pattern are removed), so anything that looks like a tag in
the paper's text, `<script>` included, is printed as text. The body is stored as plain
paragraphs; `escape_paragraph` turns each back into Markdown that renders as exactly that
text, the same contract the content files are written with.

Page plans (which template renders which URL with what data) are made here from the site
model; templates only print.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
import markdown
from markupsafe import Markup, escape

from sitegen import urls
from sitegen.charts import bar_chart_svg, monthly_counts
from sitegen.errors import SitegenError
from sitegen.markdown_text import escape_paragraph
from sitegen.site import WEEKDAYS, ArticleView, Link, Site

STYLESHEET = "style.css"
"""The theme's main stylesheet under `static/` (served as `assets/style.css`)."""

# ------------------------------------------------------------------------------ filters


def cn_date(day: date) -> str:
    """`2024年2月2日`: how a Chinese paper prints its date (no zero padding)."""
    return f"{day.year}年{day.month}月{day.day}日"


def weekday(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def cn_month(year: int, month: int) -> str:
    return f"{year}年{month}月"


# ------------------------------------------------------------------------------ markdown


def make_markdown() -> markdown.Markdown:
    """A Markdown converter that never passes raw HTML through."""
    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def render_paragraphs(
    md: markdown.Markdown, paragraphs: Sequence[str], dateline: str | None = None
) -> list[Markup]:
    """Each plain-text paragraph as one HTML block; the dateline (本报讯) opens the first,
    as in print."""
    out: list[Markup] = []
    for i, text in enumerate(paragraphs):
        md.reset()
        html = md.convert(escape_paragraph(text))
        if i == 0 and dateline:
            # an ideographic space after 本报讯, as in print: it also keeps the words apart
            # in copied text and for screen readers
            mark = f'<span class="dateline">{escape(dateline)}</span>\u3000'
            html = ("<p>" + mark + html[3:]) if html.startswith("<p>") else (
                f"<p>{mark}</p>\n{html}")
        out.append(Markup(html))
    return out


# ------------------------------------------------------------------------------ environment


def make_env(theme_dirs: Sequence[Path]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(str(d / "templates"), encoding="utf-8") for d in theme_dirs]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cn_date"] = cn_date
    env.filters["weekday"] = weekday
    env.globals["cn_month"] = cn_month
    return env


def static_files(theme_dirs: Sequence[Path]) -> dict[str, Path]:
    """Relative path under `static/` -> the file to copy; earlier theme dirs win."""
    found: dict[str, Path] = {}
    for theme in reversed(list(theme_dirs)):
        root = theme / "static"
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path
    return dict(sorted(found.items()))


# ------------------------------------------------------------------------------ page plans


@dataclass
class PagePlan:
    """One HTML file to write: its site path, template and the data it prints."""

    url: str
    template: str
    title: str
    section: str
    context: dict[str, Any] = field(default_factory=dict)
    crumbs: list[Link] = field(default_factory=list)
    absolute_links: bool = False  # 404.html: served at any depth, so links are absolute
    inline_style: bool = False  # 404.html: styled even when base_url is not (yet) right
    canonical: bool = True


def _edition_title(site: Site, day: date) -> str:
    return f"{site.name} {cn_date(day)}"


def plan_pages(site: Site) -> list[PagePlan]:
    """Every HTML page of `site`, in `site.html_pages()` order plus 404."""
    plans: list[PagePlan] = []
    latest = site.latest
    front_page = latest.pages[0] if latest and latest.pages else None
    plans.append(PagePlan(
        urls.FRONT, "front.html",
        f"{site.name}数字报" + (f" {cn_date(latest.date)}" if latest else ""),
        "front", {"edition": latest, "page": front_page},
    ))
    for ed in sorted(site.editions, key=lambda e: e.date):
        ed_crumb = Link(cn_date(ed.date), ed.url)
        # the latest edition is what 首页 shows; older ones are reached through 往期回顾
        section = "front" if ed is latest else "archive"
        plans.append(PagePlan(ed.url, "edition.html", _edition_title(site, ed.date), section,
                              {"edition": ed}, [ed_crumb]))
        for page in ed.pages:
            page_crumbs = [ed_crumb, Link(page.label, page.url)]
            plans.append(PagePlan(
                page.url, "page.html", f"{page.label} - {_edition_title(site, ed.date)}",
                section, {"edition": ed, "page": page}, page_crumbs,
            ))
            for art in page.articles:
                plans.append(PagePlan(
                    art.url, "article.html", f"{art.title} - {site.name}", section,
                    {"edition": ed, "page": page, "article": art},
                    [*page_crumbs, Link(art.title, art.url)],
                ))
    last_day = latest.date if latest else None

    def chart(days: list[date], label: str) -> Markup:
        """Articles per month up to the latest edition (SVG made and escaped by charts.py)."""
        if last_day is None:
            return Markup("")
        return Markup(bar_chart_svg(monthly_counts(days, last_day), label))

    people_crumb = Link("记者", urls.REPORTERS)
    plans.append(PagePlan(urls.REPORTERS, "reporters.html", f"记者与作者 - {site.name}",
                          "reporters", {}, [people_crumb]))
    for rep in site.reporters:
        days = [c.article.date for c in rep.credits]
        plans.append(PagePlan(rep.url, "reporter.html", f"{rep.name} - {site.name}",
                              "reporters",
                              {"reporter": rep, "chart": chart(days, f"{rep.name}每月署名稿件")},
                              [people_crumb, Link(rep.name, rep.url)]))
    towns_crumb = Link("镇街道", urls.TOWNS)
    plans.append(PagePlan(urls.TOWNS, "towns.html", f"镇街道 - {site.name}", "towns", {},
                          [towns_crumb]))
    for town in site.towns:
        if town.url:
            days = [a.date for a in town.articles]
            plans.append(PagePlan(town.url, "town.html", f"{town.name} - {site.name}", "towns",
                                  {"town": town, "chart": chart(days, f"{town.name}每月相关稿件")},
                                  [towns_crumb, Link(town.name, town.url)]))
    plans.append(PagePlan(urls.ARCHIVE, "archive.html", f"往期回顾 - {site.name}", "archive",
                          {}, [Link("往期回顾", urls.ARCHIVE)]))
    plans.append(PagePlan(urls.SEARCH, "search.html", f"搜索 - {site.name}", "search", {},
                          [Link("搜索", urls.SEARCH)], canonical=False))
    if not site.offline:
        plans.append(PagePlan(urls.NOT_FOUND, "404.html", f"页面未找到 - {site.name}", "",
                              {}, absolute_links=True, inline_style=True, canonical=False))
    return plans


# ------------------------------------------------------------------------------ rendering


def _template_error(exc: Exception, theme_dirs: Sequence[Path]) -> SitegenError:
    """Point a template failure at the template file and line an editor has to fix."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return SitegenError(f"template error: {exc.message}", exc.filename or exc.name,
                            exc.lineno)
    roots = [str(d) for d in theme_dirs]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename and any(frame.filename.startswith(r) for r in roots):
            return SitegenError(f"template error: {exc}", frame.filename, frame.lineno)
    return SitegenError(f"template error: {exc}")


class Renderer:
    """Renders page plans of one site with one Jinja2 environment and Markdown converter."""

    def __init__(self, site: Site, theme_dirs: Sequence[Path],
                 env: jinja2.Environment | None = None):
        """`env` may be shared between renderers of the same theme (the published site and
        its offline copies) so templates are compiled once per build."""
        self.site = site
        self.theme_dirs = list(theme_dirs)
        self.env = env or make_env(self.theme_dirs)
        self.md = make_markdown()

    def _linker(self, plan: PagePlan) -> Callable[[str], str]:
        if plan.absolute_links:
            return lambda target: urls.absolute_url(self.site.base_url, target)
        return lambda target: urls.relative_url(plan.url, target)

    def inline_style(self) -> Markup | None:
        """The theme stylesheet for a `<style>` element (None if it cannot be inlined)."""
        source = static_files(self.theme_dirs).get(STYLESHEET)
        if source is None:
            return None
        css = source.read_text(encoding="utf-8")
        return None if "</style" in css.lower() else Markup(css)

    def body(self, article: ArticleView) -> list[Markup]:
        art = article.article
        return render_paragraphs(self.md, art.paragraphs, art.dateline)

    def render(self, plan: PagePlan) -> str:
        link = self._linker(plan)
        context: dict[str, Any] = {
            "site": self.site,
            "plan": plan,
            "title": plan.title,
            "section": plan.section,
            "crumbs": plan.crumbs,
            "link": link,
            "asset": lambda name: link(urls.asset_url(name)),
            "urls": urls,
            "canonical": urls.absolute_url(self.site.base_url, plan.url)
            if plan.canonical else None,
            "stylesheet": STYLESHEET,
            "inline_style": self.inline_style() if plan.inline_style else None,
            **plan.context,
        }
        article = plan.context.get("article")
        if article is not None:
            context["body"] = self.body(article)
        try:
            return self.env.get_template(plan.template).render(context)
        except jinja2.TemplateError as exc:
            raise _template_error(exc, self.theme_dirs) from exc
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            raise _template_error(exc, self.theme_dirs) from exc

    def write_all(self, out_dir: Path) -> list[str]:
        """Render every planned page into `out_dir`; returns the site paths written."""
        written = []
        for plan in plan_pages(self.site):
            target = out_dir / plan.url
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self.render(plan), encoding="utf-8", newline="\n")
            written.append(plan.url)
        return written
