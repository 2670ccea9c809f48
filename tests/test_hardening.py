"""Issue 15: what an attacker or a careless editor can put in a site, case by case.

Every case runs the real command line (`sitegen check`, then `sitegen build`) on a copy of
the built demo site. A case the build must refuse gives a `sitegen: error:` line naming the
file (and line where there is one) and exit status 1, `check` finds it first (exit 1), the
previous `build/` is byte-identical afterwards, and nothing outside `build/` is written
(the site's files and the folder around it are as they were; the private cache may be).
The cases that are now accepted (an edition dated 2108, a 300-letter name, UTF-16 with a
byte-order mark, …) build and publish what they should.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pytest
from conftest import copy_site, loopback_server

from sitegen.cli import main
from sitegen.serve import PreviewHandler, ServerState

SECRET = "SECRET-FROM-OUTSIDE-THE-SITE"
DAY = "2024-02-03"


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Relative path -> sha256 of every file under `folder` (symlinks as their target),
    leaving out top-level entries named in `skip`."""
    out = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if rel.parts[0] in skip:
            continue
        if path.is_symlink():
            out[rel.as_posix()] = "-> " + os.readlink(path)
        elif path.is_file():
            out[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            out[rel.as_posix() + "/"] = ""
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, built once for this module (copied for each case)."""
    root = copy_site(tmp_path_factory.mktemp("hardening") / "site")
    assert main(["build", "--site", str(root)]) == 0
    return root


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    outside = tmp_path / "outside"
    (outside / "static").mkdir(parents=True)
    (outside / "static" / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "theme.html").write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    return root


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------------------------------ helpers


def article(site: Path, key: str = "C01-01") -> Path:
    return next((site / "content" / DAY).glob(f"{key}-*.md"))


def line_of(path: Path, start: str) -> int:
    """1-based number of the first line of `path` starting with `start`."""
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(start))


def set_line(path: Path, start: str, new: str) -> int:
    """Replace the first line starting with `start` by `new`; its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    n = next(i for i, line in enumerate(lines) if line.startswith(start))
    lines[n] = new
    path.write_text("\n".join(lines), encoding="utf-8")
    return n + 1


def setting(site: Path, text: str) -> int:
    """Add `text` to the [site] table of sitegen.toml; the line it is on."""
    return set_line(site / "sitegen.toml", "description = ",
                    f'description = "平湖日报数字报"\n{text}') + 1


def pending(site: Path) -> Path:
    """Make the demo edition's raw folder one the build imports (its content removed from
    content/, as before its first import); the raw folder."""
    shutil.rmtree(site / "content" / DAY)
    return site / "content" / "raw" / DAY


def relink(path: Path, target: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target)


# ------------------------------------------------------------------------------ refused


@dataclass(frozen=True)
class Refused:
    """What the command line must say: `sitegen: error: {file}[:{line}]: …{message}…`."""

    file: Path
    line: int | None
    message: str


Mutation = Callable[[Path], Refused]


def theme_outside(site: Path) -> Refused:
    n = setting(site, 'theme = "../../outside"')
    return Refused(site / "sitegen.toml", n, "site.theme must be a theme name")


def theme_absolute(site: Path) -> Refused:
    n = setting(site, 'theme = "/etc"')
    return Refused(site / "sitegen.toml", n, "site.theme must be a theme name")


def static_symlink(site: Path) -> Refused:
    link = site / "themes/default/static/leak.txt"
    link.symlink_to(site.parent / "outside" / "secret.txt")
    return Refused(link, None, "theme file leads outside the site")


def static_folder_symlink(site: Path) -> Refused:
    link = site / "themes/default/static/more"
    link.symlink_to(site.parent / "outside" / "static")
    return Refused(link, None, "theme file leads outside the site")


def template_symlink(site: Path) -> Refused:
    link = site / "themes/default/templates/404.html"
    relink(link, site.parent / "outside" / "theme.html")
    return Refused(link, None, "template leads outside the site")


def content_symlink(site: Path) -> Refused:
    path = article(site)
    shutil.copy(path, site.parent / "outside" / "article.md")
    relink(path, site.parent / "outside" / "article.md")
    return Refused(path, None, "content file leads outside the site")


def edition_symlink(site: Path) -> Refused:
    folder = site / "content" / DAY
    shutil.copytree(folder, site.parent / "outside" / DAY)
    relink(folder, site.parent / "outside" / DAY)
    return Refused(folder, None, "edition folder leads outside the site")


def raw_symlink(site: Path) -> Refused:
    page = pending(site) / "C01.txt"
    shutil.copy(page, site.parent / "outside" / "C01.txt")
    relink(page, site.parent / "outside" / "C01.txt")
    return Refused(page, None, "raw page leads outside the site")


def all_articles_deleted(site: Path) -> Refused:
    for path in (site / "content" / DAY).glob("*.md"):
        path.unlink()
    return Refused(site / "content" / DAY, None, "no articles in this edition")


def nul_in_byline(site: Path) -> Refused:
    path = article(site)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: 林旭东", 'name: "林\\0旭东"'), encoding="utf-8")
    return Refused(path, line_of(path, "bylines:"), "control character U+0000")


def nul_in_body(site: Path) -> Refused:
    path = article(site)
    path.write_text(path.read_text(encoding="utf-8") + "\n坏\x00字\n", encoding="utf-8")
    return Refused(path, len(path.read_text(encoding="utf-8").split("\n")) - 1,
                   "control character U+0000")


def feed_size_text(site: Path) -> Refused:
    n = setting(site, 'feed_size = "abc"')
    return Refused(site / "sitegen.toml", n, "site.feed_size must be a whole number")


def towns_number(site: Path) -> Refused:
    config = site / "sitegen.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text("towns = 5\n" + text[:text.index("[[towns]]")], encoding="utf-8")
    return Refused(config, 1, "towns must be a list of [[towns]] tables")


def javascript_base_url(site: Path) -> Refused:
    n = set_line(site / "sitegen.toml", "base_url = ", 'base_url = "javascript:alert(1)//"')
    return Refused(site / "sitegen.toml", n, "site.base_url must be an http:// or https://")


def list_size_float(site: Path) -> Refused:
    n = setting(site, "list_size = 1.5")
    return Refused(site / "sitegen.toml", n, "site.list_size must be a whole number")


def unknown_setting(site: Path) -> Refused:
    n = setting(site, "feedsize = 20")
    return Refused(site / "sitegen.toml", n, "unknown setting site.feedsize")


def title_yes(site: Path) -> Refused:
    n = set_line(article(site), "title:", "title: yes")
    return Refused(article(site), n, "title must be text (YAML read a true/false value")


def title_nan(site: Path) -> Refused:
    n = set_line(article(site), "title:", "title: .nan")
    return Refused(article(site), n, "title must be text (YAML read a number")


def title_blank(site: Path) -> Refused:
    n = set_line(article(site), "title:", "title: '   '")
    return Refused(article(site), n, "blank title")


def duplicate_order(site: Path) -> Refused:
    n = set_line(article(site, "C01-02"), "order:", "order: 1")
    return Refused(article(site, "C01-02"), n, "order 1 is also the order of C01-01-")


def empty_role(site: Path) -> Refused:
    path = article(site)
    path.write_text(path.read_text(encoding="utf-8").replace("role: 记者", "role: ''", 1),
                    encoding="utf-8")
    return Refused(path, line_of(path, "bylines:"), "entry 1 has an empty role")


def negative_number_raw(site: Path) -> Refused:
    meta = pending(site) / "edition.toml"
    n = set_line(meta, "number = ", "number = -12481")
    return Refused(meta, n, "number must be a positive whole number")


def negative_number_content(site: Path) -> Refused:
    meta = site / "content" / DAY / "edition.yaml"
    meta.write_text("number: -12481\n", encoding="utf-8")
    return Refused(meta, 1, "number must be a positive whole number")


def page_00(site: Path) -> Refused:
    raw = pending(site)
    (raw / "C01.txt").rename(raw / "00.txt")
    (raw / "edition.toml").write_text("number = 12481\n", encoding="utf-8")
    return Refused(raw / "00.txt", None, "raw pages are named by their page label")


def arabic_indic_digits(site: Path) -> Refused:
    raw = pending(site)
    (raw / "C01.txt").rename(raw / "C٠١.txt")
    return Refused(raw / "C٠١.txt", None, "raw pages are named by their page label")


def name_ending_in_newline(site: Path) -> Refused:
    raw = pending(site)
    (raw / "C01.txt").rename(raw / "C01.txt\n")
    return Refused(raw / "C01.txt\\x0a", None, "raw pages are named by their page label")


def hidden_raw_folder(site: Path) -> Refused:
    raw = pending(site)
    raw.rename(raw.with_name("." + DAY))
    return Refused(raw.with_name("." + DAY), None, "edition folder must be named YYYY-MM-DD")


def utf16_without_bom(site: Path) -> Refused:
    page = pending(site) / "C01.txt"
    page.write_bytes(page.read_text(encoding="utf-8").encode("utf-16-le"))
    return Refused(page, None, "UTF-16 text without a byte-order mark")


def page_of_10_megabytes(site: Path) -> Refused:
    page = pending(site) / "C01.txt"
    page.write_text("平湖" * 1_750_000, encoding="utf-8")  # 10.5 MB on one line
    return Refused(page, None, "too large for a page: 10,500,000 bytes")


def line_of_800000_characters(site: Path) -> Refused:
    page = pending(site) / "C01.txt"
    page.write_text(page.read_text(encoding="utf-8") + "x" * 800_000 + "\n", encoding="utf-8")
    return Refused(page, None, "too large for a page")


def body_too_large(site: Path) -> Refused:
    path = article(site)
    path.write_text(path.read_text(encoding="utf-8") + "平" * 200_000 + "\n", encoding="utf-8")
    return Refused(path, None, "too large")


REFUSED: dict[str, Mutation] = {f.__name__: f for f in [
    theme_outside, theme_absolute, static_symlink, static_folder_symlink, template_symlink,
    content_symlink, edition_symlink, raw_symlink, all_articles_deleted, nul_in_byline,
    nul_in_body, feed_size_text, towns_number, javascript_base_url, list_size_float,
    unknown_setting, title_yes, title_nan, title_blank, duplicate_order, empty_role,
    negative_number_raw, negative_number_content, page_00, arabic_indic_digits,
    name_ending_in_newline, hidden_raw_folder, utf16_without_bom, page_of_10_megabytes,
    line_of_800000_characters, body_too_large,
]}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_with_an_error_naming_the_file_and_the_site_kept(
        site: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    build_before = snapshot(site / "build")
    expected = REFUSED[case](site)
    around_before = snapshot(site.parent, skip=("site",))
    site_before = snapshot(site, skip=("build", ".sitegen-cache"))

    code, out, err = run("check", "--site", str(site), capsys=capsys)
    assert code == 1, out + err
    assert expected.message in out + err

    code, out, err = run("build", "--site", str(site), capsys=capsys)
    assert code == 1
    where = f"{expected.file}:{expected.line}: " if expected.line else f"{expected.file}: "
    assert err.startswith(f"sitegen: error: {where}"), err
    assert expected.message in err.splitlines()[0]
    assert "Traceback" not in err

    assert snapshot(site / "build") == build_before
    assert snapshot(site, skip=("build", ".sitegen-cache")) == site_before
    assert snapshot(site.parent, skip=("site",)) == around_before
    assert not any(SECRET in p.read_text("utf-8", "replace")
                   for p in (site / "build").rglob("*") if p.is_file())


# ------------------------------------------------------------------------------ accepted


def test_edition_dated_2108_builds_with_its_zip_stamped_2107(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(site / "content" / "raw" / DAY)
    folder = (site / "content" / DAY).rename(site / "content" / "2108-02-02")
    for path in folder.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"date: {DAY}", "date: 2108-02-02"), encoding="utf-8")
    assert run("check", "--site", str(site), capsys=capsys)[0] == 0
    code, _, err = run("build", "--site", str(site), capsys=capsys)
    assert code == 0, err
    with zipfile.ZipFile(site / "build" / "downloads" / "2108-02-02.zip") as zf:
        assert {info.date_time[:3] for info in zf.infolist()} == {(2107, 2, 2)}


def test_a_300_letter_name_gets_a_short_file_name(site: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = article(site)
    path.write_text(path.read_text(encoding="utf-8").replace("name: 林旭东", "name: " + "a" * 300),
                    encoding="utf-8")
    code, _, err = run("build", "--site", str(site), capsys=capsys)
    assert code == 0, err
    pages = [p.name for p in (site / "build" / "reporters").glob("a*.html")]
    assert pages == ["a" * 80 + ".html"]


def test_utf16_with_a_byte_order_mark_imports_as_utf8_would(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(site / "content" / DAY)
    page = pending(site) / "C01.txt"
    page.write_bytes(page.read_text(encoding="utf-8").encode("utf-16"))
    code, _, err = run("build", "--site", str(site), capsys=capsys)
    assert code == 0, err
    after = snapshot(site / "content" / DAY)
    assert {k: v for k, v in after.items() if not k.startswith(".")} == {
        k: v for k, v in before.items() if not k.startswith(".")}


def test_long_runs_of_spaces_and_a_body_of_stars_build_at_once(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The stalls of the issue, end to end: 80,000 spaces and an `x` in a raw page (44 s
    in the trailing-space expression), a body of 100,000 `*` (21 s in Markdown)."""
    page = pending(site) / "C01.txt"
    page.write_text(page.read_text(encoding="utf-8") + " " * 80_000 + "x\n", encoding="utf-8")
    code, _, err = run("import", "--site", str(site), capsys=capsys)
    assert code == 0, err
    path = article(site)
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "*" * 100_000 + "\n",
                    encoding="utf-8")
    code, _, err = run("build", "--site", str(site), capsys=capsys)
    assert code == 0, err
    assert "*" * 100_000 in next((site / "build" / DAY / "C01").glob(
        "chu-dian-*.html")).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------ leftovers


def test_leftovers_of_killed_builds_and_failed_swaps_are_removed(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in (".build-new-killed", ".build-old-failed"):
        (site / name / DAY).mkdir(parents=True)
        (site / name / "index.html").write_text("stale", encoding="utf-8")
    set_line(article(site), "title:", "title: 新标题")
    assert run("build", "--site", str(site), capsys=capsys)[0] == 0
    assert not [p.name for p in site.iterdir() if p.name.startswith(".build-")]


def wait_until(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_the_replaced_site_is_built_into_by_the_next_build(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The swap keeps the old site as the cache's spare; the next build takes it back as its
    staging folder, where the unchanged files already are the published ones."""
    first = (site / "build").stat().st_ino
    spare = site / ".sitegen-cache" / "spare" / "build"
    set_line(article(site), "title:", "title: 新标题")
    assert run("build", "--site", str(site), capsys=capsys)[0] == 0
    assert spare.stat().st_ino == first
    second = (site / "build").stat().st_ino
    set_line(article(site), "title:", "title: 又一个标题")
    assert run("build", "--site", str(site), capsys=capsys)[0] == 0
    assert (site / "build").stat().st_ino == first
    assert spare.stat().st_ino == second


def test_leftovers_are_deleted_by_a_process_of_its_own(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A killed build's folder goes to the trash and a detached deleter empties it: the
    build's own process never unlinks it (its inode stays alive until the deleter runs)."""
    from sitegen.builder.trash import LOCK, empty

    trash = site / ".sitegen-cache" / "trash"
    left = site / ".build-new-killed" / "index.html"
    left.parent.mkdir()
    left.write_text("stale", encoding="utf-8")
    left_inode = left.stat().st_ino
    lock = trash / LOCK
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a+b") as held:  # a deleter "already running": nothing is deleted
        fcntl.flock(held, fcntl.LOCK_EX)
        set_line(article(site), "title:", "title: 新标题")
        assert run("build", "--site", str(site), capsys=capsys)[0] == 0
        kept = [p for p in trash.iterdir() if p.name != LOCK]
        assert len(kept) == 1
        assert [p.stat().st_ino for p in kept[0].rglob("index.html")] == [left_inode]
        assert not empty(trash)  # the lock is held: a second deleter leaves it
    set_line(article(site), "title:", "title: 又一个标题")
    assert run("build", "--site", str(site), capsys=capsys)[0] == 0
    assert wait_until(lambda: [p.name for p in trash.iterdir()] == [LOCK])


def test_a_killed_build_leaves_nothing_the_next_build_keeps(tmp_path: Path, built: Path) -> None:
    """A build killed while writing (SIGKILL: no clean-up of its own) leaves its staging
    folder; the next build removes it and publishes."""
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    (root / "themes/default/templates/base.html").write_text(
        (root / "themes/default/templates/base.html").read_text("utf-8") + "\n", "utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "sitegen.cli", "build", "--site", str(root)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(root.glob(".build-new-*/*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(root.glob(".build-new-*"))
    result = subprocess.run([sys.executable, "-m", "sitegen.cli", "build", "--site", str(root)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert not list(root.glob(".build-*"))


# ------------------------------------------------------------------------------ serve


def test_serve_answers_a_10000_character_path_with_404(site: Path) -> None:
    state = ServerState()
    state.succeeded()  # build/ holds a good build
    handler = partial(PreviewHandler, directory=str(site / "build"), state=state)
    with loopback_server(site / "build", handler) as base:
        for path in ("a" * 10_000, "x/" * 5_000 + "index.html", "a" * 10_000 + ".html"):
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(base + path, timeout=10)
            assert info.value.code == 404
            assert "404" in info.value.read().decode("utf-8")
        with urllib.request.urlopen(base + "index.html", timeout=10) as response:
            assert response.status == 200  # still serving


# ------------------------------------------------------------------------------ check


def test_check_lists_every_problem_of_the_content_at_once(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Content-level problems of the issue in two editions and a pending raw one: `check`
    names each (the build stops at the first; an edition's first problem is named)."""
    title_yes(site)
    set_line(next((site / "content" / "2023-09-19").glob("01-03-*.md")), "order:", "order: 2")
    code, out, _ = run("check", "--site", str(site), capsys=capsys)
    assert code == 1
    assert re.search(r"error: content/2024-02-03/C01-01-[a-z-]+\.md:4: title must be text", out)
    assert re.search(r"error: content/2023-09-19/01-03-[a-z-]+\.md:10: order 2 is also the "
                     r"order of 01-02-", out)


def test_check_validates_what_an_import_would_write(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A raw page whose parse has an article without a title: `sitegen build` would import
    it and then refuse the article, so `check` says so before anything is written."""
    page = pending(site) / "C01.txt"
    code, out, _ = run("check", "--site", str(site), capsys=capsys)
    assert code == 0, out
    assert "(once imported): no byline: 市委常委会（扩大）会议召开" in out
    page.write_text(page.read_text("utf-8") + "\n本报讯 这是一篇没有标题的稿件，正文在此结束。\n",
                    encoding="utf-8")
    code, out, _ = run("check", "--site", str(site), capsys=capsys)
    assert code == 1
    assert re.search(r"error: content/2024-02-03/C01-08-[a-z-]+\.md:4 \(once imported\): "
                     r"missing title", out), out
    assert not (site / "content" / DAY).exists()


# ------------------------------------------------------------------------------ disk full


@pytest.fixture
def mount(tmp_path: Path):
    """`mount(path, size)` mounts a tmpfs of `size` at `path` (unmounted afterwards): a real
    file system that really fills up, so the disk-full paths are the real ones (skipped
    where this process may not mount)."""
    mounted: list[Path] = []

    def make(path: Path, size: str) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                               str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
        mounted.append(path)
        return path

    yield make
    for path in reversed(mounted):
        subprocess.run(["umount", "-l", str(path)], check=False)


def _fill(folder: Path) -> None:
    """Write into `folder` until its file system is full. Unbuffered: a buffered file
    keeps the bytes that did not fit and raises again when it is closed, which happened
    whenever the free space was not a multiple of the chunk."""
    with (folder / "filler").open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass


def _settle(folder: Path) -> None:
    """Date every file an hour back, so no file is too recent to trust by its stat data."""
    past = time.time() - 3600
    for path in folder.rglob("*"):
        os.utime(path, (past, past), follow_symlinks=False)


def test_disk_full_during_the_build_is_named_and_keeps_the_site(
        built: Path, tmp_path: Path, mount, capsys: pytest.CaptureFixture[str]) -> None:
    disk = mount(tmp_path / "disk", "8m")
    root = disk / "site"
    shutil.copytree(built, root, symlinks=True)
    used = shutil.disk_usage(disk).used
    subprocess.run(["mount", "-o", f"remount,size={used + 200_000}", str(disk)], check=True)
    base = root / "themes/default/templates/base.html"
    base.write_text(base.read_text("utf-8") + "<!-- every page changes -->\n", "utf-8")
    before = snapshot(root / "build")
    site_before = snapshot(root, skip=("build", ".sitegen-cache"))

    code, _, err = run("build", "--site", str(root), capsys=capsys)
    assert code == 1
    first = err.splitlines()[0]
    assert re.match(rf"sitegen: error: {re.escape(str(root))}/(build|\.sitegen-cache)/\S*: disk "
                    r"full \(No space left on device\): the build stopped; the site in build/ "
                    r"is unchanged$", first), err
    assert snapshot(root / "build") == before
    assert snapshot(root, skip=("build", ".sitegen-cache")) == site_before
    assert not list(root.glob(".build-*"))


def test_disk_full_after_the_swap_is_a_published_site_with_a_warning(
        built: Path, tmp_path: Path, mount, capsys: pytest.CaptureFixture[str]) -> None:
    """The build cache lives on a file system that is full when the build has swapped the
    new site in: the command says the site is published (exit 0) and what was not saved;
    the next build, with space again, is a full one and gives the same site."""
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    _settle(root)
    cache = mount(tmp_path / "cache", "4m")
    shutil.rmtree(root / ".sitegen-cache")
    (root / ".sitegen-cache").symlink_to(cache)
    assert run("build", "--site", str(root), capsys=capsys)[0] == 0  # the cache, on the tmpfs
    _fill(cache)
    base = root / "themes/default/templates/base.html"
    base.write_text(base.read_text("utf-8") + "<!-- published -->\n", "utf-8")

    code, out, err = run("build", "--site", str(root), capsys=capsys)
    assert code == 0, err
    assert out.startswith("built ")
    assert re.match(r"sitegen: warning: site published in \S+/build/, but its build cache was "
                    r"not saved \(disk full \(No space left on device\): \S+\): the next build "
                    r"will be a full one$", err.strip()), err
    assert "<!-- published -->" in (root / "build" / "index.html").read_text("utf-8")
    assert not list(root.glob(".build-*"))
    assert not list(cache.glob("*.tmp")) and not list(cache.glob(".*.tmp"))
    published = snapshot(root / "build")

    (cache / "filler").unlink()
    code, out, err = run("build", "--site", str(root), capsys=capsys)
    assert code == 0 and not err, err
    assert snapshot(root / "build") == published
    assert "nothing changed" in run("build", "--site", str(root), capsys=capsys)[1]


def test_an_immutable_build_folder_is_named_and_kept(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    set_line(article(site), "title:", "title: 新标题")
    before = snapshot(site / "build")
    if subprocess.run(["chattr", "+i", str(site / "build")], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        code, _, err = run("build", "--site", str(site), capsys=capsys)
    finally:
        subprocess.run(["chattr", "-i", str(site / "build")], check=True)
    assert code == 1
    assert err.startswith(f"sitegen: error: {site / 'build'}: not permitted "), err
    assert "(Operation not permitted): the build stopped; the site in build/ is unchanged" in err
    assert snapshot(site / "build") == before
    assert not list(site.glob(".build-*"))


# ------------------------------------------------------------------------------ linear time

REAL_PAGE = (Path(__file__).resolve().parent.parent / "content" / "raw" / DAY / "C01.txt"
             ).read_text(encoding="utf-8")
PARAGRAPH = "平湖市国际电子商务产业园是平湖市政府唯一授牌的国际电子商务产业园。"


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _in_body(text: str) -> str:
    """The real page with `text` appended to its first body line."""
    lines = REAL_PAGE.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("本报讯"))
    lines[at] += text
    return "\n".join(lines)


SHAPES: dict[str, Callable[[int], str]] = {
    # the inputs of the stalls, and others of the same kind
    "spaces then x": lambda n: REAL_PAGE + "\n" + " " * n + "x\n",
    "trailing spaces": lambda n: _repeat("平湖 \t  \n", n),
    "one line": lambda n: _repeat("平湖 ", n),
    "one body line": lambda n: _in_body(_repeat(PARAGRAPH, n)),
    "pages": lambda n: _repeat(REAL_PAGE + "\n\n", n),
    "near-doubled lines": lambda n: _repeat(("ab" * 60)[:118] + "ba\n", n),
    "repeated lines": lambda n: _repeat("a" * 118 + "ba\n", n),
    "bylines": lambda n: _repeat("■记者 高洁 通讯员 李 婷\n", n),
}
BODIES: dict[str, Callable[[int], str]] = {
    "stars": lambda n: "*" * n,
    "escapes": lambda n: _repeat("\\*a", n),
    "entities and tags": lambda n: _repeat("&copy;<b>&amp;", n),
    "backslashes": lambda n: "\\" * n,
    "paragraphs": lambda n: _repeat(PARAGRAPH + "\n\n", n),
}


def _per_call(work: Callable[[], object]) -> float:
    """CPU seconds of this process per call of `work`, over calls adding up to at least
    50 ms (CPU time, not wall time: waiting for a core that other tests hold is no part of
    the cost)."""
    calls, started = 0, time.process_time()
    while True:
        work()
        calls += 1
        spent = time.process_time() - started
        if spent >= 0.05:
            return spent / calls


def _ratio(work: Callable[[int], object], n: int) -> float:
    """Time of `work(4n)` over time of `work(n)`: about 4 when linear, 16 when quadratic.
    The two are measured in turns and the best of five kept for each, so a load on the
    machine that comes and goes (other tests, a browser) slows both alike."""
    small, large = float("inf"), float("inf")
    # Without the cyclic garbage collector: in a test process that has built up a large
    # heap, its full collections cost time in proportion to that heap, which is no part
    # of the code under test (a real import runs in a fresh process).
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            small = min(small, _per_call(lambda: work(n)))
            large = min(large, _per_call(lambda: work(4 * n)))
    finally:
        gc.enable()
    return large / small


@pytest.fixture(scope="module")
def parser():
    from sitegen.config import load_config
    from sitegen.ingest.parse import page_parser

    parse = page_parser(load_config(Path(__file__).resolve().parent.parent).towns)
    parse.prepare()
    return parse


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_decoding_and_parsing_take_time_in_proportion_to_the_page(parser, shape: str) -> None:
    from sitegen.errors import SitegenError
    from sitegen.text.rawtext import decode_page_bytes

    def work(n: int) -> None:
        text = decode_page_bytes(SHAPES[shape](n).encode("utf-8"), "01.txt")
        with contextlib.suppress(SitegenError):  # no article in it: parsed all the same
            parser(text, "C01.txt")

    ratio = _ratio(work, 30_000)
    assert ratio < 8, f"{shape}: 4x the input took {ratio:.1f}x the time"


@pytest.mark.parametrize("shape", sorted(BODIES))
def test_reading_and_rendering_a_body_take_time_in_proportion_to_it(shape: str) -> None:
    from datetime import date

    from sitegen.content.files import parse_article
    from sitegen.render.pages import render_paragraphs

    head = REAL_ARTICLE[:REAL_ARTICLE.index("---\n\n") + 5]

    def work(n: int) -> None:
        stored = parse_article(Path("01-01-x.md"), (head + BODIES[shape](n)).encode("utf-8"),
                               date(2024, 2, 3))
        render_paragraphs(stored.article.paragraphs)

    ratio = _ratio(work, 25_000)
    assert ratio < 8, f"{shape}: 4x the body took {ratio:.1f}x the time"


REAL_ARTICLE = next((Path(__file__).resolve().parent.parent / "content" / DAY).glob(
    "C01-01-*.md")).read_text(encoding="utf-8")
