"""Every internal link of the built site works from `file://` and under any sub-path.

Rules, checked on every href/src/action of every HTML file:
* no root-absolute link (`/assets/x.css` breaks under `/paper/` and from disk);
* every internal link names a file (`reporters/index.html`, never `reporters/`: only a web
  server turns a folder into its index);
* the file exists inside the site, and a `#fragment` names an id on the target page;
* the only absolute links to the site itself are `<link rel="canonical">` and, in
  `404.html`, everything: GitHub Pages serves that page at whatever depth was requested,
  so relative links there would resolve against the wrong folder. Its absolute links are
  mapped back onto the build folder and must exist too.

The checker is written here, independently of the site code, and tested on a small broken
tree so a passing run means something.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from conftest import DemoBuild

LINK_ATTRS = {"href", "src", "action", "poster", "data"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass
class ParsedPage:
    links: list[tuple[str, str, dict[str, str | None]]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"] or "")
        for name, value in attrs:
            if name in LINK_ATTRS and value is not None:
                self.page.links.append((tag, value, values))


def scan(path: Path) -> ParsedPage:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.page


def check_links(root: Path, base_url: str | None = None) -> list[str]:
    """Problems with the internal links of the site in `root` (empty when all is well)."""
    root = root.resolve()
    pages = {p: scan(p) for p in sorted(root.rglob("*.html"))}
    problems: list[str] = []
    for path, parsed in pages.items():
        rel = path.relative_to(root).as_posix()
        is_404 = rel == "404.html"
        for tag, link, attrs in parsed.links:
            where = f"{rel}: <{tag}> {link!r}"
            parts = urlsplit(link)
            if base_url and link.startswith(base_url):
                if not is_404 and not (tag == "link" and attrs.get("rel") == "canonical"):
                    problems.append(f"{where}: absolute link to the site itself")
                    continue
                if tag == "link" and attrs.get("rel") == "canonical":
                    continue
                target_path = link[len(base_url):].split("#")[0].split("?")[0]
                if target_path == "" or target_path.endswith("/"):
                    target_path += "index.html"
                if not (root / unquote(target_path)).is_file():
                    problems.append(f"{where}: no such file {target_path}")
                continue
            if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
                continue  # another site: not ours to check offline
            if parts.scheme:
                problems.append(f"{where}: unexpected scheme")
                continue
            if is_404 and parts.path:
                problems.append(f"{where}: relative link in 404.html")
                continue
            if link.startswith("/"):
                problems.append(f"{where}: root-absolute link")
                continue
            if not parts.path:  # same-page fragment
                if parts.fragment and parts.fragment not in parsed.ids:
                    problems.append(f"{where}: no id {parts.fragment!r} on this page")
                continue
            name = PurePosixPath(parts.path).name
            if parts.path.endswith("/") or "." not in name:
                problems.append(f"{where}: does not name a file")
                continue
            target = (path.parent / unquote(parts.path)).resolve()
            if not target.is_relative_to(root):
                problems.append(f"{where}: points outside the site")
            elif not target.is_file():
                problems.append(f"{where}: no such file")
            elif parts.fragment and target.suffix == ".html" and (
                    parts.fragment not in pages[target].ids):
                problems.append(f"{where}: no id {parts.fragment!r} in {target.name}")
    return problems


def test_checker_finds_broken_links(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p id=x>", encoding="utf-8")
    (site / "index.html").write_text(
        '<a href="a/index.html#x">ok</a><a href="#top">no id</a><a href="/a/index.html">r</a>'
        '<a href="a/">dir</a><a href="missing.html">gone</a><a href="../out.html">out</a>'
        '<link rel="canonical" href="https://ex.org/p/"><a href="https://ex.org/p/a/index.html">'
        "abs</a><a href=\"https://other.org/\">ext</a><a href=\"a/index.html#nope\">frag</a>",
        encoding="utf-8")
    (site / "404.html").write_text(
        '<a href="https://ex.org/p/">home</a><a href="a/index.html">rel</a>'
        '<a href="https://ex.org/p/gone.html">gone</a>', encoding="utf-8")
    problems = check_links(site, "https://ex.org/p/")
    kinds = sorted(p.split(": ", 2)[-1] for p in problems)
    assert kinds == sorted([
        "no id 'top' on this page", "root-absolute link", "does not name a file",
        "no such file", "points outside the site", "absolute link to the site itself",
        "no id 'nope' in index.html", "relative link in 404.html", "no such file gone.html",
    ])


def test_no_broken_internal_links(demo: DemoBuild) -> None:
    pages = list(demo.out.rglob("*.html"))
    assert len(pages) >= 50
    assert check_links(demo.out, demo.config.base_url) == []


def test_every_page_is_reachable_from_the_front_page(demo: DemoBuild) -> None:
    """Following relative links from index.html reaches every page but 404.html."""
    root = demo.out.resolve()
    seen: set[Path] = set()
    todo = [root / "index.html"]
    while todo:
        path = todo.pop()
        if path in seen or path.suffix != ".html":
            continue
        seen.add(path)
        for _, link, _ in scan(path).links:
            parts = urlsplit(link)
            if parts.path and not parts.scheme and not parts.netloc:
                todo.append((path.parent / unquote(parts.path)).resolve())
    every = {p.resolve() for p in root.rglob("*.html")} - {root / "404.html"}
    assert every - seen == set()


def test_offline_copies_have_no_broken_links(demo: DemoBuild, tmp_path: Path) -> None:
    for zip_path in sorted((demo.out / "downloads").glob("*.zip")):
        dest = tmp_path / zip_path.stem
        with zipfile.ZipFile(zip_path) as zf:
            zf.extractall(dest)
        (folder,) = dest.iterdir()
        assert (folder / "index.html").is_file()
        assert check_links(folder, demo.config.base_url) == [], zip_path.name
