"""The URL scheme of a built site, and the one way pages link to each other.

Every page is identified by its *site path*: a POSIX path relative to the site root that
names a file (`2024-02-03/C01/index.html`, never `2024-02-03/C01/`). Links between pages are
always computed with `relative_url`, so the built folder works unchanged under any
sub-path of a web server (GitHub Pages project sites live under `/<repo>/`) and when a
reader opens a copy straight from disk (`file://` has no directory index, hence the file
names). Absolute URLs exist only where the outside world needs them (feed, sitemap,
canonical links) and are made from the configured `base_url` by `absolute_url`.

The article URL form `YYYY-MM-DD/<page label>/<slug>.html` is a contract with the search
index.
"""

from __future__ import annotations

import posixpath
from datetime import date

FRONT = "index.html"
ARCHIVE = "archive/index.html"
REPORTERS = "reporters/index.html"
TOWNS = "towns/index.html"
SEARCH = "search/index.html"
NOT_FOUND = "404.html"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOJEKYLL = ".nojekyll"
ASSETS_DIR = "assets"


def edition_url(day: date) -> str:
    return f"{day.isoformat()}/index.html"


def page_url(day: date, label: str) -> str:
    """A page (版) by its label: `2024-02-03/C01/index.html`; a site that numbers its
    pages `01` keeps the URLs it always had."""
    return f"{day.isoformat()}/{label}/index.html"


def article_url(day: date, label: str, slug: str) -> str:
    return f"{day.isoformat()}/{label}/{slug}.html"


def reporter_url(slug: str) -> str:
    return f"reporters/{slug}.html"


def town_url(slug: str) -> str:
    return f"towns/{slug}.html"


def month_list_url(owner_url: str, year: int, month: int) -> str:
    """One month of a reporter's or town's articles: `towns/<slug>/2024-03.html`."""
    return f"{owner_url.removesuffix('.html')}/{year:04d}-{month:02d}.html"


def download_url(day: date) -> str:
    return f"downloads/{day.isoformat()}.zip"


def asset_url(name: str) -> str:
    return f"{ASSETS_DIR}/{name}"


def relative_url(from_page: str, to_page: str) -> str:
    """The link from the page at site path `from_page` to the site path `to_page`.

    Both are site paths (no leading slash); `to_page` may carry a `#fragment`. The result
    never starts with `/` and always ends in the target's file name.

    Every page prints a few dozen links, so a year's build calls this millions of times:
    normal site paths (no empty, `.` or `..` segments) take a split-and-compare path that
    gives exactly what `posixpath.relpath` gives, anything else goes through `relpath`.
    """
    if from_page.startswith("/") or to_page.startswith("/"):
        raise ValueError(f"site paths are relative: {from_page!r} -> {to_page!r}")
    target, hash_, fragment = to_page.partition("#")
    if not target:
        return f"#{fragment}"
    suffix = hash_ + fragment if hash_ else ""
    from_dirs = from_page.split("/")[:-1]
    to_parts = target.split("/")
    if _ODD_SEGMENT.isdisjoint(from_dirs) and _ODD_SEGMENT.isdisjoint(to_parts):
        common = 0
        limit = min(len(from_dirs), len(to_parts) - 1)
        while common < limit and from_dirs[common] == to_parts[common]:
            common += 1
        if not (common == len(to_parts) - 1 and common < len(from_dirs)
                and from_dirs[common] == to_parts[common]):  # a folder above the page
            return "../" * (len(from_dirs) - common) + "/".join(to_parts[common:]) + suffix
    return _relpath(from_page, target) + suffix


_ODD_SEGMENT = frozenset({"", ".", ".."})


def _relpath(from_page: str, target: str) -> str:
    """The general case: anchor both at a fake root so relpath never consults the working
    directory."""
    from_dir = posixpath.dirname("/" + from_page)
    return posixpath.relpath("/" + target, from_dir)


def absolute_url(base_url: str, site_path: str) -> str:
    """`base_url` + site path, with a trailing `index.html` dropped (the canonical form)."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    if site_path == "index.html":
        return base
    if site_path.endswith("/index.html"):
        site_path = site_path[: -len("index.html")]
    return base + site_path
