"""What sitegen tells its user: help, counts, and errors that say where to look.

Real sites, real builds and a real preview server (no mocks): a missing template or asset
names the file and every folder looked in; `serve` with no good build shows an error page,
never a directory listing; `check` warns while `base_url` is the example one; every
command's `--help` shows its defaults and an example.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO, copy_site, interruptible

from sitegen import resources, wording
from sitegen.builder import build_site
from sitegen.check import config_findings
from sitegen.cli import main, make_parser
from sitegen.config import load_config
from sitegen.errors import SitegenError

PAGE = REPO / "tests" / "fixtures" / "pages" / "002_855235c3d5b4990d.txt"


# ------------------------------------------------------------------------------ help


@pytest.mark.parametrize("command", ["parse", "import", "build", "serve", "init", "check",
                                     "partition"])
def test_every_command_help_shows_defaults_and_an_example(
        command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert re.search(r"^examples?:$", out, re.M), out
    assert re.search(rf"^  sitegen {command}\b", out, re.M), out
    if command != "init":
        assert "(default: ., the current folder)" in " ".join(out.split())
    if command == "serve":
        assert "(default: 8000)" in out and "(default: 127.0.0.1)" in out
    assert "(default: False)" not in out and "(default: None)" not in out


def test_the_command_list_has_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "sitegen init mypaper --name" in out
    assert set(make_parser()._subparsers._group_actions[0].choices) == {  # type: ignore[union-attr]
        "parse", "import", "build", "serve", "init", "check", "partition"}


# ------------------------------------------------------------------------------ counts


def test_counts_agree_with_their_number() -> None:
    assert wording.count(1, "edition") == "1 edition"
    assert wording.count(0, "edition") == "0 editions"
    assert wording.count(2, "article") == "2 articles"
    assert wording.count(1, "other edition") == "1 other edition"


def test_a_one_edition_build_says_edition(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    shutil.rmtree(root / "content" / "2023-09-19")
    shutil.rmtree(root / "content" / "raw" / "2023-09-19")
    result = build_site(load_config(root), REPO, cut=str.split, workers=1)
    assert re.match(r"built .*build/: 1 edition, 7 articles; \d+ files written",
                    result.summary())


# ------------------------------------------------------------------------------ check


def test_check_warns_while_base_url_is_the_example(tmp_path: Path) -> None:
    site = tmp_path / "paper"
    assert main(["init", str(site), "--name", "测试日报"]) == 0
    (warning,) = config_findings(load_config(site))
    assert warning.level == "warning" and warning.path == "sitegen.toml"
    assert "base_url is still the example address (https://example.github.io/" in \
        warning.message
    config = site / "sitegen.toml"
    for url in ("https://example.org/", "http://www.example.com/x/"):
        config.write_text(re.sub(r'base_url = ".*"', f'base_url = "{url}"',
                                 config.read_text("utf-8")), encoding="utf-8")
        assert config_findings(load_config(site)), url
    config.write_text(re.sub(r'base_url = ".*"', 'base_url = "https://news.example.cn/"',
                             config.read_text("utf-8")), encoding="utf-8")
    assert config_findings(load_config(site)) == []


# ------------------------------------------------------------------------------ missing files


def test_a_missing_template_names_it_and_the_folders_searched(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    config = root / "sitegen.toml"
    config.write_text(config.read_text("utf-8").replace(
        'language = "zh-CN"', 'language = "zh-CN"\ntheme = "plain"'), encoding="utf-8")
    with pytest.raises(SitegenError) as caught:
        build_site(load_config(root), REPO, cut=str.split, workers=1)
    message = str(caught.value)
    assert message.startswith("template not found: ")
    assert f"{resources.builtin_themes_dir() / 'plain' / 'templates'} (no such folder)" in message

    # a site's own template that extends one nobody has: named where it is asked for
    (root / "themes" / "plain" / "templates").mkdir(parents=True)
    (root / "themes" / "plain" / "templates" / "front.html").write_text(
        '{% extends "layout.html" %}\n', encoding="utf-8")
    with pytest.raises(SitegenError) as caught:
        build_site(load_config(root), REPO, cut=str.split, workers=1)
    assert caught.value.path == root / "themes" / "plain" / "templates" / "front.html"
    assert caught.value.line == 1
    assert caught.value.message.startswith("template not found: layout.html; looked in: "
                                           f"{root / 'themes' / 'plain' / 'templates'}, ")


def test_a_missing_asset_names_it_and_the_folders_searched(tmp_path: Path) -> None:
    root = copy_site(tmp_path / "site")
    base = root / "themes" / "default" / "templates" / "base.html"
    base.write_text(base.read_text("utf-8").replace("asset('site.js')", "asset('app.js')"),
                    encoding="utf-8")
    with pytest.raises(SitegenError) as caught:
        build_site(load_config(root), REPO, cut=str.split, workers=1)
    assert caught.value.path == base and caught.value.line
    assert caught.value.message == (
        "asset not found: app.js; looked in: "
        f"{root / 'themes' / 'default' / 'static'}, "  # the site's own theme folder first
        f"{resources.builtin_themes_dir() / 'default' / 'static'}")


def test_missing_lunr_names_every_place_looked_in(tmp_path: Path) -> None:
    with pytest.raises(SitegenError) as caught:
        resources.lunr_js_path(tmp_path)
    assert str(tmp_path / "node_modules" / "lunr" / "lunr.js") in caught.value.message
    assert "npm ci" in caught.value.message
    # this checkout's own: its node_modules first, then an installed package's copy
    assert resources.lunr_js_candidates() == [REPO / "node_modules" / "lunr" / "lunr.js",
                                              resources.VENDORED_LUNR]
    assert resources.lunr_js_path() == REPO / "node_modules" / "lunr" / "lunr.js"


# ------------------------------------------------------------------------------ serve


def _get(url: str) -> tuple[int, str, str]:
    """(status, content type, body)"""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return (response.status, response.headers["Content-Type"],
                    response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode("utf-8")


def test_serve_without_a_good_build_shows_the_error_not_a_listing(tmp_path: Path) -> None:
    site = tmp_path / "paper"
    assert main(["init", str(site), "--name", "测试日报"]) == 0
    raw = site / "content" / "raw" / "2024-02-02"
    raw.mkdir()
    (raw / "01.txt").write_bytes(b"")  # an empty page: the import, so the build, fails
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitegen.cli", "serve", "--site", str(site), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=interruptible)
    try:
        assert proc.stdout is not None
        lines = []
        base = None
        for _ in range(50):
            lines.append(proc.stdout.readline())
            match = re.search(r"at (http://127\.0\.0\.1:\d+/)", lines[-1])
            if match:
                base = match.group(1)
                break
        assert base, lines
        assert any("no good build to serve yet" in line for line in lines), lines
        for path in ("", "index.html", "assets/", "2024-02-02/"):
            status, kind, body = _get(base + path)
            assert status == 503 and kind.startswith("text/html"), path
            assert "No site built yet" in body, path
            assert "01.txt" in body and "__sitegen__/status" in body
            assert "Directory listing" not in body
        assert json.loads(_get(base + "__sitegen__/status")[2])["site"] is False

        shutil.copy(PAGE, raw / "01.txt")
        deadline = time.monotonic() + 60
        while not json.loads(_get(base + "__sitegen__/status")[2])["site"]:
            assert time.monotonic() < deadline, "no build succeeded"
            time.sleep(0.2)
        status, kind, body = _get(base + "index.html")
        assert status == 200 and kind.startswith("text/html") and "测试日报" in body
        status, _, body = _get(base + "assets/")  # a folder without index.html
        assert status == 404 and "Directory listing" not in body
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
    assert proc.returncode == 0
