"""Importing pages the parser has never seen, at more than demo scale.

`bench/generate.py` lays out synthetic editions in the real raw format (it is the archive
the scale targets are measured on): every page of an edition, from page one's hard news to
a feature, a 简讯 column, wire copy, notices and ads and a 副刊 page. It returns what it put
on each page, so the import is checked article by article, field by field, against the
truth, not only for plausibility. Also: the parallel import gives the same files and report
as the serial one, an unchanged edition is not parsed again, and a bad edition does not
stop the others.
"""

from __future__ import annotations

import shutil
import threading
from collections import Counter
from pathlib import Path

import pytest
from archive import load_generator

from sitegen.config import load_config
from sitegen.content.files import edition_dirs, read_edition
from sitegen.content.model import StoredArticle
from sitegen.errors import SitegenError
from sitegen.ingest.importer import POOL_MIN_EDITIONS, import_editions, import_jobs
from sitegen.ingest.parse import page_parser
from sitegen.ingest.raw import raw_editions
from sitegen.ingest.report import EditionReport, format_report

REPO = Path(__file__).resolve().parent.parent
EDITIONS = 4
SEED = 11
"""Four editions (32 pages, 187 articles; the first numbered 01–08, the others A01–A08):
quick to parse, and with this seed every structure the generator writes occurs at least
once (`test_the_archive_holds_every_structure`; the comparison holds for any seed, as runs
of 60 and 365 editions showed, but not every seed of four editions prints a 公告)."""


def copy_site(synthetic, target: Path) -> Path:
    """A private copy of the generated raw site, so each test imports into its own folder."""
    shutil.copytree(synthetic[0], target)
    return target


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list, Counter]:
    """The generated site, the generator's truth (one `EditionTruth` per edition) and how
    many of each structure it wrote."""
    site = tmp_path_factory.mktemp("synthetic") / "site"
    counts: Counter[str] = Counter()
    truth = load_generator().generate_with_truth(site, EDITIONS, SEED, counts=counts)
    return site, truth, counts


@pytest.fixture(scope="module")
def imported(synthetic, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Path, list[EditionReport]]:
    """The synthetic site imported with two worker processes."""
    site = copy_site(synthetic, tmp_path_factory.mktemp("imported") / "site")
    config = load_config(site)
    return site, import_editions(config, raw_editions(config), page_parser(config.towns), jobs=2)


# ------------------------------------------------------------------------- accuracy


def stored_fields(stored: StoredArticle) -> dict[str, object]:
    """An imported article as the generator's truth spells it."""
    a = stored.article
    return {
        "kind": a.kind, "kicker": a.kicker, "title": a.title, "subtitle": a.subtitle,
        "dateline": a.dateline, "bylines": [(b.role, b.name) for b in a.bylines],
        "paragraphs": a.paragraphs, "captions": a.captions, "video": a.video,
        "lead": a.lead, "editor_note": a.editor_note, "column": a.column, "source": a.source,
        "headings": [(h.before, h.text) for h in a.headings],
        "quotes": [(q.text, q.source) for q in a.quotes],
        "continued_to": a.continued_to, "continued_from": a.continued_from,
        "verse": a.verse, "pages": stored.pages,
    }


def true_fields(story) -> dict[str, object]:
    return {key: getattr(story, key) for key in (
        "kind", "kicker", "title", "subtitle", "dateline", "bylines", "paragraphs",
        "captions", "video", "lead", "editor_note", "column", "source", "headings", "quotes",
        "continued_to", "continued_from", "verse", "pages")}


def first_difference(have: object, want: object) -> str:
    """`have != want`, shown where they part (paragraph lists are long)."""
    if isinstance(have, list | tuple) and isinstance(want, list | tuple):
        for i, (a, b) in enumerate(zip(have, want, strict=False)):
            if a != b:
                return f"[{i}] {a!r} != {b!r} (of {len(have)} and {len(want)})"
        return f"{len(have)} items != {len(want)}: {have!r} != {want!r}"
    return f"{have!r} != {want!r}"


def differences(truth: list, site: Path) -> list[str]:
    """Every way the imported site differs from what the generator wrote, one line each
    (empty: every edition, page, article, extra and continuation came back exactly)."""
    out: list[str] = []
    folders = {p.name: p for p in edition_dirs(site / "content")}
    for edition in truth:
        day = edition.date.isoformat()
        if day not in folders:
            out.append(f"{day}: not imported")
            continue
        stored = read_edition(folders[day])
        if stored.number != edition.number:
            out.append(f"{day}: number {stored.number} != {edition.number}")
        labels = [p.label for p in stored.pages]
        if labels != [p.label for p in edition.pages]:
            out.append(f"{day}: pages {labels} != {[p.label for p in edition.pages]}")
            continue
        for page, want in zip(stored.pages, edition.pages, strict=True):
            where = f"{day} {page.label}"
            meta = page.meta
            if meta.name != want.name:
                out.append(f"{where}: name {meta.name!r} != {want.name!r}")
            extras = [(e.kind, e.text) for e in meta.extras]
            if extras != want.extras:
                out.append(f"{where}: extras {extras} != {want.extras}")
            if meta.unassigned_bylines:
                out.append(f"{where}: unassigned bylines {meta.unassigned_bylines}")
            continuations = [(c.continued_from, c.article, c.title, c.repeated_title)
                             for c in meta.continuations]
            wanted = [(c.continued_from, c.article, c.title, c.repeated_title)
                      for c in want.continuations]
            if continuations != wanted:
                out.append(f"{where}: continuations {continuations} != {wanted}")
            if len(page.articles) != len(want.stories):
                titles = [a.article.title for a in page.articles]
                out.append(f"{where}: {len(page.articles)} articles != {len(want.stories)}: "
                           f"{titles} != {[s.title for s in want.stories]}")
                continue
            for got, story in zip(page.articles, want.stories, strict=True):
                have, expect = stored_fields(got), true_fields(story)
                for key in expect:
                    if have[key] != expect[key]:
                        out.append(f"{where} {got.key} {story.title!r}: {key} "
                                   + first_difference(have[key], expect[key]))
    return out


def test_every_generated_article_comes_back_exactly(synthetic, imported) -> None:
    """Every field of every article (headline parts, kind, dateline and agency, bylines
    with their roles, paragraphs, lead, editor's note, intertitles, quote boxes, column,
    verse, jumps and the pages a jumped story is printed on), every page's extras (weather,
    notices, ads) and continuations equal what the generator laid out. Paragraphs are
    compared exactly: the generator breaks lines where a typesetter does (never inside a
    Latin word or at a word space), so the raw text holds everything the parser needs.
    The generator keeps clear of the few layouts the parser is known to read otherwise
    (`docs/parser-notes.md`, "Synthetic pages"), and `--stats` says how often it had to."""
    _, truth, _ = synthetic
    site, reports = imported
    assert differences(truth, site) == []
    assert sum(p.articles for r in reports for p in r.pages) == sum(
        len(p.stories) for e in truth for p in e.pages)
    pages = [p for r in reports for p in r.pages]
    assert not any(p.unmatched_jumps or p.unassigned_bylines for p in pages)
    # nothing dropped but the video prompts, each of which marked its story
    assert [d for p in pages for d in p.dropped if "video prompt" not in d] == []
    assert sum(len(p.dropped) for p in pages) == sum(
        s.video for e in truth for p in e.pages for s in p.stories) > 0


STRUCTURES = (
    "editions, pages numbered 01", "editions, pages labelled A01", "articles: news",
    "articles: commentary", "articles: photo", "articles: brief", "articles: literary",
    "features (lead, intertitles, quote box)", "intertitles", "quote boxes",
    "jumps joined across pages", "brief columns", "brief lead phrases: space",
    "brief lead phrases: stop", "brief lead phrases: none", "wire datelines",
    "wire stories ending 据新华社", "editor's notes", "本报评论员 commentaries",
    "notices: 遗失声明", "notices: 招聘启事", "notices: 公告", "ads", "weather boxes",
    "poems, title first", "poems, title last", "photo works (文/图)",
    "doubled display titles", "bodies glued under the headline above (frame mark)",
    "video prompts", "column breaks inside a paragraph")
"""What the generator counts as it writes (`--stats`); the archive above must hold each."""


def test_the_archive_holds_every_structure(synthetic) -> None:
    """The small archive above exercises each structure the generator writes (so the exact
    comparison covers them), in both page namings."""
    _, truth, counts = synthetic
    assert [key for key in STRUCTURES if not counts[key]] == []
    stories = [s for e in truth for p in e.pages for s in p.stories]
    assert any(s.pages and s.pages[0] == "01" for s in stories)  # a jump between 01 and 02
    assert any(s.pages and s.pages[0] == "A01" for s in stories)


# ------------------------------------------------------------------------- parallel import


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted((site / "content").rglob("*")) if p.is_file()}


def test_parallel_import_writes_what_a_serial_import_writes(synthetic, imported,
                                                            tmp_path: Path) -> None:
    parallel_site, parallel_reports = imported
    site = copy_site(synthetic, tmp_path / "serial")
    config = load_config(site)
    reports = import_editions(config, raw_editions(config), page_parser(config.towns), jobs=1)
    assert snapshot(site) == snapshot(parallel_site)
    assert format_report(reports) == format_report(parallel_reports)
    assert [r.date for r in reports] == sorted(r.date for r in reports)


def test_small_imports_and_threaded_processes_use_no_workers(monkeypatch) -> None:
    monkeypatch.delenv("SITEGEN_IMPORT_JOBS", raising=False)
    assert import_jobs(1) == import_jobs(POOL_MIN_EDITIONS - 1) == 1
    assert import_jobs(365, jobs=3) == 3
    assert import_jobs(2, jobs=8) == 2  # never more workers than editions
    monkeypatch.setenv("SITEGEN_IMPORT_JOBS", "1")
    assert import_jobs(365) == 1
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:  # e.g. `sitegen serve` rebuilding: forking a threaded process is unsafe
        assert import_jobs(365, jobs=2) == 1
    finally:
        stop.set()
        thread.join()


def test_bad_page_fails_its_edition_only_and_names_the_file(synthetic, tmp_path: Path) -> None:
    site = copy_site(synthetic, tmp_path / "site")
    config = load_config(site)
    editions = raw_editions(config)
    bad = editions[1].folder / "A03.txt"
    bad.write_bytes(b"\x00\x01binary")
    with pytest.raises(SitegenError) as caught:
        import_editions(config, editions, page_parser(config.towns), jobs=2)
    assert caught.value.path == bad
    assert "binary" in str(caught.value)
    assert f"{len(editions) - 1} other editions were imported" in str(caught.value)
    imported_days = sorted(p.name for p in (site / "content").iterdir() if p.name[:1].isdigit())
    assert imported_days == [e.date.isoformat() for e in editions if e is not editions[1]]


# ------------------------------------------------------------------------- unchanged input


class Counting:
    """A page parser that counts its calls (and keeps the real parser's fingerprint)."""

    def __init__(self, config) -> None:
        self.inner = page_parser(config.towns)
        self.fingerprint = self.inner.fingerprint
        self.calls = 0

    def __call__(self, text: str, name: str):
        self.calls += 1
        return self.inner(text, name)


def test_reimport_of_unchanged_raw_pages_skips_the_parse(synthetic, tmp_path: Path) -> None:
    site = copy_site(synthetic, tmp_path / "site")
    config = load_config(site)
    editions = raw_editions(config)[:2]
    first = import_editions(config, editions, Counting(config), jobs=1)
    before = snapshot(site)
    folder = site / "content" / editions[0].date.isoformat()
    edited = sorted(folder.glob("*.md"))[0]
    edited.write_text(edited.read_text("utf-8") + "\n编辑加的一段。\n", encoding="utf-8")

    parse = Counting(config)
    again = import_editions(config, editions, parse, jobs=1)
    assert parse.calls == 0
    assert [r.pages for r in again] == [r.pages for r in first]  # the review list is reprinted
    assert again[0].kept_edited == [edited.name] and again[0].written == []
    assert again[1].written == [] and len(again[1].unchanged) == len(first[1].written)
    full = page_parser(config.towns)
    parsed_again = import_editions(  # a plain function has no fingerprint: it parses
        config, editions, lambda text, name: full(text, name), jobs=1)
    assert format_report(again) == format_report(parsed_again)  # as if it had parsed

    # The fingerprints are a cache: without it, everything is parsed again.
    shutil.rmtree(site / ".sitegen-cache")
    parse = Counting(config)
    import_editions(config, editions, parse, jobs=1)
    assert parse.calls == 16

    # A changed raw page re-parses its own edition (all 8 pages), and only that one.
    page = editions[1].folder / "A02.txt"
    page.write_text(page.read_text("utf-8").replace("本报讯", "本报讯 ", 1), encoding="utf-8")
    parse = Counting(config)
    import_editions(config, editions, parse, jobs=1)
    assert parse.calls == 8
    # `force` always parses, and rewrites the edited file.
    parse = Counting(config)
    import_editions(config, editions[:1], parse, force=True, jobs=1)
    assert parse.calls == 8
    assert snapshot(site)[edited.relative_to(site).as_posix()] == before[
        edited.relative_to(site).as_posix()]


def test_parser_without_fingerprint_always_parses(synthetic, tmp_path: Path) -> None:
    site = copy_site(synthetic, tmp_path / "site")
    config = load_config(site)
    editions = raw_editions(config)[:1]
    inner = page_parser(config.towns)
    calls: list[str] = []

    def parse(text: str, name: str):
        calls.append(name)
        return inner(text, name)

    import_editions(config, editions, parse, jobs=1)
    import_editions(config, editions, parse, jobs=1)
    assert len(calls) == 16
