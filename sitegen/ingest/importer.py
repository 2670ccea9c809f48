"""`sitegen import`: raw pages of an edition -> parsed pages -> Markdown files in content/.

An edition is all-or-nothing: every page is read and parsed before a single file is
written, so a bad page leaves `content/` as it was. Files an editor has changed since the
last import are detected by hash (kept in `content/YYYY-MM-DD/.imported.json`) and never
overwritten unless `force` is given; files an editor deleted are not brought back.

Scale (a year is 365 editions × 8 pages): editions are independent, so a large import runs
them in worker processes, one edition per task, each worker parsing *and* writing its
edition (see `import_editions`). A bad edition writes nothing and does not stop the others;
the import then fails naming every bad file. After an edition is written, a fingerprint of
what its files were made from (raw files, the parser's configuration, the code) is kept in
`<site>/.sitegen-cache/import/` (the site's private cache, next to the build's), so
re-importing an edition whose raw pages did not change skips the parse. It is a cache:
deleting it only makes the next re-import parse again, and `content/` (the manifest
included) is byte for byte what it was without it.

The daily workflow drops a page into an edition that was imported already (a late page, a
corrected one): the manifest also records a hash of each raw file the edition was imported
from, so `stale_editions` (what `sitegen import`, `build` and `serve` import without being
told dates) finds editions never imported *and* editions whose raw files changed since.
Their hashes are remembered by size and mtime in the import cache, so a build does not
re-read a year of raw pages to learn that none changed.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from sitegen import codehash, wording, workers
from sitegen.config import SiteConfig, load_edition_meta
from sitegen.content.files import (
    article_file_name,
    article_to_markdown,
    edition_to_yaml,
    page_to_yaml,
)
from sitegen.content.model import ContinuationRef, ParsedPage, StoredPage
from sitegen.content.names import EDITION_FILE, parse_date_dir
from sitegen.content.summary import slug_source
from sitegen.errors import SitegenError
from sitegen.ingest.parse.edition import join_jumps
from sitegen.ingest.raw import (
    RawEdition,
    raw_digests,
    raw_editions,
    raw_page_files,
)
from sitegen.ingest.report import (
    EditionReport,
    PageReport,
    _page_report_dict,
    page_report,
)
from sitegen.ingest.stale import (
    IMPORT_CACHE,
    MANIFEST,
    read_manifest,
    stale_editions,
    write_atomic,
)
from sitegen.safepath import is_inside, require_entries_inside, site_roots
from sitegen.text.rawtext import MAX_PAGE_BYTES, read_page
from sitegen.text.slugs import slugify

PageParser = Callable[[str, str], ParsedPage]
"""(decoded text, file name) -> parse; the CLI binds the site's gazetteer and segmenter.

A parser may also have `prepare()` (load what every page needs, before workers fork) and
a `fingerprint` string (its configuration; without it raw pages are always re-parsed), as
`sitegen.ingest.parse.PageParser` has."""

JOBS_ENV = "SITEGEN_IMPORT_JOBS"
"""Environment override of the number of import processes (`1`: import in this process)."""
POOL_MIN_EDITIONS = 3
"""Fewer editions are imported in this process: 1–2 editions (8–16 pages, well under a
second) are what `sitegen build` imports after a day's paper arrives, and starting worker
processes would cost about as much as it saves."""
OUTPUT_LIBRARIES = ("rjieba", "pypinyin", "PyYAML")
def select_editions(config: SiteConfig, dates: Sequence[str]) -> list[RawEdition]:
    """The editions named by `dates`; with none, the new or changed ones (`stale_editions`)."""
    if not dates:
        return [edition for edition, _ in stale_editions(config)]
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


def parse_raw_pages(pages: Sequence[tuple[str, Path]], parse: PageParser
                    ) -> dict[str, ParsedPage]:
    """Every page parsed (an error names the raw file and its line), by label."""
    parsed: dict[str, ParsedPage] = {}
    for label, path in pages:
        try:
            parsed[label] = parse(read_page(path), path.name)
        except SitegenError as exc:
            if exc.path is not None and exc.path.name == path.name and exc.path != path:
                raise SitegenError(exc.message, path, exc.line) from exc
            raise
    return parsed


def render_edition_files(
    edition: RawEdition, config: SiteConfig, parse: PageParser
) -> tuple[dict[str, str], list[PageReport]]:
    """Parse every page of a raw edition into {file name: file text} (nothing written yet).

    The pages are parsed together, so a story that jumps to another page (转版) is one
    article, stored on its first page and listed on the other as a continuation."""
    require_entries_inside(edition.folder, site_roots(config), "raw page")
    meta = load_edition_meta(edition.folder)
    raw_pages = raw_page_files(edition.folder)
    labels = [label for label, _ in raw_pages]
    for label in meta.page_names:
        if label not in labels:
            raise SitegenError(f"edition.toml names page {label} but there is no "
                               f"{label}.txt", edition.folder / "edition.toml")
    parsed = parse_raw_pages(raw_pages, parse)
    joined = join_jumps(parsed, config.towns, edition.date)

    files: dict[str, str] = {EDITION_FILE: edition_to_yaml(meta.number)}
    reports = []
    for (label, path), page in zip(raw_pages, joined.pages, strict=True):
        source = path.relative_to(config.root).as_posix() if path.is_relative_to(
            config.root) else path.as_posix()
        page_name = meta.page_names.get(label, "")
        stored_page = StoredPage(
            date=edition.date, label=label, name=page_name, extras=list(page.extras),
            unassigned_bylines=list(page.unassigned_bylines), source=source,
            continuations=[ContinuationRef(
                c.continued_from, f"{c.continued_from}-{c.article + 1:02d}", c.title,
                c.repeated_title, c.source_lines) for c in page.continuations],
            dropped=list(parsed[label].dropped),
        )
        files[f"page-{label}.yaml"] = page_to_yaml(stored_page)
        for order, placed in enumerate(page.articles, start=1):
            article = placed.article
            name = article_file_name(label, order, slugify(slug_source(article), max_parts=6))
            files[name] = article_to_markdown(
                article, day=edition.date, page=label, page_name=page_name, order=order,
                source=source, pages=tuple(placed.pages),
            )
        reports.append(page_report(edition.date, label, source, page, parsed[label],
                                   joined.unmatched))
    return files, reports


def _file_key(name: str) -> str:
    """Identity of a generated file across imports: `01-03` for articles, else the name.

    A re-import after a parser fix may change an article's title (so its slug); the key
    lets the importer recognise the file it wrote before under the old name."""
    m = re.match(r"^([A-Z]?[0-9]{2}-[0-9]{2})-.*\.md$", name)
    return m.group(1) if m else name


def write_edition(folder: Path, files: dict[str, str], force: bool,
                  report: EditionReport, raw: dict[str, str] | None = None) -> dict[str, str]:
    """Write the files of one parsed edition, keeping what an editor changed (unless
    `force`), and the manifest of file hashes, which it returns; `raw`: the hashes of the
    raw files they were made from, recorded for `stale_editions`."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest_path = folder / MANIFEST
    old: dict[str, str] = read_manifest(folder).get("files", {})
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
            write_atomic(target, text)
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
    hashes = dict(sorted(new_manifest.items()))
    manifest: dict[str, object] = {"files": hashes}
    if raw is not None:
        manifest["raw"] = raw
    write_atomic(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
    return hashes


# ------------------------------------------------------------------- skipping unchanged input


@cache
def _code_fingerprint() -> str:
    """Hash of the import's code (this module and every sitegen package it uses, found by
    `codehash`: the parser, the content formats, the segmenter), the versions of
    `OUTPUT_LIBRARIES` and the Unicode version (character widths decide paragraph ends):
    whatever decides the files an import writes. Read once per process."""
    digest = hashlib.sha256(unicodedata.unidata_version.encode())
    digest.update(codehash.digest(codehash.sources("sitegen.ingest")).encode())
    for dist in OUTPUT_LIBRARIES:
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "?"
        digest.update(f"{dist}={version}".encode())
    return digest.hexdigest()


def source_fingerprint(edition: RawEdition, config: SiteConfig, parse: PageParser) -> str | None:
    """What an edition's files are made from: its raw files (names and bytes), where they
    are (the `source:` field), the parser's configuration and the code. None when that
    cannot be known (a parser without `fingerprint`, odd entries in the folder): then the
    edition is always parsed, and parsing reports what is wrong with the folder."""
    parser_key = getattr(parse, "fingerprint", None)
    if not isinstance(parser_key, str):
        return None
    digest = hashlib.sha256(_code_fingerprint().encode())
    where = edition.folder.relative_to(config.root).as_posix() if edition.folder.is_relative_to(
        config.root) else edition.folder.as_posix()
    digest.update(f"\0{parser_key}\0{where}\0".encode())
    roots = site_roots(config)
    for path in sorted(edition.folder.iterdir()):
        if path.name.startswith("."):
            continue
        # a file the import refuses (leading outside the site, too large) is not read here
        if not path.is_file() or (path.is_symlink() and not is_inside(path, roots)):
            return None
        try:
            if path.stat().st_size > MAX_PAGE_BYTES:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        digest.update(f"{path.name}\0{len(data)}\0".encode() + data)
    return digest.hexdigest()


def _cache_path(config: SiteConfig, edition: RawEdition) -> Path:
    return config.cache_dir / IMPORT_CACHE / f"{edition.date.isoformat()}.json"


def _remember(config: SiteConfig, edition: RawEdition, source: str, hashes: dict[str, str],
              report: EditionReport) -> None:
    """Record what the edition's files were made from, for `_unchanged_edition_report`."""
    path = _cache_path(config, edition)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"source": source, "files": hashes, "pages": [
            _page_report_dict(p) for p in report.pages]}, ensure_ascii=False) + "\n")
    except OSError:
        pass  # only a cache: the next re-import parses


def _unchanged_edition_report(config: SiteConfig, edition: RawEdition, folder: Path,
                              source: str) -> EditionReport | None:
    """The report a re-import gives when nothing it reads has changed, made without parsing,
    or None when that is not known (no or another fingerprint, or the manifest changed
    since: an older sitegen imported in between). The files the import would write are
    the ones whose hashes the manifest holds, so each is either still as written
    (unchanged), edited by hand or deleted by hand; the page reports are the remembered ones."""
    try:
        cached = json.loads(_cache_path(config, edition).read_text(encoding="utf-8"))
        if not isinstance(cached, dict) or cached.get("source") != source:
            return None
        files = read_manifest(folder).get("files")
        if not isinstance(files, dict) or cached.get("files") != files:
            return None
        pages = [PageReport(date=edition.date, **p) for p in cached["pages"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    report = EditionReport(date=edition.date, pages=pages)
    for name, digest in sorted(files.items()):
        path = folder / name
        if not path.exists():
            report.kept_deleted.append(name)
        elif _sha(path.read_text(encoding="utf-8")) != digest:
            report.kept_edited.append(name)
        else:
            report.unchanged.append(name)
    return report


# ---------------------------------------------------------------------------- importing


def import_edition(config: SiteConfig, edition: RawEdition, parse: PageParser,
                   force: bool = False) -> EditionReport:
    """Import one edition: skip it if its fingerprint matches the manifest's (and not
    `force`), else parse every page, then write. Raises `SitegenError` with nothing written."""
    folder = config.content_dir / edition.date.isoformat()
    source = source_fingerprint(edition, config, parse)
    if not force and source is not None:
        skipped = _unchanged_edition_report(config, edition, folder, source)
        if skipped is not None:
            return skipped
    files, page_reports = render_edition_files(edition, config, parse)
    report = EditionReport(date=edition.date, pages=page_reports)
    hashes = write_edition(folder, files, force, report, raw_digests(edition.folder))
    if source is not None:
        _remember(config, edition, source, hashes, report)
    return report


@dataclass(frozen=True)
class _Failure:
    """A `SitegenError` in transit from a worker (the exception itself pickles without its
    path and line)."""

    message: str
    path: str | None
    line: int | None

    def error(self) -> SitegenError:
        return SitegenError(self.message, self.path, self.line)


_Outcome = EditionReport | _Failure


AfterImport = Callable[[Path], None]
"""Called with an edition's content folder once it is imported, in the process that
imported it (`sitegen build` reads the folder into its content cache there: the files are
still in memory and the workers busy, so the build finds them read)."""


def _attempt(config: SiteConfig, edition: RawEdition, parse: PageParser,
             force: bool, after: AfterImport | None = None) -> _Outcome:
    try:
        report = import_edition(config, edition, parse, force)
    except SitegenError as exc:
        return _Failure(exc.message, None if exc.path is None else str(exc.path), exc.line)
    if after is not None:
        after(config.content_dir / edition.date.isoformat())
    return report


def _worker_import(edition: RawEdition) -> _Outcome:
    config, parse, force, after = workers.context()
    return _attempt(config, edition, parse, force, after)


def import_jobs(editions: int, jobs: int | None = None) -> int:
    """How many processes to import `editions` editions with: `jobs`, else `$SITEGEN_IMPORT_JOBS`,
    else one per CPU this process may use; 1 for small imports (`POOL_MIN_EDITIONS`), where
    `fork` is unavailable, and in a process with other threads (`sitegen serve`'s rebuilds),
    which must not fork: another thread may hold a lock the child would inherit locked."""
    return workers.count(jobs, editions, env=JOBS_ENV, small=POOL_MIN_EDITIONS)


def _import_in_workers(config: SiteConfig, editions: Sequence[RawEdition], parse: PageParser,
                       force: bool, jobs: int, after: AfterImport | None = None
                       ) -> list[_Outcome]:
    """One edition per task over `jobs` forked workers, results in the input order.

    Fork, not spawn: the workers inherit the imported modules and the parser with its
    dictionary already loaded (`prepare`), so no worker pays for loading it, and the
    parser needs no pickling. The parent's objects are frozen out of the garbage collector
    first, so collections in the workers do not write to (and so copy) the memory they
    share with the parent. Workers ignore Ctrl-C: on an interrupt (or a bug) the parent
    starts no other edition and waits for those being written, so every edition is then
    either imported or untouched."""
    prepare = getattr(parse, "prepare", None)
    if callable(prepare):
        prepare()
    import pypinyin  # noqa: F401  (article slugs: loaded once, shared by the workers)

    with workers.Pool(jobs, (config, parse, force, after), interruptible=False,
                      freeze=True) as pool:
        return workers.Feed(pool, editions, _worker_import, jobs + 1).wait()


def import_editions(
    config: SiteConfig, editions: Sequence[RawEdition], parse: PageParser, force: bool = False,
    jobs: int | None = None, after: AfterImport | None = None,
) -> list[EditionReport]:
    """Import each edition (once, in the given order); each is parsed completely before any
    of its files is written, in this process or in `import_jobs` worker processes.

    Every edition is attempted even when one fails: a bad page leaves its own edition
    unwritten and the others import, so the result does not depend on which worker got
    there first. Then a `SitegenError` names the first bad file (in the given order) and
    lists the others. The editions that did import are done (the error carries no report
    of them); the failed ones have no manifest, so the next `sitegen import` or `build`
    tries exactly those again. `after` is called with each imported edition's folder
    (see `AfterImport`)."""
    editions = list(dict.fromkeys(editions))
    n = import_jobs(len(editions), jobs)
    if n > 1:
        outcomes = _import_in_workers(config, editions, parse, force, n, after)
    else:
        outcomes = [_attempt(config, e, parse, force, after) for e in editions]
    failures = [o for o in outcomes if isinstance(o, _Failure)]
    if failures:
        raise _combined_error(failures, len(outcomes) - len(failures))
    return [o for o in outcomes if isinstance(o, EditionReport)]


def _combined_error(failures: Sequence[_Failure], imported: int) -> SitegenError:
    first = failures[0]
    if len(failures) == 1 and imported == 0:
        return first.error()
    lines = [first.message]
    lines += [f"  also failed: {f.error()}" for f in failures[1:]]
    lines.append(f"  nothing was written for {wording.count(len(failures), 'failed edition')}; "
                 f"{wording.count(imported, 'other edition')} "
                 f"{'was' if imported == 1 else 'were'} imported")
    return SitegenError("\n".join(lines), first.path, first.line)
