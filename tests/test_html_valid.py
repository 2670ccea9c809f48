"""Every HTML page of the demo build (and of the fixture edition's, with its features,
briefs, poems and notices) passes the W3C Nu HTML Checker with no errors.

The checker is the real one (`vnu.jar` from the `vnu-jar` npm package, run with Java), run
once over all pages, those inside the offline zips included, and the month pages of
reporters and towns (built with a small `list_size`): starting the JVM is the slow part,
checking a hundred pages is not.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, DemoBuild
from test_month_pages import build_with_list_size

VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_all_pages_are_valid_html(demo: DemoBuild, edition_demo: DemoBuild,
                                  tmp_path: Path) -> None:
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci` in {REPO}")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not installed (the Nu HTML Checker needs Java 11 or newer)")
    pages = demo.html_files() + edition_demo.html_files()
    for zip_path in sorted((demo.out / "downloads").glob("*.zip")):
        with zipfile.ZipFile(zip_path) as zf:
            zf.extractall(tmp_path / zip_path.stem)
        pages += sorted((tmp_path / zip_path.stem).rglob("*.html"))
    assert len(pages) > 60
    # reporter and town pages with month pages (the demo's lists are too short for them)
    paged = build_with_list_size(tmp_path / "paged", 1)
    pages += sorted(paged.glob("towns/**/*.html")) + sorted(paged.glob("reporters/**/*.html"))
    proc = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
         *[str(p) for p in pages]],
        capture_output=True, text=True, timeout=300, check=False,
    )
    report = json.loads(proc.stderr or proc.stdout)
    errors = [
        f"{m.get('url', '?').split('/build/')[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in report["messages"] if m.get("type") in ("error", "non-document-error")
    ]
    assert errors == []
    assert proc.returncode == 0, proc.stderr[-2000:]
