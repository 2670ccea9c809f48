"""Where a cold build's CPU goes, by stage: py-spy over the whole process tree.

Usage: python bench/profile.py SITE [--out bench/out/profile.raw] [--rate 50]
       python bench/profile.py --raw FILE      (the table of a profile recorded before)

SITE is a site of raw pages (such as `bench/out/site-365` before its first build, or one
`bench/generate.py` wrote); it is copied, so it stays as it was, and the copy is built
cold (`sitegen build`: import, then build) under `py-spy record --subprocesses` (py-spy
from PyPI: `pip install py-spy`; run as root). Samples are then put in stages by the
functions on their stacks: the import's workers, the build's workers by task (search
months and packs, edition pages, offline copies and their parts, archive-wide pages,
links) and the parent. Samples whose innermost frame waits (a lock, a pipe, a queue) are
counted apart. py-spy counts a process that is ready to run but has no core as busy, so on
a machine shared with other work the seconds are inflated; the shares still compare.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

WAITING = ("wait (threading", "select (", "poll (", "_recv (", "_recv_bytes", "acquire",
           "_wait_for_tstate_lock", "get (queue", "get (multiprocessing/queues", "sleep",
           "accept (", "recv (", "join (", "_poll", "epoll", "readinto")
STAGES = [  # the first whose function is on the stack
    ("import: worker", "_worker_import"),
    ("import: parent", "import_editions"),
    ("import: stale check", "stale_editions"),
    ("content load: worker", "read_task"),
    ("search month", "_search_task"),
    ("search pack", "_pack_task"),
    ("offline copy", "_offline_zip"),
    ("edition pages", "_edition_task"),
    ("archive-wide pages", "_shared_task"),
    ("links", "link_task"),
    ("content load: parent", "read_summaries"),
    ("build: parent", "build (sitegen/builder/steps"),
    ("build: parent", "locked (sitegen/builder/steps"),
    ("build: parent", "build_site ("),
]
PARTS = {
    "import: worker": [("read for the build", "content_reader"), ("parse", "parse_raw_pages"),
                       ("Markdown and YAML", "render_edition_files"),
                       ("write", "write_edition")],
    "offline copy": [("render", "render_all"), ("search", "write_search_assets"),
                     ("zip", "zip_bytes"), ("model", "build_site_model")],
    "edition pages": [("offline variants", "render_variants"), ("render", "render"),
                      ("load", "ContentCache"), ("write", "write_bytes")],
    "search month": [("jieba", "cut_for_search"), ("load bodies", "ContentCache"),
                     ("index", "write_segment")],
}


def table(raw: Path, rate: float) -> str:
    stage: Counter[str] = Counter()
    part: Counter[tuple[str, str]] = Counter()
    waiting = 0
    for line in raw.open(encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        n = int(count)
        if any(w in stack.rsplit(";", 1)[-1] for w in WAITING):
            waiting += n
            continue
        name = next((s for s, marker in STAGES if marker in stack), "other")
        stage[name] += n
        found = next((p for p, marker in PARTS.get(name, []) if marker in stack), "other")
        part[(name, found)] += n
    total = sum(stage.values()) or 1
    rows = [f"busy {total / rate:.1f} s of samples, waiting {waiting / rate:.1f} s"]
    for name, n in stage.most_common():
        rows.append(f"  {name:<24} {n / rate:7.1f} s {100 * n / total:5.1f}%")
        if name in PARTS:
            for (s, p), m in part.most_common():
                if s == name:
                    rows.append(f"      {p:<20} {m / rate:7.1f} s {100 * m / total:5.1f}%")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("site", type=Path, nargs="?")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out" / "profile.raw")
    parser.add_argument("--rate", type=int, default=50, help="samples per second")
    parser.add_argument("--raw", type=Path, help="only print the table of this profile")
    args = parser.parse_args(argv)
    if args.raw is None:
        if args.site is None:
            parser.error("a SITE to build, or --raw FILE")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=args.out.parent) as tmp:
            site = Path(tmp) / "site"
            shutil.copytree(args.site, site)
            subprocess.run(["py-spy", "record", "--subprocesses", "--rate", str(args.rate),
                            "--format", "raw", "-o", str(args.out), "--", sys.executable,
                            "-m", "sitegen.cli", "build", "--site", str(site)],
                           check=True, stdout=subprocess.DEVNULL)
        args.raw = args.out
    print(table(args.raw, args.rate))
    return 0


if __name__ == "__main__":
    sys.exit(main())
