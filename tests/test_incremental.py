"""Incremental builds: what is re-rendered, what is reused, and that the result is exactly a
cold build's.

Real files and real builds (no mocks): the demo site is copied, built, edited the way an
editor edits it, built again; each incremental result is compared byte for byte with a
cold build of the same content in another folder. Search uses `str.split` as its
segmenter (fast, and the same in both builds); the real segmenter is covered by the
demo build in test_build.py.
"""

from __future__ import annotations

import hashlib
import html
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from conftest import REPO, copy_site

from sitegen.builder import BuildResult, build_site
from sitegen.config import load_config
from sitegen.content.cache import CACHE_DIR
from sitegen.content.files import load_editions
from sitegen.content.markdown_text import escape_paragraph
from sitegen.errors import SitegenError
from sitegen.output import BuildOutput, prune
from sitegen.render.pages import paragraph_html
from sitegen.site.model import site_slugs

ARTICLE = "content/2024-02-03/C01-02-a3-bo-wei-zheng-shi-dui.md"
URL = "2024-02-03/C01/a3-bo-wei-zheng-shi-dui-wai-kai.html"
NEIGHBOURS = {"2024-02-03/C01/chu-dian-teng-fei-you-zhen-zhao.html",
              "2024-02-03/C01/huai-chuai-min-yi-fu-sheng-hui-you.html"}
ZIP = "downloads/2024-02-03.zip"
OLD_DAY = "2023-09-19"


def build(root: Path, workers: int = 2) -> BuildResult:
    return build_site(load_config(root), REPO, cut=str.split, workers=workers)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def cold_snapshot(root: Path, tmp_path: Path) -> dict[str, str]:
    """The build of `root`'s current files in a fresh folder, serially, with no cache."""
    other = tmp_path / "cold" / "site"
    if other.parent.exists():
        shutil.rmtree(other.parent)
    copy_site_files(root, other)
    build(other, workers=1)
    return snapshot(other / "build")


def copy_site_files(root: Path, dest: Path) -> None:
    dest.mkdir(parents=True)
    for name in ("sitegen.toml", "content", "themes"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, dest / name)
        elif source.exists():
            shutil.copy2(source, dest / name)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def age(root: Path) -> None:
    """Date every file of the site back, as if it had been there for a while: only then is
    stat data trusted for the "nothing changed" answer (see cache.SETTLE_SECONDS)."""
    old = 1_600_000_000
    for path in [root / "sitegen.toml", *root.rglob("content/**/*"), *root.rglob("themes/**/*")]:
        if path.is_file():
            os.utime(path, (old, old))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = copy_site(tmp_path / "site")
    age(root)
    first = build(root)
    assert first.rendered and not first.reused  # cold: everything made
    return root


def html_of(result: BuildResult) -> set[str]:
    return {p for p in result.rendered if p.endswith(".html")}


# ------------------------------------------------------------------------------ no change


def test_no_change_answers_without_touching_build(site: Path) -> None:
    before = snapshot(site / "build")
    inode = (site / "build").stat().st_ino
    result = build(site)
    assert result.nothing_changed
    assert re.fullmatch(r"nothing changed \(14 articles\) in \d+\.\d s", result.summary())
    assert (site / "build").stat().st_ino == inode
    assert snapshot(site / "build") == before


def test_touched_files_reuse_every_output(site: Path) -> None:
    """A changed mtime defeats the stat check; the fingerprints then find nothing to do."""
    before = snapshot(site / "build")
    for path in (site / "content" / "2024-02-03").iterdir():
        os.utime(path, (1_700_000_000, 1_700_000_000))
    result = build(site)
    assert not result.nothing_changed
    assert result.rendered == frozenset()
    assert result.written == frozenset()
    assert result.reused == frozenset(before)
    assert snapshot(site / "build") == before
    assert "0 files written" in result.summary()


# ------------------------------------------------------------------------------ edits


def test_editing_a_paragraph_renders_the_pages_that_print_it(site: Path,
                                                              tmp_path: Path) -> None:
    edit(site / ARTICLE, "依海而建、因港而兴", "依海而建、因港而兴旺")
    result = build(site)
    # the opening words are also the teaser on its page (and the front page) and in the
    # feed; the edition's contents page is given the whole edition, teasers included
    assert html_of(result) == {URL, "2024-02-03/C01/index.html", "2024-02-03/index.html",
                               "index.html"}
    assert ZIP in result.rendered
    assert "feed.xml" in result.written
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)

    edit(site / ARTICLE, "填补进口货物泊位通过能力不足造成的缺口。", "填补缺口。")
    result = build(site)
    assert html_of(result) == {URL}  # a later paragraph: only the article's own page
    assert result.rendered == {URL, ZIP}
    assert not any(p.endswith(".html") and p != URL for p in result.written)
    assert "feed.xml" not in result.written
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)


def test_editing_a_title_renders_every_page_that_shows_it(site: Path, tmp_path: Path) -> None:
    # still the same slug (only the first 8 syllables make it), so the URL stays
    edit(site / ARTICLE, "title: A3泊位正式对外开放", "title: A3泊位正式对外开放了")
    result = build(site)
    assert html_of(result) == {
        URL, *NEIGHBOURS,  # 上一篇 / 下一篇 print the title
        "2024-02-03/C01/index.html", "2024-02-03/index.html", "index.html",  # lists
        "reporters/xu-bing-yan.html", "reporters/qian-cheng-rong.html",  # its bylines
        "towns/du-shan-gang-zhen.html",  # its town
    }
    assert ZIP in result.rendered
    assert f"downloads/{OLD_DAY}.zip" in result.reused
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)


def test_adding_an_edition_equals_a_cold_build(site: Path, tmp_path: Path) -> None:
    new_day = "2024-02-04"
    copy_edition(site, new_day, 12482)
    result = build(site)
    rendered = html_of(result)
    assert {p for p in snapshot(site / "build") if p.startswith(f"{new_day}/")} <= rendered
    assert f"downloads/{new_day}.zip" in result.rendered
    # the previous latest edition's pages show 后一期 and leave the front section
    assert "2024-02-03/index.html" in rendered and "2024-02-03/C01/index.html" in rendered
    assert {"index.html", "archive/index.html"} <= rendered
    # an older edition is untouched, its offline copy included
    assert not any(p.startswith(f"{OLD_DAY}/") for p in rendered)
    assert f"downloads/{OLD_DAY}.zip" in result.reused
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)


def copy_edition(site: Path, day: str, number: int) -> None:
    """A new edition `day`: 2024-02-03's articles, dated `day`, numbered `number`."""
    target = site / "content" / day
    shutil.copytree(site / "content" / "2024-02-03", target)
    for path in target.glob("*.md"):
        edit(path, "date: 2024-02-03", f"date: {day}")
    edit(target / "edition.yaml", "12481", str(number))


def test_search_packs_follow_the_months(site: Path, tmp_path: Path) -> None:
    """A new month's first edition moves the previous latest month into its year's pack
    (made from the cached parts), an edit in that pack rewrites it and nothing else of the
    search data, a pack file gone from build/ is made again: each time exactly a cold
    build's bytes."""
    search = "assets/search/"

    def search_written(result: BuildResult) -> set[str]:
        # (the term directory, t/, is written where a pack's vocabulary changed: a new
        # pack adds a column to every file; its bytes are checked against the cold build)
        return {p.removeprefix(search).split("/")[0] for p in result.written
                if p.startswith(search) and "/docs/" not in p} - {"t"}

    copy_edition(site, "2024-03-01", 12490)
    assert search_written(build(site)) == {"2024-03"}  # 2024-02 is a pack as it was
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)
    copy_edition(site, "2024-04-01", 12491)
    assert search_written(build(site)) == {"2024-02_03", "2024-04"}
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)
    edit(site / ARTICLE, "依海而建", "靠海而建")
    assert search_written(build(site)) == {"2024-02_03"}
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)
    before = snapshot(site / "build")
    light = site / "build" / search / "2024-02_03" / "0.js"
    heavy = next((site / "build" / search / "2024-02_03").glob("h/*.js"), None)
    light.unlink()
    if heavy is not None:
        heavy.unlink()
    os.utime(site / ARTICLE, (1_700_000_000, 1_700_000_000))  # so the build looks
    build(site)
    assert snapshot(site / "build") == before


def test_changing_a_template_renders_the_pages_that_use_it(site: Path, tmp_path: Path) -> None:
    template = site / "themes/default/templates/town.html"
    edit(template, '<h1 class="section-title">{{ name }}</h1>',
         '<h1 class="section-title">{{ name }}（镇街道）</h1>')
    result = build(site)
    towns = {p for p in snapshot(site / "build") if re.fullmatch(r"towns/.+\.html", p)}
    assert html_of(result) == towns - {"towns/index.html"}
    # every offline copy has town pages
    assert {p for p in result.rendered if p.endswith(".zip")} == {
        f"downloads/{OLD_DAY}.zip", ZIP}
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)

    edit(site / "themes/default/templates/_macros.html", "版面导航", "本期版面")
    result = build(site)
    users = {p for p in snapshot(site / "build")
             if re.fullmatch(r"\d{4}-\d\d-\d\d/(index|\d\d/index)\.html", p)}
    # _macros.html is imported by the article, town and reporter pages too
    assert users | {"index.html"} <= html_of(result)
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)


def test_deleting_an_article_removes_its_page(site: Path, tmp_path: Path) -> None:
    (site / ARTICLE).unlink()
    result = build(site)
    assert not (site / "build" / URL).exists()
    assert URL not in result.reused | result.written
    assert html_of(result) >= NEIGHBOURS
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)


def test_a_recycled_staging_folder_loses_what_the_site_no_longer_has(site: Path,
                                                                    tmp_path: Path) -> None:
    """The third build builds into the first one's folder (the spare), which still has the
    article deleted since: the published site has it no more, as a cold build would not."""
    first = (site / "build").stat().st_ino
    edit(site / ARTICLE, "依海而建", "靠海而建")
    build(site)
    (site / ARTICLE).unlink()
    build(site)
    assert (site / "build").stat().st_ino == first  # recycled
    assert not (site / "build" / URL).exists()
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)


def test_a_recycled_folder_gives_way_where_files_and_folders_swapped(tmp_path: Path) -> None:
    """Where the layout changed between builds, a recycled folder has a file where a folder
    must be, or a folder where a file must be: both are replaced, nothing written into."""
    previous, staging = tmp_path / "previous", tmp_path / "staging"
    (previous / "a").mkdir(parents=True)
    (previous / "a" / "x.html").write_text("x", encoding="utf-8")
    (staging / "b.html").mkdir(parents=True)
    (staging / "b.html" / "old.html").write_text("old", encoding="utf-8")
    (staging / "a").write_text("a file", encoding="utf-8")
    out = BuildOutput(staging, previous, recycled=True)
    assert out.reuse("a/x.html")
    out.write_bytes("b.html", b"new")
    assert (staging / "a" / "x.html").stat().st_ino == (previous / "a" / "x.html").stat().st_ino
    assert (staging / "b.html").read_bytes() == b"new"
    assert out.reused_paths == {"a/x.html"} and out.written_paths == {"b.html"}


def test_pruning_deletes_the_files_not_kept_and_the_folders_left_empty(tmp_path: Path) -> None:
    for rel in ("index.html", "a/index.html", "a/old.js", "b/c/d/gone.html", "b/e.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel, encoding="utf-8")
    assert prune(tmp_path, {"index.html", "a/index.html", "b/e.html"}) == 2
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert left == ["a", "a/index.html", "b", "b/e.html", "index.html"]


def test_a_recycled_folder_never_writes_into_a_published_file(tmp_path: Path) -> None:
    """A changed file that is a hard link to the published one gets a new inode (the
    published bytes stay); one only the recycled folder has is rewritten where it is."""
    previous, staging = tmp_path / "previous", tmp_path / "staging"
    previous.mkdir()
    staging.mkdir()
    (previous / "shared.html").write_bytes(b"published")
    os.link(previous / "shared.html", staging / "shared.html")
    (staging / "own.html").write_bytes(b"two builds old")
    own = (staging / "own.html").stat().st_ino
    out = BuildOutput(staging, previous, recycled=True)
    out.write_bytes("shared.html", b"new")
    out.write_bytes("own.html", b"new too")
    assert (previous / "shared.html").read_bytes() == b"published"
    assert (staging / "shared.html").read_bytes() == b"new"
    assert (staging / "shared.html").stat().st_nlink == 1
    assert (staging / "own.html").read_bytes() == b"new too"
    assert (staging / "own.html").stat().st_ino == own


# ------------------------------------------------------------------------------ robustness


def test_a_corrupt_cache_is_ignored(site: Path, tmp_path: Path) -> None:
    edit(site / ARTICLE, "填补进口货物泊位通过能力不足造成的缺口。", "填补缺口。")
    for path in (site / CACHE_DIR).rglob("*"):
        if path.is_file():
            path.write_bytes(b"\x80\x05not a pickle" if path.stat().st_size % 2 else b"")
    result = build(site)
    assert result.rendered  # nothing trusted
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)
    assert build(site).rendered == frozenset()  # and the cache is whole again


def test_a_failed_build_keeps_the_previous_site_and_cache(site: Path) -> None:
    before = snapshot(site / "build")
    good = (site / ARTICLE).read_text(encoding="utf-8")
    edit(site / ARTICLE, "title: A3泊位正式对外开放\n", "title: [unclosed\n")
    with pytest.raises(SitegenError) as info:
        build(site)
    assert info.value.path == site / ARTICLE and info.value.line is not None
    assert snapshot(site / "build") == before
    assert not [p for p in site.iterdir() if p.name.startswith(".build-")]
    (site / ARTICLE).write_text(good, encoding="utf-8")
    result = build(site)
    assert result.rendered == frozenset()  # the stored fingerprints still describe build/
    assert snapshot(site / "build") == before


def test_a_change_that_keeps_size_and_mtime_is_seen_in_fresh_files(tmp_path: Path) -> None:
    """Files written just before a build (an import) cannot be trusted by stat data: an
    edit within the same timestamp tick keeps size and mtime. They are checked by hash."""
    root = copy_site(tmp_path / "site")
    article = root / ARTICLE
    text = article.read_text(encoding="utf-8")
    article.write_text(text, encoding="utf-8")  # fresh: modified just now
    build(root)
    st = article.stat()
    article.write_text(text.replace("依海而建", "靠海而建"), encoding="utf-8")  # same size
    os.utime(article, ns=(st.st_atime_ns, st.st_mtime_ns))
    result = build(root)
    assert not result.nothing_changed
    assert URL in result.rendered
    assert "靠海而建" in (root / "build" / URL).read_text(encoding="utf-8")


def test_files_missing_from_the_previous_build_are_made_again(site: Path) -> None:
    before = snapshot(site / "build")
    search = site / "build" / "assets" / "search"
    shard, doc = (min(p for p in search.rglob("*.js") if ("docs" in p.parts) == is_doc)
                  for is_doc in (False, True))
    for rel in (URL, ZIP, "reporters/xu-bing-yan.html"):
        (site / "build" / rel).unlink()
    shard.unlink()
    doc.unlink()
    os.utime(site / ARTICLE, (1_700_000_000, 1_700_000_000))  # so the build looks
    result = build(site)
    assert {URL, ZIP, "reporters/xu-bing-yan.html"} <= result.rendered
    assert snapshot(site / "build") == before


def test_a_deleted_build_folder_is_rebuilt(site: Path) -> None:
    before = snapshot(site / "build")
    shutil.rmtree(site / "build")
    result = build(site)
    assert not result.nothing_changed and not result.reused
    assert snapshot(site / "build") == before


def test_parallel_and_serial_builds_are_identical(site: Path, tmp_path: Path) -> None:
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)


# ------------------------------------------------------------------------------ CLI


def test_cli_prints_a_summary_and_no_progress_bar_off_a_terminal(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    age(root)

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "sitegen.cli", "build", "--site",
                               str(root)], capture_output=True, text=True, timeout=300)

    first, second = run(), run()
    assert first.returncode == 0, first.stderr
    assert re.fullmatch(r"built .*build/: 2 editions, 14 articles; \d+ files written, 0 "
                        r"reused; \d+\.\d s\n", first.stdout)
    assert first.stderr == ""  # no bar: stderr is not a terminal
    assert re.fullmatch(r"nothing changed \(14 articles\) in \d+\.\d s\n", second.stdout)


# ------------------------------------------------------------------------------ rendering


def test_remembered_slugs_equal_fresh_ones(site: Path) -> None:
    config = load_config(site)
    editions = load_editions(site / "content")
    memo: dict = {}
    assert site_slugs(editions, config, memo) == site_slugs(editions, config)
    assert memo and site_slugs(editions, config, memo) == site_slugs(editions, config)


def test_paragraphs_render_as_python_markdown_did() -> None:
    """The body renderer (render.paragraph_html) prints a paragraph's text literally, which
    is what `escape_paragraph` + Python-Markdown (raw HTML disabled) gave and what the content
    files promise: checked against Markdown itself on every demo paragraph and on random
    strings of CJK, ASCII punctuation and white space. Markdown strays from that contract
    in ways the renderer does not follow: `<http://…>`/`<a@b>` become links, tabs become
    spaces, and `&9b1;` (not an entity) is left unescaped."""
    md = markdown.Markdown(extensions=[], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")

    def reference(text: str) -> str:
        md.reset()
        return md.convert(escape_paragraph(text))

    paragraphs = [p for ed in load_editions(REPO / "content") for a in ed.articles
                  for p in a.article.paragraphs]
    pool = list("平湖日报，。、；：！？“”（）《》abcXYZ0189 \t\u3000\u00a0\n") + list(
        "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") + ["&amp;", "&#42;", "&copy;", "\\*", "1. "]
    rng = random.Random(7)
    samples = paragraphs + ["".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))
                            for _ in range(20000)]
    compared = 0
    for text in samples:
        line = " ".join(text.split("\n")).strip()
        assert paragraph_html(text) == (f"<p>{html.escape(line, quote=False)}</p>" if line
                                        else ""), text
        if "\t" not in line and not re.search(r"<[^<>]*[@:][^<>]*>|&[0-9][0-9A-Za-z]*;", line):
            compared += 1
            assert paragraph_html(text) == reference(text), text
    assert compared > len(samples) * 3 // 4


# ------------------------------------------------------------------------------ CI's cache


def _restore(site: Path, tmp_path: Path) -> None:
    """What CI does between runs: build/ archived with the cache and unpacked in a new
    run, so the same files in a new folder (a new inode, copies rather than links)."""
    copy = tmp_path / "restored"
    shutil.copytree(site / "build", copy)
    shutil.rmtree(site / "build")
    shutil.move(copy, site / "build")


def test_a_restored_copy_of_build_is_the_last_build(site: Path, tmp_path: Path) -> None:
    _restore(site, tmp_path)
    assert build(site).nothing_changed
    _restore(site, tmp_path)
    edit(site / ARTICLE, "填补进口货物泊位通过能力不足造成的缺口。", "填补缺口。")
    result = build(site)
    assert result.rendered == {URL, ZIP}  # incremental, as if build/ had never moved
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)

    _restore(site, tmp_path)
    (site / "build" / "stray.html").write_text("not from a build", encoding="utf-8")
    edit(site / ARTICLE, "填补缺口。", "填补进口货物泊位通过能力不足造成的缺口。")
    result = build(site)  # other files than the last build wrote: not trusted, all made
    assert {URL, "index.html", f"{OLD_DAY}/index.html"} <= result.rendered
    assert snapshot(site / "build") == cold_snapshot(site, tmp_path)
