"""`sitegen import`: raw pages of an edition -> parsed pages -> Markdown files in content/.

An edition is all-or-nothing: every page is read and parsed before a single file is
written, so a bad page leaves `content/` as it was. Files an editor has changed since the
last import are detected by hash (kept in `content/YYYY-MM-DD/.imported.json`) and never
overwritten unless `force` is given; files an editor deleted are not brought back.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sitegen.config import SiteConfig, load_edition_meta
from sitegen.content import (
    EDITION_FILE,
    article_file_name,
    article_to_markdown,
    edition_to_yaml,
    page_to_yaml,
    parse_date_dir,
)
from sitegen.errors import SitegenError
from sitegen.model import ParsedPage, StoredPage
from sitegen.rawtext import read_page
from sitegen.slugs import slugify

MANIFEST = ".imported.json"
RAW_PAGE = re.compile(r"^(\d{2})\.txt$")

PageParser = Callable[[str, str], ParsedPage]
"""(decoded text, file name) -> parse; the CLI binds the site's gazetteer and segmenter."""


@dataclass
class PageReport:
    """What an editor should look at for one page after an import."""

    date: date
    number: int
    source: str
    articles: int
    without_byline: list[str]
    unassigned_bylines: list[str]
    dropped: list[str]
    extras: list[str]


@dataclass
class EditionReport:
    date: date
    pages: list[PageReport] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept_edited: list[str] = field(default_factory=list)
    kept_deleted: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RawEdition:
    date: date
    folder: Path


def raw_editions(config: SiteConfig) -> list[RawEdition]:
    """Every `content/raw/YYYY-MM-DD/` folder, oldest first; a misnamed folder is an error."""
    raw = config.raw_dir
    if not raw.is_dir():
        return []
    out = []
    for folder in sorted(p for p in raw.iterdir() if p.is_dir() and not p.name.startswith(".")):
        out.append(RawEdition(parse_date_dir(folder.name, folder), folder))
    return out


def pending_editions(config: SiteConfig) -> list[RawEdition]:
    """Raw editions never imported (no manifest in their content folder)."""
    return [e for e in raw_editions(config)
            if not (config.content_dir / e.date.isoformat() / MANIFEST).exists()]


def select_editions(config: SiteConfig, dates: Sequence[str]) -> list[RawEdition]:
    if not dates:
        return pending_editions(config)
    available = {e.date.isoformat(): e for e in raw_editions(config)}
    chosen = []
    for text in dates:
        parse_date_dir(text, config.raw_dir / text)
        if text not in available:
            raise SitegenError(f"no raw edition {text}", config.raw_dir / text)
        chosen.append(available[text])
    return chosen


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write_atomic(path: Path, text: str) -> None:
    """Write through a temporary file and rename, so a crash never leaves half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def render_edition_files(
    edition: RawEdition, config: SiteConfig, parse: PageParser
) -> tuple[dict[str, str], list[PageReport]]:
    """Parse every page of a raw edition into {file name: file text} (nothing written yet)."""
    meta = load_edition_meta(edition.folder)
    pages = []
    for path in sorted(edition.folder.iterdir()):
        if path.name == "edition.toml" or path.name.startswith("."):
            continue
        match = RAW_PAGE.match(path.name)
        if not match or not path.is_file():
            raise SitegenError("raw pages are named NN.txt (the page number)", path)
        pages.append((int(match.group(1)), path))
    if not pages:
        raise SitegenError("no raw pages (NN.txt) in this edition folder", edition.folder)
    for number in meta.page_names:
        if number not in {n for n, _ in pages}:
            raise SitegenError(f"edition.toml names page {number:02d} but there is no "
                               f"{number:02d}.txt", edition.folder / "edition.toml")

    files: dict[str, str] = {EDITION_FILE: edition_to_yaml(meta.number)}
    reports = []
    for number, path in pages:
        try:
            parsed = parse(read_page(path), path.name)
        except SitegenError as exc:
            if exc.path is not None and exc.path.name == path.name and exc.path != path:
                raise SitegenError(exc.message, path, exc.line) from exc
            raise
        source = path.relative_to(config.root).as_posix() if path.is_relative_to(
            config.root) else path.as_posix()
        page_name = meta.page_names.get(number, "")
        stored_page = StoredPage(
            date=edition.date, number=number, name=page_name, extras=list(parsed.extras),
            unassigned_bylines=list(parsed.unassigned_bylines), source=source,
        )
        files[f"page-{number:02d}.yaml"] = page_to_yaml(stored_page)
        for order, article in enumerate(parsed.articles, start=1):
            name = article_file_name(number, order, slugify(article.title, max_parts=6))
            files[name] = article_to_markdown(
                article, day=edition.date, page=number, page_name=page_name, order=order,
                source=source,
            )
        reports.append(PageReport(
            date=edition.date,
            number=number,
            source=source,
            articles=len(parsed.articles),
            without_byline=[a.title for a in parsed.articles if not a.bylines],
            unassigned_bylines=[" ".join(f"{b.role} {b.name}" for b in g)
                                for g in parsed.unassigned_bylines],
            dropped=[f"line {d.line}: {d.text} ({d.reason})" for d in parsed.dropped],
            extras=[f"{e.kind}: {e.text}" for e in parsed.extras],
        ))
    return files, reports


def _file_key(name: str) -> str:
    """Identity of a generated file across imports: `01-03` for articles, else the name.

    A re-import after a parser fix may change an article's title (so its slug); the key
    lets the importer recognise the file it wrote before under the old name."""
    m = re.match(r"^(\d{2}-\d{2})-.*\.md$", name)
    return m.group(1) if m else name


def write_edition(folder: Path, files: dict[str, str], force: bool, report: EditionReport) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / MANIFEST
    old: dict[str, str] = {}
    if manifest_path.exists():
        old = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", {})
    old_by_key = {_file_key(name): name for name in old}
    new_manifest: dict[str, str] = {}
    for name, text in sorted(files.items()):
        key = _file_key(name)
        previous = old_by_key.get(key)
        if previous is not None and not force:
            prev_path = folder / previous
            if not prev_path.exists():
                report.kept_deleted.append(previous)
                new_manifest[previous] = old[previous]
                continue
            if _sha(prev_path.read_text(encoding="utf-8")) != old[previous]:
                report.kept_edited.append(previous)
                new_manifest[previous] = old[previous]
                continue
        if previous is not None and previous != name and (folder / previous).exists():
            (folder / previous).unlink()
        target = folder / name
        if target.exists() and target.read_text(encoding="utf-8") == text:
            report.unchanged.append(name)
        else:
            _write_atomic(target, text)
            report.written.append(name)
        new_manifest[name] = _sha(text)
    # Articles the new parse no longer has: remove our own untouched files, keep edited ones.
    for key, name in old_by_key.items():
        if any(_file_key(n) == key for n in files):
            continue
        path = folder / name
        if path.exists() and (force or _sha(path.read_text(encoding="utf-8")) == old[name]):
            path.unlink()
        elif path.exists():
            report.kept_edited.append(name)
            new_manifest[name] = old[name]
    _write_atomic(manifest_path, json.dumps({"files": dict(sorted(new_manifest.items()))},
                                            ensure_ascii=False, indent=1) + "\n")


def import_editions(
    config: SiteConfig, editions: Sequence[RawEdition], parse: PageParser, force: bool = False
) -> list[EditionReport]:
    """Import each edition; every one is parsed completely before any of its files is written."""
    reports = []
    for edition in editions:
        files, page_reports = render_edition_files(edition, config, parse)
        report = EditionReport(date=edition.date, pages=page_reports)
        write_edition(config.content_dir / edition.date.isoformat(), files, force, report)
        reports.append(report)
    return reports


def format_report(reports: Sequence[EditionReport]) -> str:
    """The short review report printed after an import: what a person should look at."""
    lines = []
    for rep in reports:
        total = sum(p.articles for p in rep.pages)
        lines.append(f"{rep.date.isoformat()}: {len(rep.pages)} page(s), {total} article(s); "
                     f"{len(rep.written)} file(s) written, {len(rep.unchanged)} unchanged")
        for page in rep.pages:
            lines.append(f"  page {page.number:02d} ({page.source}): {page.articles} article(s)")
            for title in page.without_byline:
                lines.append(f"    review: no byline: {title}")
            for byline in page.unassigned_bylines:
                lines.append(f"    review: unassigned byline: {byline}")
            for item in page.dropped:
                lines.append(f"    dropped: {item}")
            for item in page.extras:
                lines.append(f"    extra: {item}")
        for name in rep.kept_edited:
            lines.append(f"  kept (edited by hand, use --force to regenerate): {name}")
        for name in rep.kept_deleted:
            lines.append(f"  not recreated (deleted by hand, use --force to regenerate): {name}")
    if not reports:
        lines.append("nothing to import (every raw edition is imported; name dates to re-import)")
    return "\n".join(lines)
