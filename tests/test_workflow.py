"""The editor's workflow end to end: init → import → build, serve with live rebuild, check."""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import interruptible

from sitegen.cli import main

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "tests" / "fixtures" / "pages" / "002_855235c3d5b4990d.txt"


def sitegen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_init_import_build_on_a_fresh_site(tmp_path: Path) -> None:
    site = tmp_path / "paper"
    result = sitegen("init", str(site), "--name", "嘉兴日报")
    assert result.returncode == 0, result.stderr
    config = (site / "sitegen.toml").read_text("utf-8")
    assert 'name = "嘉兴日报"' in config and "# [[towns]]" in config
    assert (site / "content" / "raw").is_dir()

    again = sitegen("init", str(site), "--name", "别的报")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert (site / "sitegen.toml").read_text("utf-8") == config

    raw = site / "content" / "raw" / "2024-02-03"
    raw.mkdir()
    shutil.copy(PAGE, raw / "01.txt")
    imported = sitegen("import", "--site", str(site))
    assert imported.returncode == 0, imported.stderr
    assert "2024-02-03: 1 page, 7 articles" in imported.stdout
    built = sitegen("build", "--site", str(site))
    assert built.returncode == 0, built.stderr
    index = (site / "build" / "index.html").read_text("utf-8")
    assert "嘉兴日报" in index and "触“电”腾飞有真招" in index


def test_check_reports_review_items_and_gates_on_errors(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "sitegen.toml", site / "sitegen.toml")
    assert main(["build", "--site", str(site)]) == 0
    capsys.readouterr()
    assert main(["check", "--site", str(site)]) == 0
    out = capsys.readouterr().out
    assert "warning: 2024-02-03 page C01: unassigned byline: 记者 高洁 见习记者 陶佳敏" in out
    assert "no byline: 市委常委会（扩大）会议召开" in out
    assert "town never mentioned in any article: 乍浦镇" in out
    assert "0 errors" in out
    assert main(["check", "--strict", "--site", str(site)]) == 1
    capsys.readouterr()

    article = next((site / "content" / "2023-09-19").glob("01-02-*.md"))
    text = article.read_text("utf-8")
    article.write_text(text.split("\n---\n")[0] + "\n---\n", encoding="utf-8")
    (site / "build" / "index.html").write_text(
        '<!DOCTYPE html><a href="gone/index.html">x</a><a href="/abs.html">y</a>', "utf-8")
    assert main(["check", "--site", str(site)]) == 1
    out = capsys.readouterr().out
    assert f"error: content/2023-09-19/{article.name}: article has no text" in out
    assert "error: build/index.html: broken link: gone/index.html" in out
    assert "error: build/index.html: root-absolute link: /abs.html" in out


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _wait_status(base: str, predicate, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    status: dict = {}
    while time.monotonic() < deadline:
        status = json.loads(_get(base + "__sitegen__/status"))
        if predicate(status):
            return status
        time.sleep(0.2)
    raise AssertionError(f"status never matched: {status}")


def test_serve_rebuilds_on_edit_keeps_last_good_site_and_stops_cleanly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "sitegen.toml", site / "sitegen.toml")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sitegen.cli", "serve", "--site", str(site), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=interruptible)
    try:
        base = None
        assert proc.stdout is not None
        for _ in range(50):
            line = proc.stdout.readline()
            match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            if match:
                base = match.group(1)
                break
        assert base, "server did not start"
        index = _get(base + "index.html")
        assert "__sitegen__/status" in index  # the reload script is injected when serving
        assert "__sitegen__" not in (site / "build" / "index.html").read_text("utf-8")
        first = _wait_status(base, lambda s: s["generation"] >= 1)

        source = next((site / "content" / "2024-02-03").glob("C01-06-*.md"))
        page = next((site / "build" / "2024-02-03").rglob("*.html"))
        article_url = None
        for candidate in (site / "build" / "2024-02-03").rglob("*.html"):
            if "我市首个国道下穿项目建成" in candidate.read_text("utf-8") and \
                    candidate.name != "index.html":
                article_url = candidate.relative_to(site / "build").as_posix()
        assert article_url, page
        source.write_text(source.read_text("utf-8").replace(
            "title: 我市首个国道下穿项目建成", "title: 我市首个国道下穿项目今天建成"), "utf-8")
        second = _wait_status(base, lambda s: s["generation"] > first["generation"])
        assert second["error"] is None
        rebuilt = [p for p in (site / "build" / "2024-02-03").rglob("*.html")
                   if "我市首个国道下穿项目今天建成" in p.read_text("utf-8")]
        assert rebuilt

        good = source.read_text("utf-8")
        source.write_text("---\ntitle: [unclosed\n---\n", "utf-8")
        failed = _wait_status(base, lambda s: s["error"] is not None)
        assert source.name in failed["error"]
        assert "我市首个国道下穿项目今天建成" in _get(base + "index.html")  # last good site

        source.write_text(good, "utf-8")
        _wait_status(base, lambda s: s["error"] is None and
                     s["generation"] > second["generation"])
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out
    assert "error" in out and source.name in out  # the failed rebuild was also in the terminal
