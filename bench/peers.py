"""The same articles as a Pelican site and a Hugo site, so their build times can be compared.

Both exports carry what sitegen's build shows: one page per article (title, date, bylines
as authors, towns as tags, the page name as category) and the lists the peers generate
from that (author, tag, category and archive pages, an Atom feed). Neither peer segments
Chinese or builds a search index, which the comparison states.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

from sitegen.content.files import load_editions

PELICAN_REQUIREMENTS = ["pelican==4.12.0", "markdown==3.11.3"]

PELICAN_CONF = """\
SITENAME = {name!r}
SITEURL = ""
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
DEFAULT_PAGINATION = 20
RELATIVE_URLS = True
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""

HUGO_CONFIG = """\
baseURL = "https://example.org/"
languageCode = "zh-cn"
title = {name!r}
disableKinds = ["RSS"]
[taxonomies]
  author = "authors"
  town = "towns"
  category = "categories"
[outputs]
  home = ["HTML", "RSS"]
[pagination]
  pagerSize = 20
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
    "<title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    "_default/single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>"
    "<p>{{ .Date.Format \"2006-01-02\" }} {{ range .Params.authors }}{{ . }} {{ end }}</p>"
    "{{ .Content }}</article>{{ end }}\n",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>"
    "{{ range .Paginator.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>"
    "{{ end }}</ul>{{ end }}\n",
    "_default/terms.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms }}"
    "<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> {{ .Count }}</li>"
    "{{ end }}</ul>{{ end }}\n",
    "index.html": "{{ define \"main\" }}<ul>{{ range first 60 .Site.RegularPages }}"
    "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
}


def _pelican_article(stored, page_name: str) -> str:
    art = stored.article
    head = [f"Title: {art.title}", f"Date: {stored.date.isoformat()} 06:00",
            f"Category: {page_name or '版面'}", f"Slug: {stored.date.isoformat()}-{stored.key}"]
    if art.bylines:
        head.append("Authors: " + ", ".join(dict.fromkeys(b.name for b in art.bylines)))
    if art.towns:
        head.append("Tags: " + ", ".join(art.towns))
    return "\n".join(head) + "\n\n" + "\n\n".join(art.paragraphs) + "\n"


def _hugo_article(stored, page_name: str) -> str:
    import json

    art = stored.article
    meta = {
        "title": art.title,
        "date": f"{stored.date.isoformat()}T06:00:00+08:00",
        "authors": list(dict.fromkeys(b.name for b in art.bylines)),
        "towns": art.towns,
        "categories": [page_name or "版面"],
        "slug": f"{stored.date.isoformat()}-{stored.key}",
    }
    return json.dumps(meta, ensure_ascii=False) + "\n\n" + "\n\n".join(art.paragraphs) + "\n"


def export(site_root: Path, out: Path, name: str) -> tuple[Path, Path, int]:
    """Write `out/pelican` and `out/hugo` from the site's imported content; returns the count."""
    if out.exists():
        shutil.rmtree(out)
    pelican, hugo = out / "pelican", out / "hugo"
    (pelican / "content").mkdir(parents=True)
    (hugo / "content" / "posts").mkdir(parents=True)
    (pelican / "pelicanconf.py").write_text(PELICAN_CONF.format(name=name), "utf-8")
    (hugo / "hugo.toml").write_text(HUGO_CONFIG.format(name=name), "utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        path = hugo / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    count = 0
    for edition in load_editions(site_root / "content"):
        for page in edition.pages:
            for stored in page.articles:
                stem = f"{edition.date.isoformat()}-{stored.key}"
                (pelican / "content" / f"{stem}.md").write_text(
                    _pelican_article(stored, page.name), "utf-8")
                (hugo / "content" / "posts" / f"{stem}.md").write_text(
                    _hugo_article(stored, page.name), "utf-8")
                count += 1
    return pelican, hugo, count


def pelican_command(venv_dir: Path) -> list[str]:
    """Pelican in its own virtual environment (its pins are not sitegen's), made on first use."""
    exe = venv_dir / "bin" / "pelican"
    if not exe.exists():
        venv.create(venv_dir, with_pip=True)
        subprocess.run([str(venv_dir / "bin" / "pip"), "install", "-q", *PELICAN_REQUIREMENTS],
                       check=True, stdout=sys.stderr)
    return [str(exe)]


def hugo_command() -> list[str] | None:
    exe = shutil.which("hugo")
    return [exe] if exe else None
