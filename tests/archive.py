"""A synthetic archive spanning three years, for the partition and search-scale tests.

`bench/generate.py` writes consecutive days; three years of them would take minutes to
build, so each year gets a few editions of its own (generated with the year's seed and
start date) and their raw folders are put into one site. That is enough for every
structure that depends on years: one search pack per earlier year, the latest year's split
at its latest month, neighbours and 历史上的今天 across years."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent

YEARS = (2022, 2023, 2024)
PER_YEAR = 3


def load_generator() -> ModuleType:
    """A private copy of `bench/generate.py` (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("_archive_generator",
                                                  REPO / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def make_archive(site: Path, years: tuple[int, ...] = YEARS, per_year: int = PER_YEAR,
                 scratch: Path | None = None) -> list[str]:
    """Raw pages of `per_year` editions in each of `years` (from 31 March, so that with two
    or more an earlier year has two months, as a year's search pack does; the last year's
    from 30 March, so its two months are the latest month and the months before), in
    `site`; returns their dates."""
    gen = load_generator()
    scratch = scratch or site.parent / (site.name + "-gen")
    (site / "content" / "raw").mkdir(parents=True, exist_ok=True)
    days = []
    for year in years:
        start = date(year, 3, 30) if year == years[-1] else date(year, 3, 31)
        gen.generate(scratch, per_year, seed=year, start=start)
        if not (site / "sitegen.toml").exists():
            shutil.copy(scratch / "sitegen.toml", site / "sitegen.toml")
        for folder in sorted((scratch / "content" / "raw").iterdir()):
            shutil.move(str(folder), site / "content" / "raw" / folder.name)
            days.append(folder.name)
    shutil.rmtree(scratch)
    return days


def next_edition(site: Path, scratch: Path) -> str:
    """One more edition, the day after the archive's last (same generator): its date."""
    gen = load_generator()
    last = max(p.name for p in (site / "content" / "raw").iterdir())
    day = date.fromisoformat(last)
    gen.generate(scratch, 2, seed=day.year, start=day)
    folder = sorted((scratch / "content" / "raw").iterdir())[-1]
    shutil.move(str(folder), site / "content" / "raw" / folder.name)
    shutil.rmtree(scratch)
    return folder.name
