"""The demo site's committed content is exactly what importing its raw pages gives today."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitegen.cli import main

REPO = Path(__file__).resolve().parent.parent


def test_committed_demo_content_equals_a_fresh_import(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content" / "raw", site / "content" / "raw")
    shutil.copy(REPO / "sitegen.toml", site / "sitegen.toml")
    assert main(["import", "--site", str(site)]) == 0
    fresh = {p.relative_to(site / "content").as_posix(): p.read_bytes()
             for p in (site / "content").rglob("*") if p.is_file() and "raw" not in p.parts}
    committed = {p.relative_to(REPO / "content").as_posix(): p.read_bytes()
                 for p in (REPO / "content").rglob("*") if p.is_file() and "raw" not in p.parts}
    assert sorted(fresh) == sorted(committed)
    assert fresh == committed
    assert len([name for name in fresh if name.endswith(".md")]) == 14
