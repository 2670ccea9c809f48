"""Partitioned builds: one archive built as an index, a part per year and a merge.

A year builds well on one machine; decades do not need to. Nothing an edition's pages,
offline copy or search months contain depends on other editions except what the summaries
say (slugs of people and towns, neighbouring editions and their first and last 版, 历史上的今天,
which edition is the latest, which months form the latest year's packs, and each month's
first document number within its year). So:

1. `index` (one job): every edition's summary (`EditionMeta`, read through the content
   cache as a build reads them) into one file, `index.pickle`, a year at a time (a step
   reads it a year at a time too). Slugs, neighbours and the latest edition are computed
   from it by every step, the same way (cheap: a build's model is made from summaries only).
2. `part YEAR` (one job per year, on any machine): the same build engine, given the index
   instead of reading other years, makes only that year's files: its edition folders, its
   offline copies, its search months, packs and result-list data. Of the other years it
   keeps what its pages name (people, neighbours, 历史上的今天), not their views. It keeps its own
   `.sitegen-cache` (so CI can cache it per year) and writes into its own folder, with
   `_partition/` beside the site's files: its months' search records and its packs'
   term-directory entries, which the merge needs.
3. `merge` (one job): the engine again, making what spans the archive (front page,
   people, towns, archive, 404, feed, sitemap, assets, the search manifest and the term
   directory, from the partitions' records), then the partitions' files linked in; the
   result is swapped into `build/` like any build's.

Each step is `build_site` with a `Scope` saying which outputs are its own; every output is
made by the same code from the same model, so the merged tree is byte-identical to
`sitegen build` (tests/test_partition.py). There is no scheduler: a CI matrix runs the
parts (`sitegen init --partitioned` writes that workflow); locally `sitegen partition all`
runs them one after another, or `--jobs N` at once.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.config import SiteConfig
from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from sitegen.builder.searchplan import SearchPlan
    from sitegen.builder.steps import BuildResult
    from sitegen.builder.tasks import TaskResult
    from sitegen.content.summary import EditionMeta
    from sitegen.output import BuildOutput

INDEX_FILE = "index.pickle"
PART_META = "_partition"
"""A partition's own folder inside its output: its search records and directory entries.
Never published (the merge leaves it out)."""
SCHEMA = 3


@dataclass(frozen=True)
class PartConfig(SiteConfig):
    """A site's configuration with its own output and cache folders: a partition writes
    into its own folder and keeps its own cache (per year, so CI caches each year apart).
    The two folders are not part of the configuration's identity (`compare=False`, like
    `root`), so fingerprints and outputs are those of the site's own build."""

    out: Path = field(default=Path("build"), compare=False)
    cache: Path = field(default=Path(".sitegen-cache"), compare=False)

    @property
    def build_dir(self) -> Path:
        return self.out

    @property
    def cache_dir(self) -> Path:
        return self.cache


def part_config(config: SiteConfig, out: Path, cache: Path) -> PartConfig:
    values = {f.name: getattr(config, f.name) for f in dataclasses.fields(SiteConfig)}
    return PartConfig(**values, out=out.resolve(), cache=cache.resolve())


@dataclass(frozen=True)
class Index:
    """What every step shares: every edition's summary, oldest first, in `path`: a header
    (the dates) and then one pickled list per year, so a step holds one year's summaries
    at a time (ten years of them are most of a step's memory otherwise)."""

    path: Path
    dates: list[date]

    @property
    def years(self) -> list[int]:
        return sorted({day.year for day in self.dates})

    def summaries(self) -> Iterator[EditionMeta]:
        """Every summary, oldest first, read a year at a time."""
        with self.path.open("rb") as fh:
            _check_header(pickle.load(fh), self.path)
            for _ in self.years:
                yield from pickle.load(fh)


def make_index(config: SiteConfig, out: Path, workers: int | None = None) -> Index:
    """Step 1: read (or take from the content cache) every edition's summary and write
    `out/index.pickle`. Folders are read in parallel, as a build reads them."""
    from sitegen.content.cache import ContentCache
    from sitegen.content.files import edition_dirs
    from sitegen.safepath import site_roots

    roots = site_roots(config)
    content = ContentCache(config.cache_dir / "content", None, roots)
    folders = edition_dirs(config.content_dir, roots)
    metas: list[EditionMeta | None] = [content.load_meta(f) for f in folders]
    stale = [f for f, m in zip(folders, metas, strict=True) if m is None]
    if stale:
        from sitegen import workers as pool_of

        pool = pool_of.Pool(pool_of.count(workers, len(stale), small=3), content)
        ok = False
        try:
            made = dict(zip(stale, pool.map(_read_summary, stale), strict=True))
            ok = True
        finally:
            pool.close(ok)
        metas = [made.get(f, m) for f, m in zip(folders, metas, strict=True)]
    return write_index([m for m in metas if m is not None], out)


def _read_summary(folder: Path) -> EditionMeta:
    """In a worker of the index's pool: one edition folder's summary, through the cache."""
    from sitegen import workers

    return workers.context().read(folder)[0]


def write_index(summaries: Sequence[EditionMeta], out: Path) -> Index:
    """`out/index.pickle` of `summaries`: the header, then each year's list."""
    ordered = sorted(summaries, key=lambda m: m.date)
    out.mkdir(parents=True, exist_ok=True)
    tmp = out / (INDEX_FILE + ".tmp")
    with tmp.open("wb") as fh:
        dates = [m.date for m in ordered]
        pickle.dump({"schema": SCHEMA, "dates": dates}, fh, protocol=pickle.HIGHEST_PROTOCOL)
        for _, year in groupby(ordered, key=lambda m: m.date.year):
            pickle.dump(list(year), fh, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(out / INDEX_FILE)
    return Index(out / INDEX_FILE, dates)


def _check_header(data: object, path: Path) -> list[date]:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise SitegenError("index made by another sitegen version; make it again", path)
    return data["dates"]


def load_index(folder: Path) -> Index:
    """The index in `folder` (its header only: the summaries are read when a step asks)."""
    path = folder / INDEX_FILE
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        raise SitegenError(f"no index here ({exc}); run `sitegen partition index` first",
                           path) from exc
    return Index(path, _check_header(data, path))


def month_year(key: str) -> int:
    return int(key[:4])


@dataclass
class Scope:
    """Which outputs a step of a partitioned build makes (`build_site(scope=...)`): a
    year's (`year`), or, for the merge (`year` None), everything else, with the
    partitions' folders (`parts`) linked into its tree."""

    index: Index
    year: int | None = None
    parts: Sequence[Path] = ()

    def summaries(self) -> tuple[list[date], Iterable[EditionMeta]]:
        """The index's dates, and its summaries as the build reads them (a year at a time:
        the build turns each into views, or only into names, and drops it)."""
        return self.index.dates, self.index.summaries()

    def keeps(self, day: date) -> bool:
        """Whether the build keeps the views of edition `day`: a part, its year's only
        (what its pages say of other editions comes from their summaries); the merge,
        all of them (its pages span the archive)."""
        return self.year is None or day.year == self.year

    @property
    def shared(self) -> bool:
        """True for the merge, which makes the archive-wide pages and files."""
        return self.year is None

    def edition(self, day: date) -> bool:
        return self.year is not None and day.year == self.year

    def month(self, key: str) -> bool:
        return self.year is not None and month_year(key) == self.year

    def finish_search(self, plan: SearchPlan, results: list[TaskResult], out: BuildOutput,
                      project_root: Path | None) -> dict[str, Any]:
        """A partition: its months and packs as any build's, plus their records and
        directory entries under `_partition/`. The merge: the manifest and the term
        directory of every partition's months."""
        from sitegen.search.assets import pack_months, write_manifest
        from sitegen.search.parts import PartsStore, pack_digest
        from sitegen.search.shards import segment_key

        if self.year is not None:
            search = plan.finish(results, out, project_root, manifest=False)
            segments = [seg for _, seg in search["months"].values()]
            store = PartsStore(plan.cache_dir)
            vocab: dict[str, bytes] = {}
            # the packs of its months as the whole archive's are cut (the merge's lookup)
            latest = segment_key(max(self.index.dates).isoformat())
            for pack, segs in pack_months(segments, latest).items():
                months = [(s.record["key"], s.digest) for s in segs]
                entries = store.load_vocab(pack, pack_digest(pack, months))
                if entries is None:  # its cache emptied since it was written
                    from sitegen.search.shards import pack_vocab

                    entries = pack_vocab([store.extra(k, d, "vocab") for k, d in months])
                vocab[pack] = pickle.dumps(entries, protocol=pickle.HIGHEST_PROTOCOL)
            out.write_bytes(f"{PART_META}/search.pickle", pickle.dumps(
                {"schema": SCHEMA, "year": self.year, "segments": segments, "vocab": vocab,
                 "packs": {pack: files for pack, (_, files) in search["packs"].items()}},
                protocol=pickle.HIGHEST_PROTOCOL))
            return search
        segments = []
        entries = {}
        pack_files: dict[str, list[str]] = {}
        pack_part: dict[str, Path] = {}  # where a pack's files are (the joined files' input)
        for part in self.parts:
            data = _part_search(part)
            segments += data["segments"]
            entries.update((pack, pickle.loads(blob)) for pack, blob in data["vocab"].items())
            pack_files.update(data["packs"])
            pack_part.update((pack, part) for pack in data["packs"])
        segments.sort(key=lambda s: s.record["key"])
        # the packs' directory entries are the partitions' (the merge has no parts)
        store = PartsStore(None)
        for pack, segs in pack_months(segments).items():
            if pack not in entries:
                raise SitegenError(f"no partition has search pack {pack}", self.parts[0])
            months = [(s.record["key"], s.digest) for s in segs]
            store.vocabs[pack] = (pack_digest(pack, months), entries[pack])
        write_manifest(out, project_root, segments, store=store, pack_files=pack_files,
                       read=lambda rel: (pack_part[rel.split("/")[2]] / rel).read_bytes())
        return {"months": {}, "packs": {}}

    def finish_tree(self, out: BuildOutput) -> set[str]:
        """The merge links every partition's published files into its tree (hard links:
        the partitions' folders are the merge's input, never changed by it)."""
        if self.year is not None:
            return set()
        linked: set[str] = set()
        root = str(out.root)
        for part in self.parts:
            base = str(part)
            for folder, dirs, files in os.walk(base):
                rel_folder = os.path.relpath(folder, base)
                if rel_folder == PART_META or rel_folder.startswith(PART_META + os.sep):
                    dirs[:] = []
                    continue
                target_folder = os.path.normpath(os.path.join(root, rel_folder))
                os.makedirs(target_folder, exist_ok=True)
                for name in files:
                    rel = os.path.normpath(os.path.join(rel_folder, name))
                    if rel in linked or os.path.exists(os.path.join(root, rel)):
                        raise SitegenError(f"{rel} is made by two steps of the partitioned "
                                           "build", part)
                    source = os.path.join(folder, name)
                    target = os.path.join(root, rel)
                    try:
                        os.link(source, target)
                    except OSError:
                        shutil.copy2(source, target)
                    linked.add(rel.replace(os.sep, "/"))
        return linked


def _part_search(part: Path) -> dict:
    path = part / PART_META / "search.pickle"
    try:
        data = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError) as exc:
        raise SitegenError(f"not a partition's output ({exc})", path) from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise SitegenError("partition made by another sitegen version", path)
    return data


def build_part(config: SiteConfig, index: Index, year: int, out: Path, cache: Path,
               workers: int | None = None, progress: bool | None = None) -> BuildResult:
    """Step 2: the files of `year`'s editions and search months, into `out`, with the
    year's own cache folder `cache`."""
    from sitegen.builder.steps import build_site

    if year not in index.years:
        raise SitegenError(f"the index has no edition of {year} (it has "
                           f"{', '.join(map(str, index.years)) or 'none'})")
    out.parent.mkdir(parents=True, exist_ok=True)
    return build_site(part_config(config, out, cache), scope=Scope(index, year),
                      workers=workers, progress=progress)


def merge_parts(config: SiteConfig, index: Index, parts: Sequence[Path],
                cache: Path | None = None, workers: int | None = None,
                progress: bool | None = None) -> BuildResult:
    """Step 3: the archive-wide files and the partitions' folders, as `config.build_dir`
    (swapped in atomically, like any build). Every year of the index needs its part."""
    from sitegen.builder.steps import build_site

    years = {_part_search(p)["year"]: p for p in parts}
    missing = [y for y in index.years if y not in years]
    if missing:
        raise SitegenError(f"no partition for {', '.join(map(str, missing))}")
    extra = sorted(set(years) - set(index.years))
    if extra:
        raise SitegenError(f"partitions of years the index does not have: {extra}")
    target = config if cache is None else part_config(config, config.build_dir, cache)
    return build_site(target, scope=Scope(index, None, [years[y] for y in index.years]),
                      workers=workers, progress=progress)


def part_folder(parts: Path, year: int) -> Path:
    """Where part `year` is written: a folder of its own (a build clears the folder above
    its output of staging folders it takes for killed builds', and parts run at once)."""
    return parts / str(year) / "build"


def run_all(config: SiteConfig, work: Path, jobs: int = 1,
            log: Callable[[str], None] = print) -> BuildResult:
    """The whole partitioned build on this machine: index, every year's part (one after
    another, or `jobs` at once, each its own process as on separate runners), merge."""
    index = make_index(config, work)
    log(f"index: {len(index.dates)} editions, years {', '.join(map(str, index.years))}")
    commands = [[sys.executable, "-m", "sitegen.cli", "partition", "part", str(y),
                 "--site", str(config.root), "--work", str(work)] for y in index.years]
    _run_commands(commands, jobs, log)
    return merge_parts(config, index, [part_folder(work / "parts", y) for y in index.years],
                       cache=work / "cache" / "merge")


def _run_commands(commands: Iterable[list[str]], jobs: int,
                  log: Callable[[str], None]) -> None:
    pending = list(commands)
    running: list[tuple[subprocess.Popen[str], list[str]]] = []
    failed: list[str] = []
    while pending or running:
        while pending and len(running) < max(1, jobs):
            cmd = pending.pop(0)
            running.append((subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                             stderr=subprocess.STDOUT, text=True), cmd))
        proc, cmd = running.pop(0)
        output, _ = proc.communicate()
        lines = output.strip().splitlines()
        log(lines[-1] if lines else "")
        if proc.returncode:
            failed.append(f"{' '.join(cmd[3:6])}:\n{output}")
    if failed:
        raise SitegenError("partition failed: " + "\n".join(failed))
