"""One core's CPU for a year of the stages a cold build does that Pelican and Hugo do not.

Usage: python bench/stages.py SITE [--month 2024-03]

SITE holds raw pages (`content/raw/`, such as `/work/raw365` or a `bench/generate.py`
site). The editions of one month are taken through the build's own functions in this one
process, each stage timed with `time.process_time` (so waiting and other processes do not
count) and scaled to 365 editions:
- parse: raw pages to the Markdown and YAML files (`render_edition_files`);
- read back: the files, written to a scratch site, read into the content cache as the
  import's workers do right after writing them (and, for comparison, by a process that did
  not write them, which has to load every front matter);
- search months: jieba and the month's index (`write_segment`, twelve months' worth);
- offline copies' search: each edition's own index (`write_search_assets`, one bucket);
- QR codes: one per article (`share.qr_svg`, its published URL).
Rendering the pages is left out: Pelican and Hugo render theirs too. The sum is a floor
under the cold build's CPU, and half of it a floor under its wall time on two cores; that
is what `bench/run.py`'s ratios to Pelican and Hugo are to be read against.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from sitegen.config import load_config  # noqa: E402
from sitegen.content.cache import ContentCache  # noqa: E402
from sitegen.ingest.importer import render_edition_files  # noqa: E402
from sitegen.ingest.parse import page_parser  # noqa: E402
from sitegen.ingest.raw import raw_editions  # noqa: E402
from sitegen.output import BuildOutput, MemoryOutput  # noqa: E402
from sitegen.render import share  # noqa: E402
from sitegen.safepath import site_roots  # noqa: E402
from sitegen.search import write_search_assets  # noqa: E402
from sitegen.search.assets import write_segment  # noqa: E402
from sitegen.search.documents import article_body, no_words, search_doc  # noqa: E402
from sitegen.site import urls  # noqa: E402
from sitegen.site.model import build_site_model  # noqa: E402
from sitegen.text.segment import Segmenter  # noqa: E402

YEAR = 365
T = TypeVar("T")


def timed(work: Callable[[], T]) -> tuple[T, float]:
    """What `work` returns, and the CPU seconds of this process it took."""
    started = time.process_time()
    result = work()
    return result, time.process_time() - started


def cpu(work: Callable[[], object]) -> float:
    return timed(work)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--month", default="2024-03", help="the month measured (YYYY-MM)")
    args = parser.parse_args(argv)
    config = load_config(args.site)
    editions = [e for e in raw_editions(config) if e.date.isoformat().startswith(args.month)]
    if not editions:
        raise SystemExit(f"no raw editions of {args.month} in {args.site}")
    parse = page_parser(config.towns)
    render_edition_files(editions[0], config, parse)  # jieba's dictionary, loaded once
    scratch = Path(tempfile.mkdtemp(prefix="sitegen-stages-"))
    try:
        shutil.copy(args.site / "sitegen.toml", scratch / "sitegen.toml")
        site = load_config(scratch)
        cache = ContentCache(scratch / "cache-read", None, site_roots(site))
        cold_cache = ContentCache(scratch / "cache-cold", None, site_roots(site))
        seconds = dict.fromkeys(("parse", "read back", "read back, not just written"), 0.0)
        folders = []
        for edition in editions:
            (written, _), took = timed(lambda e=edition: render_edition_files(e, config, parse))
            seconds["parse"] += took
            folder = scratch / "content" / edition.date.isoformat()
            folder.mkdir(parents=True)
            for name, text in written.items():
                (folder / name).write_text(text, encoding="utf-8")
            seconds["read back"] += cpu(lambda f=folder: cache.read(f))
            folders.append(folder)
        for folder in folders:  # the memo has been used up: every front matter is loaded
            seconds["read back, not just written"] += cpu(lambda f=folder: cold_cache.read(f))

        month_docs, edition_docs, addresses = [], [], []
        for folder in folders:
            meta, edition = cache.read(folder)
            bodies = {(a.page, a.order): a.article for a in edition.articles}
            mini = build_site_model([meta], site, only=meta.date)
            docs = [search_doc(v, article_body(bodies[v.key])) for v in mini.articles]
            month_docs += docs
            edition_docs.append(docs)
            addresses += [urls.absolute_url(site.base_url, v.url) for v in mini.articles]
        cut = Segmenter().cut_for_search
        cut("预热")
        out = BuildOutput(scratch / "build")
        seconds["search month"] = cpu(lambda: write_segment(
            out, args.month, int(args.month[:4]), 0, month_docs, cut))
        seconds["offline copies' search"] = sum(
            cpu(lambda d=docs: write_search_assets(MemoryOutput(), d, no_words, None,
                                                   buckets=1))
            for docs in edition_docs)
        seconds["QR codes"] = sum(cpu(lambda a=a: share.qr_svg(a, "扫码")) for a in addresses)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    per_year = YEAR / len(editions)
    year = {name: s * (12 if name == "search month" else per_year)
            for name, s in seconds.items()}
    print(f"{args.month}: {len(editions)} editions, {len(month_docs)} articles; one core's "
          f"CPU scaled to {YEAR} editions ({len(month_docs) * per_year:,.0f} articles)")
    for name, s in year.items():
        label = "search months (12)" if name == "search month" else name
        print(f"  {label:<30} {s:7.1f} s")
    floor = sum(s for name, s in year.items() if name != "read back, not just written")
    print(f"  {'sum (read back as built)':<30} {floor:7.1f} s   on two cores at best "
          f"{floor / 2:.1f} s of wall time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
