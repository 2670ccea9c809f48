"""Benchmark sitegen on a synthetic archive and compare with Pelican and Hugo.

Usage: python bench/run.py --editions 365 [--out bench/out] [--skip-peers] [--skip-browser]

For N editions (8 pages, ≈42 articles each) it prints, measured on this machine:
- cold full build (raw pages → site: import, render, search) wall time, the cores its
  process tree kept busy on average (the CPU time of the command and every process it
  started, user and system, from the kernel's accounting of reaped children, divided by
  the wall time: 2.0 is both cores of a 2-core machine from start to end; other work on
  the machine lowers it) and peak memory of sitegen's whole process tree, sampled every
  50 ms: the sum of the processes' PSS (each
  page once; forked workers share pages with their parent) and, as an upper bound, the
  sum of their RSS. Sampling is not free: reading a big process's `smaps_rollup` walks its
  page tables under its memory lock, and at 50 ms it slowed a year's cold build by 17%
  (63.1 s against 53.7 s). So the builds run twice, on two identical copies of the
  archive: times come from the unsampled sequence, memory from the sampled one
  (`--single`: one archive, timed and sampled in the same runs);
- incremental builds: after adding one edition, after editing one article, nothing changed;
- the size of build/ and of the search data, and for each query of a fixed table the bytes
  (raw and gzip) a reader's browser downloads to answer it, and how long Chromium takes to
  show its results from `file://` (`browser.py`);
- Pelican's (and, where `hugo` is installed, Hugo's) cold build time on the same articles,
  and sitegen's ratio to each.
Every step runs as its own process, exactly as a user runs it. Figures also go to
`OUT/results-N.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import generate  # noqa: E402
import peers  # noqa: E402

QUERIES = ["电商", "跨境电商", "张立帆", "GDP", "2769", "独山港", "曹桥", "独山港 泊位",
           "平湖", "高质量发展", "会议", "新兵 欢送", "8:30", "没有这个词语"]


@dataclass
class Run:
    label: str
    seconds: float
    peak_mb: float
    """Peak of the process tree's proportional set size (PSS): each page counted once,
    shared pages split between the processes sharing them."""
    output: str
    peak_rss_sum_mb: float = 0.0
    """Peak of the sum of the processes' RSS, which counts a page shared by a forked
    worker and its parent twice (an upper bound)."""
    cpu_seconds: float = 0.0
    """User and system CPU time of the command's whole process tree (its workers are
    reaped by it, so the kernel adds their time to it)."""

    @property
    def cores_busy(self) -> float:
        """Cores kept busy on average over the run: CPU time / wall time."""
        return self.cpu_seconds / self.seconds if self.seconds else 0.0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _tree_memory_kb(root: int) -> tuple[int, int]:
    """(RSS sum, PSS sum) of `root` and all its descendants, from /proc (a build forks
    workers, which share pages with their parent: PSS counts those once, RSS each time)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read().rsplit(b")", 1)[1].split()
            pid, ppid, pages = int(entry.name), int(stat[1]), int(stat[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, pss, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        pss += _pss_kb(pid)
        stack.extend(children.get(pid, []))
    return total, pss


def measure(label: str, cmd: list[str], cwd: Path | None = None, sample: bool = True,
            echo: bool = True) -> Run:
    """Run `cmd`, timing it and (with `sample`) sampling its process tree's memory until
    it exits."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    peak = peak_rss = 0
    done = threading.Event()

    def sample_memory() -> None:
        nonlocal peak, peak_rss
        while not done.is_set():
            rss, pss = _tree_memory_kb(proc.pid)
            peak, peak_rss = max(peak, pss), max(peak_rss, rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample_memory, daemon=True)
    if sample:
        sampler.start()
    output, _ = proc.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    done.set()
    if sample:
        sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{label} failed ({proc.returncode}):\n{output}")
    run = Run(label, seconds, peak / 1024, output.strip().splitlines()[-1] if output else "",
              peak_rss / 1024, cpu)
    if echo:
        show(run, sample)
    return run


def _row(run: Run) -> dict:
    return {**asdict(run), "cores_busy": round(run.cores_busy, 2)}


def load_note() -> str:
    """The machine's load averages (1, 5, 15 min): other work competing for the cores
    slows every figure and lowers the cores a build can keep busy."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def show(run: Run, memory: bool = True) -> None:
    mem = (f"{run.peak_mb:6.0f} MB PSS ({run.peak_rss_sum_mb:.0f} MB RSS summed)" if memory
           else "(memory not sampled)")
    print(f"  {run.label:<34} {run.seconds:8.2f} s  {run.cores_busy:4.2f} cores  {mem}   "
          f"{run.output[:60]}", flush=True)


def build_sequence(site: Path, extra: Path, sample: bool) -> list[Run]:
    """Cold build, no change, one article edited, one edition added, no change."""
    build = sitegen_cmd("build", "--site", str(site))
    runs = [measure("cold full build (raw → site)", build, sample=sample, echo=False),
            measure("no-change build", build, sample=sample, echo=False)]
    edit_one_article(site)
    runs.append(measure("build after editing one article", build, sample=sample, echo=False))
    day = add_one_edition(site, extra)
    runs.append(measure(f"build after adding edition {day}", build, sample=sample,
                        echo=False))
    runs.append(measure("no-change build", build, sample=sample, echo=False))
    return runs


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def compile_sitegen() -> None:
    """sitegen's bytecode, written once before anything is timed: an installed sitegen has
    it (pip compiles at install), but a checkout run with PYTHONDONTWRITEBYTECODE set (as
    CI and this machine's shells are) would compile every module at every command, about
    0.1 s of each "nothing changed" answer that no user pays."""
    import compileall

    import sitegen

    compileall.compile_dir(Path(sitegen.__file__).parent, quiet=1)


def sitegen_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "sitegen.cli", *args]


def edit_one_article(site: Path) -> Path:
    """Change one paragraph of an article in the middle of the archive, as an editor would."""
    editions = sorted(p for p in (site / "content").iterdir() if p.name[:1].isdigit())
    # the second article of page 3 (`03-02-…`, or `A03-02-…` where pages have letters)
    article = sorted(editions[len(editions) // 2].glob("*03-02-*.md"))[0]
    text = article.read_text("utf-8")
    article.write_text(text.rstrip("\n") + "\n\n编者按：本文已更正。\n", "utf-8")
    return article


def next_edition(editions: int, scratch: Path) -> Path:
    """Raw pages of the day after the archive's last, from the same deterministic generator.
    Made before the timed builds, and `scratch` deleted after them: deleting thousands of
    files just before a build slows the build's own file creation on some file systems
    (ext4 without a journal skips recently freed inodes), which is not sitegen's time."""
    generate.generate(scratch, editions + 1)
    return sorted((scratch / "content" / "raw").iterdir())[-1]


def copy_raw(source: Path, site: Path, editions: int, scratch: Path) -> tuple[Path, int]:
    """The first `editions` raw editions of `source` as a fresh site (`sitegen.toml` too),
    and its next one in `scratch` (the edition the benchmark adds); (that folder, pages)."""
    raw = sorted(p for p in (source / "content" / "raw").iterdir() if p.is_dir())
    if len(raw) <= editions:
        raise SystemExit(f"{source} has {len(raw)} raw editions, {editions + 1} needed")
    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "raw").mkdir(parents=True)
    shutil.copy(source / "sitegen.toml", site / "sitegen.toml")
    pages = 0
    for folder in raw[:editions]:
        shutil.copytree(folder, site / "content" / "raw" / folder.name)
        pages += sum(1 for p in folder.glob("*.txt"))
    if scratch.exists():
        shutil.rmtree(scratch)
    extra = scratch / raw[editions].name
    shutil.copytree(raw[editions], extra)
    return extra, pages


def partitioned_run(source: Path, out: Path, editions: int, single: float | None
                    ) -> list[dict]:
    """The partitioned build of `source`'s first `editions` raw editions, raw → site, each
    step its own process as on its own runner (timed, and sampled: per-step peak memory).
    Returns the steps' rows; prints them and the wall time a matrix of runners would see
    (index + the longest part + merge) next to the single-machine cold build's."""
    site = out / f"site-{editions}-parts"
    work = out / f"partitions-{editions}"
    if work.exists():
        shutil.rmtree(work)
    copy_raw(source, site, editions, out / "scratch-parts")
    shutil.rmtree(out / "scratch-parts")
    years = sorted({p.name[:4] for p in (site / "content" / "raw").iterdir()})
    common = ["--site", str(site), "--work", str(work)]
    print(f"  partitioned build: {len(years)} years, each step its own process", flush=True)
    steps = [measure("partition index (import, summaries)",
                     sitegen_cmd("partition", "index", *common))]
    parts = [measure(f"partition part {y}", sitegen_cmd("partition", "part", y, *common))
             for y in years]
    steps += parts
    steps.append(measure("partition merge", sitegen_cmd("partition", "merge", *common)))
    longest = max(parts, key=lambda r: r.seconds)
    wall = steps[0].seconds + longest.seconds + steps[-1].seconds
    serial = sum(r.seconds for r in steps)
    print(f"  partitioned wall time (index + longest part [{longest.label[-4:]}] + merge): "
          f"{wall:.1f} s; all steps one after another {serial:.1f} s"
          + (f"; single-machine cold build {single:.1f} s" if single else ""), flush=True)
    return [_row(r) for r in steps] + [{"label": "matrix wall time", "seconds": wall},
                                       {"label": "steps in series", "seconds": serial}]


def add_one_edition(site: Path, day: Path) -> str:
    shutil.copytree(day, site / "content" / "raw" / day.name)
    return day.name


def query_downloads(build: Path) -> list[dict]:
    """Per query: every file a cold page loads (its four scripts and the query's data), and
    the query's own data alone (what a second query on the open page adds: the scripts
    are every query's, 55 kB gzip of them)."""
    from sitegen.search.download import PAGE_SCRIPTS, files_size, probe

    rows = []
    for q in QUERIES:
        loaded = probe(build, [q])[0]["loaded"]
        raw, gz = files_size(build, [*PAGE_SCRIPTS, *loaded])
        data_raw, data_gz = files_size(build, loaded)
        rows.append({"query": q, "raw_bytes": raw, "gzip_bytes": gz, "files": len(loaded),
                     "data_raw_bytes": data_raw, "data_gzip_bytes": data_gz})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--editions", type=int, default=30)
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--skip-peers", action="store_true", help="do not run Pelican/Hugo")
    parser.add_argument("--skip-browser", action="store_true",
                        help="do not time searches in Chromium")
    parser.add_argument("--single", action="store_true",
                        help="build one archive only, sampling memory as it is timed (for "
                        "archives too large to build twice, such as ten years)")
    parser.add_argument("--reuse-site", action="store_true",
                        help="skip generating and building: measure an existing OUT/site-N")
    parser.add_argument("--partitions", action="store_true",
                        help="also build the same raw pages the partitioned way (`sitegen "
                        "partition`: index, one part per year, merge; each step its own "
                        "process, timed and sampled) and print its wall time as a runner "
                        "matrix sees it: index + the longest part + merge")
    parser.add_argument("--partitions-only", action="store_true",
                        help="the partitioned build alone (no single-machine builds); the "
                        "query table then measures its site")
    parser.add_argument("--raw-from", type=Path, default=None,
                        help="take the raw pages from this site (its first N editions, and "
                        "its N+1-th as the added edition) instead of generating them: the "
                        "generator takes a quarter of an hour for ten years, and before/after "
                        "runs of one change then build the very same pages")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    site = out / f"site-{args.editions}"

    print(f"sitegen benchmark: {args.editions} editions, {os.cpu_count()} cores; "
          f"{load_note()}", flush=True)
    compile_sitegen()
    runs: list[Run] = []
    if args.partitions_only:
        args.partitions = args.reuse_site = True
        if args.raw_from is None:
            raise SystemExit("--partitions-only needs --raw-from (the pages to build)")
    if not args.reuse_site:
        started = time.perf_counter()
        scratch = out / "scratch"
        if args.raw_from is not None:
            extra, pages = copy_raw(args.raw_from, site, args.editions, scratch)
        else:
            extra = next_edition(args.editions, scratch)
            pages = generate.generate(site, args.editions)
        twin = None if args.single else out / f"site-{args.editions}-memory"
        if twin is not None:
            if args.raw_from is not None:
                copy_raw(args.raw_from, twin, args.editions, out / "scratch-twin")
            else:
                generate.generate(twin, args.editions)
        print(f"  generated {pages} raw pages{'' if args.single else ' (twice)'} in "
              f"{time.perf_counter() - started:.1f} s (not counted)", flush=True)
        runs = build_sequence(site, extra, sample=twin is None)
        if twin is not None:
            for t, m in zip(runs, build_sequence(twin, extra, sample=True), strict=True):
                t.peak_mb, t.peak_rss_sum_mb = m.peak_mb, m.peak_rss_sum_mb
        print(f"  builds done; {load_note()}")
        for run in runs:
            show(run)
        print("  (times and memory from the same runs: sampling slows them by ~17%)"
              if twin is None else
              "  (times: unsampled runs; memory: the same builds on a twin archive, sampled)")
        shutil.rmtree(scratch)
    partition_rows: list[dict] = []
    if args.partitions:
        partition_rows = partitioned_run(args.raw_from or site, out, args.editions,
                                         runs[0].seconds if runs else None)
        if args.partitions_only:
            site = out / f"site-{args.editions}-parts"
    articles = sum(1 for _ in (site / "content").glob("*/*.md"))

    build = site / "build"
    assets = build / "assets"
    sizes = {
        "articles": articles,
        "build_bytes": folder_bytes(build),
        "search_bytes": sum(p.stat().st_size for p in assets.rglob("*")
                            if p.is_file() and "search" in p.relative_to(assets).as_posix()),
    }
    print(f"  articles: {articles}; build/: {sizes['build_bytes'] / 1e6:.1f} MB; "
          f"search data: {sizes['search_bytes'] / 1e6:.1f} MB")
    downloads = query_downloads(build)
    print("  query                 download raw     gzip   the query's data: files   gzip")
    for row in downloads:
        print(f"  {row['query']:<20} {row['raw_bytes'] / 1024:10.0f} KB "
              f"{row['gzip_bytes'] / 1024:8.0f} KB {row['files']:19d} "
              f"{row['data_gzip_bytes'] / 1024:6.1f} KB")

    browser_rows: list[dict] = []
    if not args.skip_browser:
        from browser import search_times

        browser_rows = search_times(build, QUERIES)
        print("  query                 answer   from navigation start  (Chromium, file://)")
        for row in browser_rows:
            print(f"  {row['query']:<20} {row['answer_ms']:7.0f} ms {row['page_ms']:9.0f} ms"
                  f"   {row['status'][:40]}")

    peer_runs: list[Run] = []
    if not args.skip_peers:
        pelican_dir, hugo_dir, count = peers.export(site, out / "peers", "平湖日报")
        print(f"  exported {count} articles for the peers", flush=True)
        pelican = peers.pelican_command(out / "pelican-venv")
        peer_runs.append(measure("Pelican cold build", [
            *pelican, "content", "-o", str(out / "pelican-output"), "-s", "pelicanconf.py", "-q"],
            cwd=pelican_dir, sample=False))  # timed like sitegen: unsampled
        hugo = peers.hugo_command()
        if hugo:
            peer_runs.append(measure("Hugo cold build", [
                *hugo, "--quiet", "-d", str(out / "hugo-output")], cwd=hugo_dir, sample=False))
        else:
            print("  hugo not installed: Hugo not measured (apt-get install hugo)")
        cold = runs[0].seconds if runs else float("nan")
        for peer in peer_runs:
            print(f"  sitegen cold / {peer.label.split()[0]}: {cold / peer.seconds:.2f}×")
        print(f"  peers done; {load_note()}")

    results = {"editions": args.editions, "cores": os.cpu_count(),
               "runs": [_row(r) for r in runs], "peers": [_row(r) for r in peer_runs],
               "sizes": sizes, "query_downloads": downloads, "browser": browser_rows,
               "partitions": partition_rows}
    (out / f"results-{args.editions}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
