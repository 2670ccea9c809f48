"""`sitegen check`: what still needs a human look before publishing, per edition.

It is the publish gate, so it finds everything `sitegen build` would refuse before the
build runs: the configuration (read first), the theme, every content file as the build
validates it, and the raw editions the build would import (parsed in memory, their files
validated as if written).

Findings have a level. Errors are things a reader would see broken (a broken link, an
article with no text, content that does not load) and make the command exit non-zero so
CI can refuse to publish; warnings are parses a person should confirm (a byline nobody
claimed, a headline-looking paragraph), which are often fine.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from sitegen import wording
from sitegen.config import SiteConfig
from sitegen.content.files import edition_dirs, read_edition
from sitegen.content.model import Edition, EditionPage, StoredArticle
from sitegen.errors import SitegenError, shown_path
from sitegen.linkcheck import check_site
from sitegen.render.pages import make_env, static_files
from sitegen.safepath import require_inside, site_roots

SHORT_BODY_CHARS = 40
"""A non-photo article shorter than this is probably a headline or caption parsed as a story."""

HEADLINE_LIKE_CHARS = 24
_SENTENCE_END = re.compile(r"[。！？；…!?;][”’」』）)]*$")


@dataclass(frozen=True)
class Finding:
    level: str  # "error" or "warning"
    where: str  # edition date, "site" or "build"
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.path}: {self.message}"


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def edition_findings(edition: Edition, root: Path) -> list[Finding]:
    """Review findings of one loaded edition (pure: reads nothing)."""
    where = edition.date.isoformat()
    out: list[Finding] = []
    keys = {a.key for a in edition.articles}
    for page in edition.pages:
        out.extend(page_findings(page, where, keys))
        for stored in page.articles:
            out.extend(article_findings(stored, where, _rel(stored.path, root)))
    titles_in_edition = Counter(a.article.title for a in edition.articles if a.article.title)
    for title, count in sorted(titles_in_edition.items()):
        if count > 1 and all(c <= 1 for c in
                             (Counter(a.article.title for a in p.articles)[title]
                              for p in edition.pages)):
            out.append(Finding("warning", where, where,
                               f"same title on {count} pages: {title}"))
    return out


def page_findings(page: EditionPage, where: str, keys: set[str]) -> list[Finding]:
    """A page's own findings: bylines nobody claimed, text that fit no rule (a video
    prompt is expected furniture), a continuation pointing at no article, a title twice."""
    label = f"{where} page {page.label}"
    out = [Finding("warning", where, label,
                   "unassigned byline: " + " ".join(f"{b.role} {b.name}" for b in group))
           for group in page.meta.unassigned_bylines]
    out += [Finding("warning", where, label,
                    f"line {item.line} fits no rule ({item.reason}): {item.text}")
            for item in page.meta.dropped if not item.expected]
    out += [Finding("error", where, label, f"continuation of {ref.article} (上接第"
                    f"{ref.continued_from}版), but the edition has no such article")
            for ref in page.meta.continuations if ref.article not in keys]
    titles = Counter(a.article.title for a in page.articles if a.article.title)
    out += [Finding("error", where, label, f"duplicate title on the page ({count}×): {title}")
            for title, count in sorted(titles.items()) if count > 1]
    return out


def article_findings(stored: StoredArticle, where: str, path: str) -> list[Finding]:
    """What an editor should confirm in one article: no text, no byline (a brief without
    its bracketed byline included), a very short body, a paragraph that reads like a
    headline (not in a poem, whose lines are short by nature), a jump that found no other
    part."""
    art = stored.article
    title = art.title or f"(a brief of {art.column or '简讯'})"
    if not art.paragraphs:
        return [Finding("error", where, path, "article has no text")]
    out = []
    if not art.bylines:
        out.append(Finding("warning", where, path, f"no byline: {title}"))
    length = sum(len(p) for p in art.paragraphs)
    if art.kind not in ("photo", "brief") and length < SHORT_BODY_CHARS:
        out.append(Finding("warning", where, path,
                           f"very short body ({wording.count(length, 'character')}): {title}"))
    if not art.verse:
        for i, para in enumerate(art.paragraphs, start=1):
            if len(para) <= HEADLINE_LIKE_CHARS and not _SENTENCE_END.search(para):
                out.append(Finding("warning", where, path,
                                   f"paragraph {i} looks like a headline: {para}"))
    if art.continued_to and len(stored.printed_on) < 2:
        out.append(Finding("warning", where, path, f"（下转第{art.continued_to}版） but its "
                           f"continuation was not found: {title}"))
    if art.continued_from:
        out.append(Finding("warning", where, path, f"（上接第{art.continued_from}版） but the "
                           f"story it continues was not found: {title}"))
    return out


def unmatched_towns(config: SiteConfig, editions: Iterable[Edition]) -> list[Finding]:
    mentioned = {t for e in editions for a in e.articles for t in a.article.towns}
    return [Finding("warning", "site", "sitegen.toml",
                    f"town never mentioned in any article: {town.name}")
            for town in config.towns if town.name not in mentioned]


EXAMPLE_HOSTS = ("example.com", "example.org", "example.net", "example.github.io")
"""Hosts of placeholder addresses: `sitegen init` writes `https://example.github.io/<name>/`
and a missing `base_url` means `https://example.org/` (RFC 2606 reserves the others)."""


def config_findings(config: SiteConfig) -> list[Finding]:
    """Settings that still hold placeholders: a site published with the example `base_url`
    has a feed, sitemap and canonical links that point at someone else's address."""
    host = (urlsplit(config.base_url).hostname or "").lower()
    if host in EXAMPLE_HOSTS or host.endswith((".example", *(f".{h}" for h in EXAMPLE_HOSTS))):
        return [Finding("warning", "site", "sitegen.toml",
                        f"base_url is still the example address ({config.base_url}): set it "
                        "to where the site is published (the feed, sitemap and canonical "
                        "links start with it)")]
    return []


def check_site_content(config: SiteConfig) -> tuple[list[Finding], list[Edition]]:
    findings: list[Finding] = []
    editions: list[Edition] = []
    roots = site_roots(config)
    try:
        folders = edition_dirs(config.content_dir, roots)
    except SitegenError as exc:
        return [_error("content", exc, config.root)], []
    for folder in folders:
        try:
            edition = read_edition(folder, roots=roots)
        except SitegenError as exc:
            findings.append(_error(folder.name, exc, config.root))
            continue
        editions.append(edition)
        findings.extend(edition_findings(edition, config.root))
    findings.extend(config_findings(config))
    findings.extend(unmatched_towns(config, editions))
    return findings, editions


def theme_findings(config: SiteConfig) -> list[Finding]:
    """What the build would refuse in the theme: a file leading outside the site, a
    template that does not compile (runtime errors, such as an undefined variable, show
    only when a page is rendered)."""
    roots = site_roots(config)
    out: list[Finding] = []
    try:
        for folder in config.theme_dirs:
            require_inside(folder, roots, "theme folder")
        static_files(config.theme_dirs, roots)
        env = make_env(config.theme_dirs, roots)
        names = env.list_templates()
    except SitegenError as exc:
        return [_error("theme", exc, config.root)]
    for name in names:
        try:
            env.get_template(name)
        except SitegenError as exc:
            out.append(_error("theme", exc, config.root))
        except jinja2.TemplateSyntaxError as exc:
            out.append(_error("theme", SitegenError(f"template error: {exc.message}",
                                                    exc.filename or name, exc.lineno),
                              config.root))
    return out


def raw_findings(config: SiteConfig) -> list[Finding]:
    """What `sitegen build` would refuse in the raw editions it imports first (new ones,
    and imported ones whose raw files changed): their pages are read and parsed as the
    import does, without writing anything. A new edition's files are also validated as the
    build reads them; a changed one's are not (the import keeps the files an editor
    changed, so what it writes is known only then: the content check reads them after)."""
    from sitegen.ingest.importer import render_edition_files
    from sitegen.ingest.stale import stale_editions

    try:
        stale = stale_editions(config)
    except SitegenError as exc:
        return [_error("raw", exc, config.root)]
    if not stale:
        return []
    from sitegen.ingest.parse import page_parser

    parse = page_parser(config.towns)
    out: list[Finding] = []
    for edition, why in stale:
        where = edition.date.isoformat()
        try:
            files, _ = render_edition_files(edition, config, parse)
        except SitegenError as exc:
            out.append(_error(where, exc, config.root))
            continue
        if why != "new":
            continue
        folder = config.content_dir / where
        data = {name: text.encode("utf-8") for name, text in files.items()}
        try:
            edition_ = read_edition(folder, lambda p, read, d=data: read(p, d[p.name]),
                                    listing=list(data))
        except SitegenError as exc:
            out.append(_error(where, exc, config.root, " (once imported)"))
            continue
        out += [dataclasses.replace(f, path=f"{f.path} (once imported)")
                for f in edition_findings(edition_, config.root)]
    return out


def _error(where: str, exc: SitegenError, root: Path, note: str = "") -> Finding:
    path = shown_path(_rel(exc.path, root)) if exc.path is not None else where
    line = f":{exc.line}" if exc.line else ""
    return Finding("error", where, f"{path}{line}{note}", exc.message)


def build_findings(config: SiteConfig) -> list[Finding]:
    build = config.build_dir
    if not (build / "index.html").is_file():
        return [Finding("warning", "build", "build/", "no build yet: run `sitegen build` "
                        "to check its links")]
    return [Finding("error", "build", f"build/{p.page}", f"{p.problem}: {p.target}")
            for p in check_site(build)]


def format_findings(findings: Sequence[Finding]) -> str:
    lines = []
    current = None
    for f in findings:
        if f.where != current:
            current = f.where
            lines.append(f"{current}:")
        lines.append(f"  {f.level}: {f.path}: {f.message}")
    errors = sum(f.level == "error" for f in findings)
    warnings = len(findings) - errors
    lines.append(f"{wording.count(errors, 'error')}, {wording.count(warnings, 'warning')}")
    return "\n".join(lines)
