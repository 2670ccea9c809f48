"""Partitioned builds (`sitegen partition`): the index, one part per year in separate
processes and folders, and the merge give the very bytes `sitegen build` gives, cold and
after an edition is added to the last year."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from archive import YEARS, make_archive, next_edition


def sitegen(*args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "sitegen.cli", *args], capture_output=True,
                          text=True, cwd="/")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def tree(root: Path) -> dict[str, bytes]:
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def partitioned(site: Path, work: Path) -> None:
    """The three steps as a CI workflow runs them: each its own process; each part with
    its own output folder and cache (under `work`, given to each as a separate folder)."""
    sitegen("partition", "index", "--site", str(site), "--work", str(work))
    for year in YEARS:
        sitegen("partition", "part", str(year), "--site", str(site), "--work", str(work))
    sitegen("partition", "merge", "--site", str(site), "--work", str(work))


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("partition")
    whole = root / "whole"
    make_archive(whole, per_year=2)
    parts = root / "parts-site"
    shutil.copytree(whole, parts)
    return whole, parts, root / "work"


def assert_same(a: Path, b: Path) -> None:
    ta, tb = tree(a), tree(b)
    assert sorted(ta) == sorted(tb)
    different = [rel for rel in ta if ta[rel] != tb[rel]]
    assert not different, different[:10]


def test_partitions_merge_into_the_build_byte_for_byte(sites: tuple[Path, Path, Path]
                                                       ) -> None:
    whole, parts, work = sites
    sitegen("build", "--site", str(whole))
    partitioned(parts, work)
    # each part made only its year's files, in its own folder
    for year in YEARS:
        made = tree(work / "parts" / str(year) / "build")
        assert made and all(rel.startswith((f"{year}-", f"downloads/{year}-",
                                            "assets/search/", "_partition/"))
                            for rel in made), year
        assert all(rel.split("/")[2].startswith(str(year)) for rel in made
                   if rel.startswith("assets/search/") and "/docs/" not in rel)
    assert (work / "cache" / "2022").is_dir() and (work / "cache" / "2024").is_dir()
    assert_same(whole / "build", parts / "build")
    assert not (parts / "build" / "_partition").exists()

    # an edition added to the last year: the steps again, incrementally
    day = next_edition(whole, sites[2].parent / "gen")
    shutil.copytree(whole / "content" / "raw" / day, parts / "content" / "raw" / day)
    sitegen("build", "--site", str(whole))
    before = {y: tree(work / "parts" / str(y) / "build") for y in YEARS[:-1]}
    partitioned(parts, work)
    assert_same(whole / "build", parts / "build")
    # the earlier years' parts were left as they were
    for y in YEARS[:-1]:
        assert tree(work / "parts" / str(y) / "build") == before[y]
    assert filecmp.cmp(whole / "build" / "index.html", parts / "build" / "index.html",
                       shallow=False)


def test_a_missing_part_stops_the_merge(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make_archive(site, years=(2023, 2024), per_year=1)
    work = tmp_path / "work"
    sitegen("partition", "index", "--site", str(site), "--work", str(work))
    sitegen("partition", "part", "2024", "--site", str(site), "--work", str(work))
    proc = subprocess.run([sys.executable, "-m", "sitegen.cli", "partition", "merge",
                           "--site", str(site), "--work", str(work)], capture_output=True,
                          text=True)
    assert proc.returncode == 1 and "2023" in proc.stderr
    assert not (site / "build").exists()
