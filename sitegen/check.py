"""`sitegen check`: what still needs a human look before publishing, per edition.

Findings have a level. Errors are things a reader would see broken (a broken link, an
article with no text, content that does not load) and make the command exit non-zero so
CI can refuse to publish; warnings are parses a person should confirm (a byline nobody
claimed, a headline-looking paragraph), which are often fine.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sitegen import wording
from sitegen.config import SiteConfig
from sitegen.content import edition_dirs, read_edition
from sitegen.errors import SitegenError
from sitegen.linkcheck import check_site
from sitegen.model import Edition, StoredArticle

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
        page_label = f"{where} page {page.label}"
        for group in page.meta.unassigned_bylines:
            names = " ".join(f"{b.role} {b.name}" for b in group)
            out.append(Finding("warning", where, page_label,
                               f"unassigned byline: {names}"))
        for item in page.meta.dropped:
            if not item.expected:
                out.append(Finding("warning", where, page_label,
                                   f"line {item.line} fits no rule ({item.reason}): "
                                   f"{item.text}"))
        for ref in page.meta.continuations:
            if ref.article not in keys:
                out.append(Finding("error", where, page_label,
                                   f"continuation of {ref.article} (上接第{ref.continued_from}"
                                   "版), but the edition has no such article"))
        titles = Counter(a.article.title for a in page.articles if a.article.title)
        for title, count in sorted(titles.items()):
            if count > 1:
                out.append(Finding("error", where, page_label,
                                   f"duplicate title on the page ({count}×): {title}"))
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
    for folder in edition_dirs(config.content_dir):
        try:
            edition = read_edition(folder)
        except SitegenError as exc:
            findings.append(Finding("error", folder.name, _rel(exc.path or folder, config.root)
                                    + (f":{exc.line}" if exc.line else ""), exc.message))
            continue
        editions.append(edition)
        findings.extend(edition_findings(edition, config.root))
    findings.extend(config_findings(config))
    findings.extend(unmatched_towns(config, editions))
    return findings, editions


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
