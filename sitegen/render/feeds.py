"""Machine-readable files: the Atom feed, the sitemap and robots.txt.

These are the only outputs with absolute URLs (feed readers and crawlers need them), all
made from `base_url`. Every timestamp comes from an edition's date (midnight, Beijing
time), never from the clock, so building the same content twice gives the same bytes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from xml.sax.saxutils import escape

from feedgen.feed import FeedGenerator

from sitegen.site import urls
from sitegen.site.views import ArticleView, Site

BEIJING = timezone(timedelta(hours=8))
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def edition_time(day: date) -> datetime:
    """An edition's publication instant: midnight of its date in China (UTC+8)."""
    return datetime(day.year, day.month, day.day, tzinfo=BEIJING)


def newest_articles(site: Site, limit: int) -> list[ArticleView]:
    """Newest edition first, page order within an edition: the order the paper is read."""
    ordered = [a for ed in site.editions for a in ed.articles]
    return ordered[: max(limit, 0)]


def atom_feed(site: Site, limit: int) -> bytes:
    """The newest `limit` articles as Atom, summaries from their opening lines."""
    fg = FeedGenerator()
    fg.id(urls.absolute_url(site.base_url, urls.FRONT))
    fg.title(site.name)
    fg.subtitle(site.description or f"{site.name}数字报")
    fg.language(site.language)
    fg.author({"name": site.name})
    fg.link(href=urls.absolute_url(site.base_url, urls.FEED), rel="self")
    fg.link(href=urls.absolute_url(site.base_url, urls.FRONT), rel="alternate")
    latest = site.latest
    fg.updated(edition_time(latest.date) if latest else EPOCH)
    for art in newest_articles(site, limit):
        fe = fg.add_entry(order="append")
        link = urls.absolute_url(site.base_url, art.url)
        fe.id(link)
        fe.title(art.title)
        fe.link(href=link, rel="alternate")
        fe.published(edition_time(art.date))
        fe.updated(edition_time(art.date))
        fe.summary(art.lede or art.title)
        for name in dict.fromkeys(art.people):
            fe.author({"name": name})
        fe.category(term=art.page_label)
    return fg.atom_str(pretty=True)


def _content_dates(site: Site) -> dict[str, date]:
    """Site path -> the edition date its content comes from (editions, pages, articles)."""
    dates: dict[str, date] = {}
    for ed in site.editions:
        dates[ed.url] = ed.date
        for page in ed.pages:
            dates[page.url] = ed.date
            for art in page.articles:
                dates[art.url] = ed.date
    return dates


def sitemap(site: Site) -> bytes:
    """Every public HTML page (not search or 404), with the date its content last changed."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    dates = _content_dates(site)
    newest = site.latest.date if site.latest else None
    for path in site.html_pages():
        if path == urls.SEARCH:
            continue
        lines.append("  <url>")
        lines.append(f"    <loc>{escape(urls.absolute_url(site.base_url, path))}</loc>")
        # lists (front page, reporters, towns, archive) change with every new edition
        modified = dates.get(path, newest)
        if modified:
            lines.append(f"    <lastmod>{modified.isoformat()}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(site: Site) -> bytes:
    return (
        "User-agent: *\n"
        "Allow: /\n"
        f"Sitemap: {urls.absolute_url(site.base_url, urls.SITEMAP)}\n"
    ).encode()
