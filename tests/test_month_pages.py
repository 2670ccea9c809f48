"""Reporter and town pages stay small however big the archive: the newest `list_size`
articles, then one page per month. Built from the demo content with a tiny `list_size`,
so the month pages exist; every link on them must resolve, the month pages must hold every
article exactly once, and the HTML must be what the site model says (sitemap included)."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from conftest import REPO, copy_site
from test_links import check_links

from sitegen.builder import build_site
from sitegen.config import load_config


def build_with_list_size(tmp_path: Path, size: int) -> Path:
    root = copy_site(tmp_path / "site")
    toml = root / "sitegen.toml"
    text = toml.read_text("utf-8")
    toml.write_text(text.replace("[site]\n", f"[site]\nlist_size = {size}\n", 1), "utf-8")
    build_site(load_config(root), REPO, cut=str.split, workers=1)
    return root / "build"


def _links(html: str, pattern: str) -> list[str]:
    return re.findall(rf'href="({pattern})"', html)


def _listed(build: Path, page: Path) -> list[str]:
    """The site paths of the articles `page` lists, in order."""
    folder = page.parent.relative_to(build).as_posix()
    hrefs = re.findall(r'class="article-list__title" href="([^"]+)"', page.read_text("utf-8"))
    return [posixpath.normpath(posixpath.join(folder, h)) for h in hrefs]


def test_big_lists_get_month_pages(tmp_path: Path) -> None:
    build = build_with_list_size(tmp_path, 1)
    town_pages = sorted(p for p in (build / "towns").glob("*.html") if p.name != "index.html")
    assert town_pages
    checked = 0
    for page in town_pages:
        html = page.read_text("utf-8")
        listed = _listed(build, page)
        months = _links(html, r"[^\"]+/\d{4}-\d{2}\.html")
        total = int(re.search(r"相关稿件 (\d+) 篇", html).group(1))  # type: ignore[union-attr]
        if total <= 1:
            assert not months and len(listed) == total
            continue
        checked += 1
        assert len(listed) == 1 and "按月浏览" in html
        in_months = []
        for rel in months:
            month_page = page.parent / rel
            in_months += _listed(build, month_page)
            assert f'href="../{page.name}"' in month_page.read_text("utf-8")  # back to the town
        # every article exactly once over the month pages, newest first overall
        assert len(in_months) == total == len(set(in_months))
        assert in_months[:1] == listed
    assert checked, "the demo has towns with more than one article"
    sitemap = (build / "sitemap.xml").read_text("utf-8")
    assert re.search(r"towns/[a-z-]+/\d{4}-\d{2}\.html</loc>", sitemap)
    assert re.search(r"reporters/[a-z0-9-]+/\d{4}-\d{2}\.html</loc>", sitemap)
    assert check_links(build) == []


def test_small_lists_have_no_month_pages(tmp_path: Path) -> None:
    build = build_with_list_size(tmp_path, 50)
    assert not list(build.glob("towns/*/*.html"))
    assert not list(build.glob("reporters/*/*.html"))
