"""Importing pages the parser has never seen, at more than demo scale.

`bench/generate.py` lays out synthetic articles in the real raw format (it is the archive
the scale targets are measured on). Its own functions are wrapped here to record what it
put on each page, so the import can be checked article by article against the truth, not
only for plausibility. Also: the parallel import gives the same files and report as the
serial one, an unchanged edition is not parsed again, and a bad edition does not stop the
others.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from sitegen.config import load_config
from sitegen.content import read_article
from sitegen.errors import SitegenError
from sitegen.importer import (
    POOL_MIN_EDITIONS,
    EditionReport,
    format_report,
    import_editions,
    import_jobs,
    raw_editions,
)
from sitegen.model import Article
from sitegen.parse import page_parser
from sitegen.parse.bylines import ROLE_WORDS, parse_byline

REPO = Path(__file__).resolve().parent.parent
EDITIONS = 4
SEED = 11
"""Four editions (32 pages, ~220 articles): enough layouts for every generator branch
(commentary, photo items, kickers, subtitles, glued bylines, video prompts), quick to parse."""


def load_generator() -> ModuleType:
    """A private copy of `bench/generate.py` (its functions get wrapped below)."""
    spec = importlib.util.spec_from_file_location("_synthetic_generator",
                                                  REPO / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


@dataclass
class TrueArticle:
    kind: str
    paragraphs: list[str]
    headline: str
    byline: str | None = None

    @property
    def parts(self) -> tuple[str | None, str, str | None]:
        """(kicker, title, subtitle) as the generator stacked them: `kicker，` / title /
        subtitle, one chunk each."""
        lines = [h for h in self.headline.split("\n") if h]
        kicker = lines.pop(0) if lines[0].endswith("，") else None
        return kicker, lines[0], lines[1] if len(lines) > 1 else None


@dataclass
class TruePage:
    text: str
    articles: list[TrueArticle] = field(default_factory=list)


def generate_with_truth(out: Path, editions: int, seed: int) -> list[TruePage]:
    """Write the synthetic site and return what the generator put on each page, in the order
    it wrote them (edition by edition, page 01 to 08)."""
    gen = load_generator()
    pages: list[TruePage] = []
    article_text, byline, page_text = gen.article_text, gen.byline, gen.page_text

    def recording_page_text(rng, pools):
        pages.append(TruePage(""))
        pages[-1].text = page_text(rng, pools)
        return pages[-1].text

    def recording_article_text(rng, pools, kind):
        paragraphs, headline = article_text(rng, pools, kind)
        pages[-1].articles.append(TrueArticle(kind, list(paragraphs), headline))
        return paragraphs, headline

    def recording_byline(rng, pools, photo=False):
        text = byline(rng, pools, photo)
        pages[-1].articles[-1].byline = text
        return text

    gen.page_text, gen.article_text, gen.byline = (
        recording_page_text, recording_article_text, recording_byline)
    gen.generate(out, editions, seed)
    return pages


def copy_site(synthetic, target: Path) -> Path:
    """A private copy of the generated raw site, so each test imports into its own folder."""
    source, _ = synthetic
    shutil.copytree(source, target)
    return target

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[TruePage]]:
    site = tmp_path_factory.mktemp("synthetic") / "site"
    return site, generate_with_truth(site, EDITIONS, SEED)


@pytest.fixture(scope="module")
def imported(synthetic, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Path, list[EditionReport]]:
    """The synthetic site imported with two worker processes."""
    site = copy_site(synthetic, tmp_path_factory.mktemp("imported") / "site")
    config = load_config(site)
    return site, import_editions(config, raw_editions(config), page_parser(config.towns), jobs=2)


def imported_articles(site: Path) -> dict[tuple[date, int], list[Article]]:
    """(edition date, page number) → the imported articles of that page, in page order."""
    out: dict[tuple[date, int], list[Article]] = {}
    for folder in sorted(p for p in (site / "content").iterdir() if p.name[:1].isdigit()):
        day = date.fromisoformat(folder.name)
        for path in sorted(folder.glob("*.md")):
            out.setdefault((day, int(path.name[:2])), []).append(read_article(path, day).article)
    return out


def without_spaces(paragraphs: list[str]) -> list[str]:
    return [p.replace(" ", "") for p in paragraphs]


# ------------------------------------------------------------------------- accuracy


def test_every_generated_article_is_imported(synthetic, imported) -> None:
    _, truth = synthetic
    site, reports = imported
    gen = load_generator()
    low, high = gen.ARTICLES_PER_PAGE
    articles = imported_articles(site)
    assert len(articles) == len(truth) == EDITIONS * len(gen.PAGE_NAMES)
    for (key, found), page in zip(sorted(articles.items()), truth, strict=True):
        assert len(found) == len(page.articles), key
        assert low <= len(found) <= high
    assert sum(p.articles for r in reports for p in r.pages) == sum(
        len(p.articles) for p in truth)


def test_generated_articles_come_back_as_generated(synthetic, imported) -> None:
    """Headline parts, kind, bylines and paragraphs equal the generator's.

    Paragraphs are compared without spaces: the generator wraps lines character by
    character, so it breaks inside Latin words (`G|DP`, rejoined as `G DP`: the parser
    takes a break between two letters for a swallowed word space) and at the space of
    `潮企浙里 跨境出海` (the extractor drops a space at a line end). A typesetter does
    neither, and nothing in the raw text could tell the parser."""
    _, truth = synthetic
    site, _ = imported
    found = imported_articles(site)
    roles = set(ROLE_WORDS)
    for (key, articles), page in zip(sorted(found.items()), truth, strict=True):
        for got, want in zip(articles, page.articles, strict=True):
            where = (key, want.parts[1])
            assert (got.kicker, got.title, got.subtitle) == want.parts, where
            assert got.kind == want.kind, where
            assert got.paragraphs and all(got.paragraphs), where
            assert not any("■" in p for p in got.paragraphs), where
            assert without_spaces(got.paragraphs) == without_spaces(want.paragraphs), where
            assert {b.role for b in got.bylines} <= roles, where
            if want.byline:
                assert got.bylines == parse_byline([want.byline]).bylines, where
            if want.kind == "commentary":  # ` ■pen name` before the body
                assert [b.role for b in got.bylines] == ["作者"], where


def test_video_prompts_mark_their_story(synthetic, imported) -> None:
    _, truth = synthetic
    site, _ = imported
    prompts = sum(p.text.count("扫一扫 看视频") for p in truth)
    assert prompts > 0
    assert sum(a.video for arts in imported_articles(site).values() for a in arts) == prompts


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
    bad = editions[1].folder / "03.txt"
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
    page = editions[1].folder / "02.txt"
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
