"""Partitioned builds (`sitegen partition`): the index, one part per year in separate
processes and folders, and the merge give the very bytes `sitegen build` gives, cold and
after an edition is added to the last year."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
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


def test_completed_years_joined_alike_when_terms_are_heavy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With every common term heavy (a few postings a month suffice here), the completed
    years' joined files (`search/past/`, `past.py`) come out of the build and of the merge
    byte for byte, and an edition added to the last year links them, unread and unwritten.
    In this process (the setting is patched, the build's workers fork from it)."""
    from sitegen import cli
    from sitegen.search import assets, shards

    monkeypatch.setattr(shards, "HEAVY_POSTINGS", 8)
    read: list[str] = []  # the packs' files read to join them
    join = assets.write_past

    def counted(output: object, joined: dict, digest: str, previous: str | None,
                read_file: Callable[[str], bytes]) -> None:
        def reading(rel: str) -> bytes:
            read.append(rel)
            return read_file(rel)
        return join(output, joined, digest, previous, reading)

    monkeypatch.setattr(assets, "write_past", counted)

    def run(*args: str) -> None:
        assert cli.main(list(args)) == 0

    whole = tmp_path / "whole"
    make_archive(whole, per_year=2)
    parts = tmp_path / "parts-site"
    shutil.copytree(whole, parts)
    work = tmp_path / "work"

    def both() -> None:
        run("build", "--site", str(whole))
        run("partition", "index", "--site", str(parts), "--work", str(work))
        for year in YEARS:
            run("partition", "part", str(year), "--site", str(parts), "--work", str(work))
        run("partition", "merge", "--site", str(parts), "--work", str(work))
        assert_same(whole / "build", parts / "build")

    both()
    past = whole / "build" / "assets" / "search" / "past"
    heavy = sorted((past / "h").glob("*.js"))
    assert len(heavy) > 20 and (past / "len-3.js").is_file()
    assert read
    inodes = {p.name: p.stat().st_ino for p in heavy}
    day = next_edition(whole, tmp_path / "gen")
    shutil.copytree(whole / "content" / "raw" / day, parts / "content" / "raw" / day)
    read.clear()
    both()
    assert {p.name: p.stat().st_ino for p in sorted((past / "h").glob("*.js"))} == inodes
    assert read == []
