"""Checking the links of a built site the way `file://` and a project sub-path see them.

A link that works on a root domain can still break offline or under `/paper/`: root-absolute
links (`/assets/x.css`) and links to folders (`reporters/`, which only a web server turns into
`index.html`) are as broken as a missing file. `sitegen check` and the tests share this code.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINK_ATTRS = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
               ("source", "src"), ("form", "action"), ("iframe", "src"), ("video", "src")}


@dataclass(frozen=True)
class LinkProblem:
    page: str
    target: str
    problem: str

    def __str__(self) -> str:
        return f"{self.page}: {self.problem}: {self.target}"


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if tag == "base" and name == "href" and value:
                self.base = value
            if (tag, name) in _LINK_ATTRS and value is not None:
                self.links.append(value)


def page_links(html_text: str) -> tuple[list[str], str | None]:
    """The link targets of a page and its `<base href>`, if any."""
    collector = _LinkCollector()
    collector.feed(html_text)
    return collector.links, collector.base


def check_page(site_dir: Path, page: Path) -> list[LinkProblem]:
    rel_page = page.relative_to(site_dir).as_posix()
    links, base = page_links(page.read_text(encoding="utf-8"))
    # Pages with an absolute <base> (404.html) link relative to the published site root,
    # not to their own folder.
    folder = site_dir if base is not None else page.parent
    problems = []
    for link in links:
        parts = urlsplit(link)
        if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
            continue
        if not parts.path:
            continue  # "#top" or "?q=…": the page itself
        if parts.path.startswith("/"):
            problems.append(LinkProblem(rel_page, link, "root-absolute link"))
            continue
        if parts.path.endswith("/"):
            problems.append(LinkProblem(rel_page, link, "link to a folder, not a file"))
            continue
        target = (folder / unquote(parts.path)).resolve()
        if not target.is_relative_to(site_dir.resolve()):
            problems.append(LinkProblem(rel_page, link, "link leaves the site"))
        elif not target.is_file():
            problems.append(LinkProblem(rel_page, link, "broken link"))
    return problems


def check_site(site_dir: Path) -> list[LinkProblem]:
    """Every link problem of every HTML page under `site_dir`, in file order."""
    problems: list[LinkProblem] = []
    for page in sorted(site_dir.rglob("*.html")):
        problems.extend(check_page(site_dir, page))
    return problems
