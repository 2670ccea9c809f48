"""The daily workflow: a page that arrives after its edition was imported is picked up.

`sitegen build` (and `serve`, and `import` without dates) import editions never imported
and editions whose raw files changed since their import, say which and why, and never
overwrite a content file an editor changed. Real sites and the real command (no mocks).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import REPO

from sitegen.cli import main
from sitegen.config import load_config
from sitegen.ingest.stale import MANIFEST, RAW_STAMPS, stale_editions

PAGES = REPO / "tests" / "fixtures" / "pages"
FIRST = PAGES / "002_855235c3d5b4990d.txt"
SECOND = PAGES / "000_945dd167e662ca43.txt"
DAY = "2024-02-02"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A new site with one imported (and built) edition of one page."""
    root = tmp_path / "paper"
    assert main(["init", str(root), "--name", "测试日报"]) == 0
    (root / "content" / "raw" / DAY).mkdir()
    shutil.copy(FIRST, root / "content" / "raw" / DAY / "01.txt")
    assert main(["build", "--site", str(root)]) == 0
    return root


def _build(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["build", "--site", str(root)]) == 0
    return capsys.readouterr().out


def test_a_late_page_is_imported_by_build_and_edits_are_kept(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = site / "content" / "raw" / DAY
    content = site / "content" / DAY
    edited = next(content.glob("01-06-*.md"))
    edited.write_text(edited.read_text("utf-8").replace("我市首个国道下穿项目建成",
                                                        "我市首个国道下穿项目今天建成"), "utf-8")
    assert "importing" not in _build(site, capsys)  # an edit is not a raw change

    shutil.copy(SECOND, raw / "02.txt")
    with (raw / "01.txt").open("a", encoding="utf-8") as fh:
        fh.write("\n")  # the first page replaced too (same text, other bytes)
    out = _build(site, capsys)
    assert f"importing {DAY} again: raw 02.txt added; 01.txt changed" in out
    assert f"{DAY}: 2 pages, 14 articles" in out
    assert f"kept (edited by hand, use --force to regenerate): {edited.name}" in out
    assert "我市首个国道下穿项目今天建成" in edited.read_text("utf-8")
    assert (content / "page-02.yaml").is_file() and len(list(content.glob("02-*.md"))) == 7
    assert "built " in out and "1 edition, 14 articles" in out
    assert (site / "build" / DAY / "02" / "index.html").is_file()
    manifest = json.loads((content / MANIFEST).read_text("utf-8"))
    assert set(manifest["raw"]) == {"01.txt", "02.txt"}
    assert "importing" not in _build(site, capsys)

    (raw / "02.txt").unlink()
    out = _build(site, capsys)
    assert f"importing {DAY} again: raw 02.txt removed" in out
    assert not (content / "page-02.yaml").exists() and not list(content.glob("02-*.md"))
    assert "我市首个国道下穿项目今天建成" in edited.read_text("utf-8")


def test_import_without_dates_takes_new_and_changed_editions(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["import", "--site", str(site)]) == 0
    assert "nothing to import" in capsys.readouterr().out
    (site / "content" / "raw" / "2023-09-19").mkdir()
    shutil.copy(SECOND, site / "content" / "raw" / "2023-09-19" / "01.txt")
    (site / "content" / "raw" / DAY / "edition.toml").write_text('01 = "要闻"\n', "utf-8")
    assert main(["import", "--site", str(site)]) == 0
    out = capsys.readouterr().out
    assert "importing 1 new edition: 2023-09-19" in out
    assert f"importing {DAY} again: raw edition.toml added" in out
    assert 'name: 要闻' in (site / "content" / DAY / "page-01.yaml").read_text("utf-8")


def test_an_edition_imported_before_raw_hashes_were_kept(
        site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Manifests written by an older sitegen have no raw hashes: the pages they were
    imported from are known from their page files, so an added page is still found."""
    path = site / "content" / DAY / MANIFEST
    manifest = json.loads(path.read_text("utf-8"))
    del manifest["raw"]
    path.write_text(json.dumps(manifest), "utf-8")
    assert stale_editions(load_config(site)) == []
    shutil.copy(SECOND, site / "content" / "raw" / DAY / "02.txt")
    assert f"importing {DAY} again: raw 02.txt added" in _build(site, capsys)


def test_raw_hashes_are_remembered_by_size_and_mtime(site: Path) -> None:
    config = load_config(site)
    raw = site / "content" / "raw" / DAY / "01.txt"
    stamps = site / ".sitegen-cache" / "import" / RAW_STAMPS
    soon = time.time_ns() + 60_000_000_000
    os.utime(raw, ns=(soon, soon))  # as if just written: not settled, so hashed every time
    assert stale_editions(config) == []
    assert not stamps.exists() or f"{DAY}/01.txt" not in json.loads(stamps.read_text("utf-8"))
    os.utime(raw, (1_600_000_000, 1_600_000_000))
    assert stale_editions(config) == []  # touched, not changed
    known = json.loads(stamps.read_text("utf-8"))[f"{DAY}/01.txt"]
    assert known[:2] == [raw.stat().st_size, raw.stat().st_mtime_ns]
    raw.write_bytes(raw.read_bytes() + b"\n")
    assert [why for _, why in stale_editions(config)] == ["01.txt changed"]
